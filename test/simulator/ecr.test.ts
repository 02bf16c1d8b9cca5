import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ListImagesCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../simulator';
import { clientsFor, useSimulator } from './helpers';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('simulator: ECR without a registry', () => {
  const ctx = useSimulator();

  it('hands out an authorization token for the simulated registry', async () => {
    const { authorizationData } = await ctx.ecr.send(new GetAuthorizationTokenCommand({}));
    const [data] = authorizationData!;
    expect(Buffer.from(data.authorizationToken!, 'base64').toString()).toMatch(/^AWS:.+/);
    expect(data.proxyEndpoint).toBe('https://123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(data.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
  });

  it('describes repositories and seeded images, with ECR error names', async () => {
    ctx.sim.addRepository('app');
    ctx.sim.addImage('app', 'v1', DIGEST);
    const { repositories } = await ctx.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }));
    expect(repositories![0]).toMatchObject({
      repositoryName: 'app',
      repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app',
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/app',
      registryId: '123456789012',
    });
    await expect(ctx.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['ghost'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });

    const { imageDetails } = await ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(imageDetails![0]).toMatchObject({ imageDigest: DIGEST, imageTags: ['v1'], repositoryName: 'app', imagePushedAt: expect.any(Date) });
    await expect(ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v2' }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
    });
    await expect(ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'ghost', imageIds: [{ imageTag: 'v1' }] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
    // Its own registry by id is the same registry; another account's holds none of its repositories.
    const own = await ctx.ecr.send(new DescribeImagesCommand({ registryId: '123456789012', repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(own.imageDetails![0].imageDigest).toBe(DIGEST);
    await expect(ctx.ecr.send(new DescribeImagesCommand({ registryId: '999988887777', repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: expect.stringContaining("registry with id '999988887777'"),
    });
  });

  it('tells when each image was pushed, and pages DescribeImages and ListImages by maxResults and nextToken', async () => {
    const day = 24 * 60 * 60 * 1000;
    const pushedAt = Date.parse('2026-11-01T10:00:00Z');
    for (let i = 0; i < 5; i++) ctx.sim.addImage('paged', `v${i}`, `sha256:${String(i).repeat(64)}`, pushedAt + i * day);
    const first = await ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'paged', maxResults: 2 }));
    expect(first.imageDetails!.map((d) => d.imageTags)).toEqual([['v0'], ['v1']]);
    expect(first.imageDetails![1].imagePushedAt!.getTime()).toBe(pushedAt + day);
    const rest = await ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'paged', maxResults: 2, nextToken: first.nextToken }));
    const last = await ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'paged', maxResults: 2, nextToken: rest.nextToken }));
    expect(rest.imageDetails!.map((d) => d.imageTags![0])).toEqual(['v2', 'v3']);
    expect(last.imageDetails!.map((d) => d.imageTags![0])).toEqual(['v4']);
    expect(last.nextToken).toBeUndefined();
    const listed = await ctx.ecr.send(new ListImagesCommand({ repositoryName: 'paged', maxResults: 3 }));
    expect(listed.imageIds).toHaveLength(3);
    expect(listed.nextToken).toBeDefined();
    await expect(ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'paged', maxResults: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('BatchDeleteImage: by digest the image goes with its tags; by tag only the tag, the image with its last; what is not there is a failure', async () => {
    ctx.sim.addImage('old', 'a', DIGEST);
    ctx.sim.addImage('old', 'b', DIGEST);
    ctx.sim.addImage('old', 'c', `sha256:${'c'.repeat(64)}`);
    const byTag = await ctx.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'old', imageIds: [{ imageTag: 'a' }] }));
    expect(byTag.imageIds).toEqual([{ imageDigest: DIGEST, imageTag: 'a' }]);
    expect(ctx.sim.images('old').map((i) => i.tags)).toEqual([['b'], ['c']]);
    const out = await ctx.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'old', imageIds: [{ imageDigest: DIGEST }, { imageDigest: `sha256:${'d'.repeat(64)}` }] }));
    expect(out.imageIds).toEqual([{ imageDigest: DIGEST }]);
    expect(out.failures).toEqual([{ imageId: { imageDigest: `sha256:${'d'.repeat(64)}` }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    expect(ctx.sim.images('old').map((i) => i.tags)).toEqual([['c']]);
    await expect(ctx.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'old', imageIds: [] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(ctx.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'ghost', imageIds: [{ imageTag: 'a' }] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  it('creates repositories and retags images with BatchGetImage + PutImage', async () => {
    const created = await ctx.ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }));
    expect(created.repository?.repositoryName).toBe('team/api');
    await expect(ctx.ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/api' }))).rejects.toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
    ctx.sim.addImage('team/api', 'build-1', DIGEST);
    const { images } = await ctx.ecr.send(new BatchGetImageCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'build-1' }] }));
    await ctx.ecr.send(new PutImageCommand({ repositoryName: 'team/api', imageManifest: images![0].imageManifest, imageTag: 'prod', imageDigest: DIGEST }));
    const { imageDetails } = await ctx.ecr.send(new DescribeImagesCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'prod' }] }));
    expect(imageDetails![0].imageTags).toEqual(['build-1', 'prod']);
    expect(ctx.sim.mutatingCalls()).toEqual(['CreateRepository', 'CreateRepository', 'PutImage']);
  });
});

describe('simulator: ECR backed by a registry', () => {
  let registry: Server;
  let registryUrl: string;
  const requests: Array<{ method?: string; url?: string; authorization?: string; accept?: string }> = [];

  beforeAll(async () => {
    registry = createServer((request, response) => {
      requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization, accept: request.headers.accept });
      if (request.headers.authorization !== `Basic ${Buffer.from('ci:s3cret').toString('base64')}`) {
        response.writeHead(401).end();
      } else if (request.url === '/v2/app/manifests/v1') {
        response.writeHead(200, { 'Docker-Content-Digest': DIGEST, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Content-Length': '512' }).end();
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => registry.close(resolve)));

  it('uses the configured credentials and asks the registry whether a tag exists', async () => {
    const sim = await startSimulator({ ecrRegistry: { proxyEndpoint: registryUrl, username: 'ci', password: 's3cret' } });
    const { ecr }: { ecr: ECRClient } = clientsFor(sim);
    try {
      sim.addRepository('app');
      const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
      expect(authorizationData![0].proxyEndpoint).toBe(registryUrl);
      expect(Buffer.from(authorizationData![0].authorizationToken!, 'base64').toString()).toBe('ci:s3cret');
      const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }));
      expect(repositories![0].repositoryUri).toBe(`${new URL(registryUrl).host}/app`);

      const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
      expect(imageDetails![0]).toMatchObject({ imageDigest: DIGEST, imageTags: ['v1'], imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });
      await expect(ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'missing' }] }))).rejects.toMatchObject({
        name: 'ImageNotFoundException',
      });
      expect(requests[0]).toMatchObject({ method: 'HEAD', url: '/v2/app/manifests/v1' });
      expect(requests[0].accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
      expect(requests[0].accept).toContain('application/vnd.oci.image.index.v1+json');
    } finally {
      ecr.destroy();
      await sim.close();
    }
  });
});
