import type { ECRClient } from '@aws-sdk/client-ecr';
import { splitUserPassword } from '../image/docker-config';
import { hostOfEndpoint } from '../image/reference';
import type { EcrLogin } from '../image/registry';


/** GetAuthorizationToken, decoded. Throws an Error naming what is wrong (never the token). */
export async function ecrLogin(ecr: ECRClient): Promise<EcrLogin> {
  const { GetAuthorizationTokenCommand } = await ecrCommands();
  const response = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = response.authorizationData?.[0];
  if (!data?.authorizationToken) throw new Error('ECR GetAuthorizationToken returned no token');
  const credentials = splitUserPassword(Buffer.from(data.authorizationToken, 'base64').toString('utf8'));
  if (!credentials) throw new Error('ECR GetAuthorizationToken returned a token that is not base64 "user:password"');
  return { host: data.proxyEndpoint ? hostOfEndpoint(data.proxyEndpoint) : undefined, ...credentials };
}

/** The ECR SDK loads only when a run uses ECR (start-up: a run with a known image never does). */
const ecrCommands = () => import('@aws-sdk/client-ecr');

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

/** Where an image lives in ECR: `registryId` is the registry's account (another account's too), undefined for the caller's own. */
export interface EcrRepository {
  registryId?: string;
  repositoryName: string;
}

/** The digest of `repository:tag` in ECR, or undefined when there is no such image. */
export async function ecrImageDigest(ecr: ECRClient, repository: EcrRepository, tag: string): Promise<string | undefined> {
  const { DescribeImagesCommand } = await ecrCommands();
  try {
    const response = await ecr.send(new DescribeImagesCommand({ ...repository, imageIds: [{ imageTag: tag }] }));
    return response.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (errorName(error) === 'ImageNotFoundException') return undefined;
    throw error;
  }
}

/** Points `toTag` at the image `fromTag` names (BatchGetImage + PutImage, no layers move). */
export async function ecrCopyTag(ecr: ECRClient, repository: EcrRepository, fromTag: string, toTag: string): Promise<void> {
  const { BatchGetImageCommand, PutImageCommand } = await ecrCommands();
  const found = await ecr.send(new BatchGetImageCommand({ ...repository, imageIds: [{ imageTag: fromTag }] }));
  const image = found.images?.[0];
  if (!image?.imageManifest) throw new Error(`ECR has no manifest for ${repository.repositoryName}:${fromTag}`);
  try {
    await ecr.send(
      new PutImageCommand({
        ...repository,
        imageTag: toTag,
        imageManifest: image.imageManifest,
        imageManifestMediaType: image.imageManifestMediaType,
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'ImageAlreadyExistsException') throw error;
  }
}

/** One image of a repository as ECR lists it. */
export interface RepositoryImage {
  digest: string;
  tags: string[];
  pushedAt: number;
}

/** Every image of the repository (DescribeImages, all pages), with its tags and push time. */
export async function repositoryImages(ecr: ECRClient, repository: EcrRepository): Promise<RepositoryImage[]> {
  const { DescribeImagesCommand } = await ecrCommands();
  const images: RepositoryImage[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecr.send(new DescribeImagesCommand({ ...repository, maxResults: 1000, nextToken }));
    for (const detail of page.imageDetails ?? []) {
      if (detail.imageDigest) images.push({ digest: detail.imageDigest, tags: detail.imageTags ?? [], pushedAt: detail.imagePushedAt?.getTime() ?? 0 });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return images;
}

/** Deletes up to 100 images by digest (BatchDeleteImage): the digests deleted, and why each other one was not. */
export async function deleteImages(ecr: ECRClient, repository: EcrRepository, digests: string[]): Promise<{ deleted: string[]; failed: Array<{ digest: string; reason: string }> }> {
  const { BatchDeleteImageCommand } = await ecrCommands();
  const out = await ecr.send(new BatchDeleteImageCommand({ ...repository, imageIds: digests.map((imageDigest) => ({ imageDigest })) }));
  return {
    deleted: [...new Set((out.imageIds ?? []).map((id) => id.imageDigest ?? '').filter(Boolean))],
    failed: (out.failures ?? []).map((f) => ({ digest: f.imageId?.imageDigest ?? '', reason: [f.failureCode, f.failureReason].filter(Boolean).join(': ') })),
  };
}
