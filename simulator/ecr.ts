import { AwsError } from './errors';
import { manifestDigest, RegistryClient } from './ecrRegistry';
import { epochSeconds } from './ids';
import type { HandlerTable } from './handler';
import { withoutUndefined } from './objects';
import type { ImageRecord, RepositoryRecord, SimState } from './state';

const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;
const DEFAULT_USERNAME = 'AWS';
const DEFAULT_PASSWORD = 'ecs-ship-simulator-password';
const DOCKER_MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

interface ImageId {
  imageTag?: string;
  imageDigest?: string;
}

const registryIdOf = (state: SimState) => state.config.accountId;

function registryHost(state: SimState): string {
  const registry = state.config.ecrRegistry;
  if (registry) return new RegistryClient(registry).host;
  return `${state.config.accountId}.dkr.ecr.${state.config.region}.amazonaws.com`;
}

function repositoryNotFound(state: SimState, name: string, registryId = registryIdOf(state)): AwsError {
  return new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
}

function imageNotFound(state: SimState, repository: string, id: ImageId): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository}' in the registry with id '${registryIdOf(state)}'`,
  );
}

/** The simulator holds one account's registry: a request for another registryId finds no repository there. */
function requireRepository(state: SimState, name: string | undefined, registryId?: string): RepositoryRecord {
  if (registryId && registryId !== registryIdOf(state)) throw repositoryNotFound(state, name ?? '', registryId);
  const repository = name ? state.repositories.get(name) : undefined;
  if (!repository) throw repositoryNotFound(state, name ?? '');
  return repository;
}

export function createRepository(state: SimState, name: string, now: number, extra: Record<string, any> = {}): RepositoryRecord {
  if (!REPOSITORY_NAME.test(name)) {
    throw new AwsError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: '${name}'`);
  }
  if (state.repositories.has(name)) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${registryIdOf(state)}'`,
    );
  }
  const repository: RepositoryRecord = {
    name,
    arn: `arn:aws:ecr:${state.config.region}:${state.config.accountId}:repository/${name}`,
    createdAt: now,
    images: [],
    extra,
  };
  state.repositories.set(name, repository);
  return repository;
}

function syntheticManifest(digest: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1470, digest },
    layers: [],
  });
}

/** Points `tag` at the image with `digest` (tags are mutable), creating the image if needed. */
export function tagImage(repository: RepositoryRecord, tag: string | undefined, digest: string, now: number, manifest?: string, mediaType?: string): ImageRecord {
  if (tag) for (const image of repository.images) image.tags = image.tags.filter((t) => t !== tag);
  let image = repository.images.find((candidate) => candidate.digest === digest);
  if (!image) {
    const body = manifest ?? syntheticManifest(digest);
    image = { digest, tags: [], pushedAt: now, sizeInBytes: 2_000_000 + Buffer.byteLength(body), manifest: body, manifestMediaType: mediaType ?? DOCKER_MANIFEST_TYPE };
    repository.images.push(image);
  }
  if (tag) image.tags.push(tag);
  return image;
}

function repositoryView(state: SimState, repository: RepositoryRecord): any {
  return {
    repositoryArn: repository.arn,
    registryId: registryIdOf(state),
    repositoryName: repository.name,
    repositoryUri: `${registryHost(state)}/${repository.name}`,
    createdAt: epochSeconds(repository.createdAt),
    imageTagMutability: repository.extra.imageTagMutability ?? 'MUTABLE',
    imageScanningConfiguration: repository.extra.imageScanningConfiguration ?? { scanOnPush: false },
    encryptionConfiguration: repository.extra.encryptionConfiguration ?? { encryptionType: 'AES256' },
  };
}

function imageDetail(state: SimState, repository: string, image: ImageRecord): any {
  return withoutUndefined({
    registryId: registryIdOf(state),
    repositoryName: repository,
    imageDigest: image.digest,
    imageTags: image.tags.length ? [...image.tags] : undefined,
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: image.manifestMediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
  });
}

export function findLocalImage(repository: RepositoryRecord, id: ImageId): ImageRecord | undefined {
  return repository.images.find(
    (image) => (!id.imageDigest || image.digest === id.imageDigest) && (!id.imageTag || image.tags.includes(id.imageTag)),
  );
}

/** Looks an image up in the configured registry, or in the images seeded with addImage. */
async function findImage(state: SimState, repository: RepositoryRecord, id: ImageId, now: number, withManifest = false): Promise<ImageRecord | undefined> {
  const registry = state.config.ecrRegistry;
  if (!registry) return findLocalImage(repository, id);
  const reference = id.imageDigest ?? id.imageTag;
  if (!reference) return undefined;
  const found = await new RegistryClient(registry).manifest(repository.name, reference, withManifest);
  if (!found || (id.imageDigest && found.digest !== id.imageDigest)) return undefined;
  const known = repository.images.find((image) => image.digest === found.digest);
  return {
    digest: found.digest,
    tags: id.imageTag ? [id.imageTag] : (known?.tags ?? []),
    pushedAt: known?.pushedAt ?? firstSeen(repository, found.digest, now),
    sizeInBytes: found.size,
    manifest: found.body ?? '',
    manifestMediaType: found.mediaType,
  };
}

/**
 * A real registry does not tell when an image was pushed: the simulator takes the moment it first saw the
 * digest, and keeps it, so that ECR's imagePushedAt of an image stays put and newer pushes sort after it.
 */
function firstSeen(repository: RepositoryRecord, digest: string, now: number): number {
  repository.firstSeen ??= new Map();
  if (!repository.firstSeen.has(digest)) repository.firstSeen.set(digest, now);
  return repository.firstSeen.get(digest)!;
}

async function allImages(state: SimState, repository: RepositoryRecord, now: number): Promise<ImageRecord[]> {
  const registry = state.config.ecrRegistry;
  if (!registry) return repository.images;
  const byDigest = new Map<string, ImageRecord>();
  for (const tag of await new RegistryClient(registry).tags(repository.name)) {
    const image = await findImage(state, repository, { imageTag: tag }, now);
    if (!image) continue;
    const existing = byDigest.get(image.digest);
    if (existing) existing.tags.push(tag);
    else byDigest.set(image.digest, image);
  }
  return [...byDigest.values()];
}

async function describeImages(state: SimState, input: any, now: number) {
  const repository = requireRepository(state, input.repositoryName, input.registryId);
  const ids: ImageId[] | undefined = input.imageIds;
  let images: ImageRecord[];
  if (ids?.length) {
    images = [];
    for (const id of ids) {
      const image = await findImage(state, repository, id, now);
      if (!image) throw imageNotFound(state, repository.name, id);
      images.push(image);
    }
  } else {
    const tagStatus = input.filter?.tagStatus ?? 'ANY';
    images = (await allImages(state, repository, now)).filter(
      (image) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === image.tags.length > 0,
    );
    const page = pageOf(images, input);
    return { imageDetails: page.items.map((image) => imageDetail(state, repository.name, image)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }
  return { imageDetails: images.map((image) => imageDetail(state, repository.name, image)) };
}

/** ECR's DescribeImages and ListImages without imageIds: up to maxResults (1-1000, default 100) a page, then a nextToken. */
function pageOf<T>(items: T[], input: any): { items: T[]; nextToken?: string } {
  const max = input.maxResults ?? 100;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new AwsError('InvalidParameterException', "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'");
  }
  const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidParameterException', 'Invalid parameter at nextToken: the token is not valid');
  const end = start + max;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined };
}

async function listImages(state: SimState, input: any, now: number) {
  const repository = requireRepository(state, input.repositoryName, input.registryId);
  const tagStatus = input.filter?.tagStatus ?? 'ANY';
  const ids = (await allImages(state, repository, now))
    .filter((image) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === image.tags.length > 0)
    .flatMap((image) => (image.tags.length ? image.tags.map((tag) => ({ imageDigest: image.digest, imageTag: tag })) : [{ imageDigest: image.digest }]));
  const page = pageOf(ids, input);
  return { imageIds: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/**
 * BatchDeleteImage: an image named by digest goes with all its tags; one named by tag loses the tag, and
 * goes when that was its last. At most 100 image IDs; what is not there is a failure, not an error.
 */
async function batchDeleteImage(state: SimState, input: any, now: number) {
  const repository = requireRepository(state, input.repositoryName, input.registryId);
  const ids: ImageId[] = input.imageIds ?? [];
  if (ids.length < 1 || ids.length > 100) {
    throw new AwsError('InvalidParameterException', "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
  }
  const imageIds: ImageId[] = [];
  const failures: any[] = [];
  const registry = state.config.ecrRegistry;
  for (const id of ids) {
    if (!id.imageDigest && !id.imageTag) {
      failures.push({ imageId: id, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' });
      continue;
    }
    const image = await findImage(state, repository, id, now);
    if (!image) {
      failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      continue;
    }
    if (registry) {
      const deleted = await new RegistryClient(registry).deleteManifest(repository.name, image.digest).catch(() => false);
      if (!deleted) {
        failures.push({ imageId: id, failureCode: 'ImageReferencedByManifestList', failureReason: 'The registry refused to delete the manifest' });
        continue;
      }
    }
    const local = repository.images.find((candidate) => candidate.digest === image.digest);
    if (id.imageTag && !id.imageDigest && local) {
      local.tags = local.tags.filter((tag) => tag !== id.imageTag);
      if (local.tags.length === 0) repository.images.splice(repository.images.indexOf(local), 1);
    } else if (local) {
      repository.images.splice(repository.images.indexOf(local), 1);
    }
    imageIds.push(withoutUndefined({ imageDigest: image.digest, imageTag: id.imageTag }));
  }
  return { imageIds, failures };
}

async function batchGetImage(state: SimState, input: any, now: number) {
  const repository = requireRepository(state, input.repositoryName, input.registryId);
  const images: any[] = [];
  const failures: any[] = [];
  for (const id of (input.imageIds ?? []) as ImageId[]) {
    const image = await findImage(state, repository, id, now, true);
    if (!image) {
      failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      continue;
    }
    images.push({
      registryId: registryIdOf(state),
      repositoryName: repository.name,
      imageId: withoutUndefined({ imageDigest: image.digest, imageTag: id.imageTag }),
      imageManifest: image.manifest,
      imageManifestMediaType: image.manifestMediaType,
    });
  }
  return { images, failures };
}

async function putImage(state: SimState, input: any, now: number) {
  const repository = requireRepository(state, input.repositoryName, input.registryId);
  const manifest: string = input.imageManifest ?? '';
  let declared: { mediaType?: string };
  try {
    declared = JSON.parse(manifest);
  } catch {
    throw new AwsError('InvalidParameterException', 'Invalid parameter at imageManifest: the manifest is not valid JSON');
  }
  const mediaType: string = input.imageManifestMediaType ?? declared.mediaType ?? DOCKER_MANIFEST_TYPE;
  const digest = input.imageDigest ?? manifestDigest(manifest);
  const current = await findImage(state, repository, { imageTag: input.imageTag }, now);
  if (input.imageTag && current?.digest === digest) {
    throw new AwsError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}' and tag '${input.imageTag}' already exists in the repository with name '${repository.name}' in registry with id '${registryIdOf(state)}'`,
    );
  }
  const registry = state.config.ecrRegistry;
  if (registry) await new RegistryClient(registry).putManifest(repository.name, input.imageTag ?? digest, manifest, mediaType);
  const image = tagImage(repository, input.imageTag, digest, now, manifest, mediaType);
  return {
    image: withoutUndefined({
      registryId: registryIdOf(state),
      repositoryName: repository.name,
      imageId: withoutUndefined({ imageDigest: digest, imageTag: input.imageTag }),
      imageManifest: image.manifest,
      imageManifestMediaType: image.manifestMediaType,
    }),
  };
}

export const ecrHandlers: HandlerTable = {
  GetAuthorizationToken(state, _input, now) {
    const registry = state.config.ecrRegistry;
    const username = registry?.username ?? DEFAULT_USERNAME;
    const password = registry?.password ?? DEFAULT_PASSWORD;
    const proxyEndpoint = registry?.proxyEndpoint ?? `https://${registryHost(state)}`;
    return {
      authorizationData: [
        {
          authorizationToken: Buffer.from(`${username}:${password}`).toString('base64'),
          expiresAt: epochSeconds(now + TOKEN_LIFETIME_MS),
          proxyEndpoint,
        },
      ],
    };
  },

  CreateRepository(state, input, now) {
    const extra: Record<string, any> = {};
    for (const field of ['imageTagMutability', 'imageScanningConfiguration', 'encryptionConfiguration']) {
      if (input[field] !== undefined) extra[field] = input[field];
    }
    return { repository: repositoryView(state, createRepository(state, input.repositoryName ?? '', now, extra)) };
  },

  DescribeRepositories(state, input) {
    const names: string[] | undefined = input.repositoryNames;
    const repositories = names?.length
      ? names.map((name) => requireRepository(state, name, input.registryId))
      : [...state.repositories.values()].sort((a, b) => a.name.localeCompare(b.name));
    return { repositories: repositories.map((repository) => repositoryView(state, repository)) };
  },

  DescribeImages: describeImages,
  ListImages: listImages,
  BatchGetImage: batchGetImage,
  BatchDeleteImage: batchDeleteImage,
  PutImage: putImage,
};
