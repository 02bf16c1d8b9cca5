import { awsEcrRegion, formatReference, hostOfEndpoint, isAwsEcrHost, isLoopbackHost, parseImageReference } from '../../src/image/reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['web', { repository: 'web' }],
    ['team/web', { repository: 'team/web' }],
    ['web:1.2', { repository: 'web', tag: '1.2' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'shop/web' }],
    ['127.0.0.1:5055/web:abc', { registry: '127.0.0.1:5055', repository: 'web', tag: 'abc' }],
    ['localhost/web', { registry: 'localhost', repository: 'web' }],
    [`ghcr.io/org/web@${DIGEST}`, { registry: 'ghcr.io', repository: 'org/web', digest: DIGEST }],
    [`web:1@${DIGEST}`, { repository: 'web', tag: '1', digest: DIGEST }],
  ])('reads %s', (text, expected) => {
    expect(parseImageReference(text)).toEqual({ registry: undefined, tag: undefined, digest: undefined, ...expected });
  });

  it.each([
    ['', /empty/],
    ['Web', /repository name/],
    ['web:', /not a valid tag/],
    ['web:-x', /not a valid tag/],
    ['web@sha256:xyz', /not a digest/],
    ['team//web', /repository name/],
    ['r.io/web/', /repository name/],
    ['my_host:80/web', /not a registry host/],
  ])('rejects "%s"', (text, message) => {
    expect(() => parseImageReference(text)).toThrow(message);
  });

  it('formats what it parses back to the same text', () => {
    for (const text of ['web', '127.0.0.1:5055/a/b:c', `ghcr.io/o/w:t@${DIGEST}`]) expect(formatReference(parseImageReference(text))).toBe(text);
  });
});

describe('ECR hosts', () => {
  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', 'us-east-1'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['123456789012.DKR.ECR.eu-west-1.amazonaws.com', 'eu-west-1'],
  ])('%s is ECR in %s', (host, region) => {
    expect(isAwsEcrHost(host)).toBe(true);
    expect(awsEcrRegion(host)).toBe(region);
  });

  it.each(['ghcr.io', '127.0.0.1:5055', 'dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io', 'public.ecr.aws'])(
    '%s is not',
    (host) => expect(isAwsEcrHost(host)).toBe(false),
  );

  it('takes the host (with port) from a proxyEndpoint', () => {
    expect(hostOfEndpoint('https://123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(hostOfEndpoint('http://127.0.0.1:5055')).toBe('127.0.0.1:5055');
    expect(hostOfEndpoint('127.0.0.1:5055')).toBe('127.0.0.1:5055');
  });

  it('knows loopback registries', () => {
    expect(['127.0.0.1:5055', 'localhost:5000', 'localhost', '[::1]:5000'].every(isLoopbackHost)).toBe(true);
    expect(['ghcr.io', '10.0.0.1:5000', 'localhost.example.com'].some(isLoopbackHost)).toBe(false);
  });
});
