import { buildxArgv, classicBuildArgv, classicCacheImage, type BuildPlan } from '../../src/image/argv';

const plan: BuildPlan = {
  context: '/src/app',
  dockerfile: '/src/app/Dockerfile',
  tags: ['r.io/web:0123456789ab', 'r.io/web:latest'],
  buildArgs: { NODE_ENV: 'production', EMPTY: '' },
  labels: { 'org.opencontainers.image.revision': 'abc', team: 'shop' },
  target: 'runtime',
  platform: 'linux/amd64',
  cacheFrom: ['type=registry,ref=r.io/web:cache'],
  cacheTo: ['type=registry,ref=r.io/web:cache,mode=max'],
};

describe('build argv', () => {
  it('buildx builds, pushes and writes the digest to the metadata file', () => {
    expect(buildxArgv(plan, '/tmp/m.json')).toEqual([
      'buildx', 'build',
      '--file', '/src/app/Dockerfile',
      '--tag', 'r.io/web:0123456789ab', '--tag', 'r.io/web:latest',
      '--build-arg', 'NODE_ENV=production', '--build-arg', 'EMPTY=',
      '--label', 'org.opencontainers.image.revision=abc', '--label', 'team=shop',
      '--target', 'runtime',
      '--platform', 'linux/amd64',
      '--cache-from', 'type=registry,ref=r.io/web:cache',
      '--cache-to', 'type=registry,ref=r.io/web:cache,mode=max',
      '--push', '--metadata-file', '/tmp/m.json',
      '/src/app',
    ]);
  });

  it('classic build takes cache images only and does not push', () => {
    const argv = classicBuildArgv(plan, ['r.io/web:cache']);
    expect(argv).toEqual([
      'build',
      '--file', '/src/app/Dockerfile',
      '--tag', 'r.io/web:0123456789ab', '--tag', 'r.io/web:latest',
      '--build-arg', 'NODE_ENV=production', '--build-arg', 'EMPTY=',
      '--label', 'org.opencontainers.image.revision=abc', '--label', 'team=shop',
      '--target', 'runtime',
      '--platform', 'linux/amd64',
      '--cache-from', 'r.io/web:cache',
      '/src/app',
    ]);
    expect(argv).not.toContain('--push');
    expect(argv).not.toContain('--cache-to');
  });

  it('leaves out options that are not set', () => {
    const bare = { ...plan, tags: ['r.io/web:1'], buildArgs: {}, labels: {}, target: undefined, platform: undefined, cacheFrom: [], cacheTo: [] };
    expect(classicBuildArgv(bare, [])).toEqual(['build', '--file', '/src/app/Dockerfile', '--tag', 'r.io/web:1', '/src/app']);
    expect(buildxArgv(bare, 'm.json')).toEqual(['buildx', 'build', '--file', '/src/app/Dockerfile', '--tag', 'r.io/web:1', '--push', '--metadata-file', 'm.json', '/src/app']);
  });

  it.each([
    ['r.io/web:cache', 'r.io/web:cache'],
    ['type=registry,ref=r.io/web:cache', 'r.io/web:cache'],
    ['ref=r.io/web:cache, type=registry', 'r.io/web:cache'],
    ['type=gha', undefined],
    ['type=local,src=/tmp/cache', undefined],
  ])('classic cache source for %s is %s', (entry, image) => {
    expect(classicCacheImage(entry)).toBe(image);
  });
});
