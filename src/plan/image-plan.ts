// The image a run deploys, decided before any change: the input as it is (build: false), the release
// tag's (default: the commit's) image already in the registry (reused), or an image to build and push. Only reads: an ECR login, a tag lookup.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { resolve } from 'node:path';
import { commitTag, resolveCommit } from '../image/commit';
import { userRegistryAuth } from '../image/docker-config';
import { ecrImageDigest, ecrLogin } from '../aws/ecr';
import { awsEcrAccount, awsEcrRegion, isAwsEcrHost, parseImageReference, type ImageReference } from '../image/reference';
import { manifestDigest, RegistryError, type EcrLogin, type RegistryAuth } from '../image/registry';
import { DeployError, InputError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import { validateImageRequest, type ImageRequest } from '../request/image-request';

export interface ImageDeps {
  ecr: ECRClient;
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
  region: string;
  accountId: () => Promise<string>;
  signal?: AbortSignal;
}

/** Where the image goes and how to reach it. */
export interface Target {
  host: string;
  repository: string;
  /** Set when the registry is ECR: we log in with this token. */
  login?: EcrLogin;
  /** AWS ECR proper: tag checks use the ECR API; other registries (incl. a custom ECR endpoint) the registry API. */
  ecrApi: boolean;
  /** For the registry API checks. */
  auth?: RegistryAuth;
}

/** Where the image comes from: the input as it is, the commit's image in the registry, or a build. */
export type ImagePlan =
  | { kind: 'as-is'; request: ImageRequest; reference: string }
  | { kind: 'reuse'; request: ImageRequest; registry: Target; repo: string; tag: string; tagged: string; extraTags: string[]; commit?: string; reference: string; digest: string }
  | { kind: 'build'; request: ImageRequest; registry: Target; repo: string; tag: string; tagged: string; extraTags: string[]; commit?: string };

/** What the run will do for the image; the ECR login it needs (its secret registered with the reporter) and a lookup of the commit's tag. */
export async function planImage(request: ImageRequest, deps: ImageDeps): Promise<ImagePlan> {
  if (!request.build) return { kind: 'as-is', request, reference: request.image.trim() };
  const problems = await validateImageRequest(request);
  if (problems.length > 0) throw new InputError(problems);
  const registry = await resolveTarget(parseImageReference(request.image), deps);
  // With a release tag (tag) the commit only labels the image, when it can be told; without one it is the tag.
  const commit = request.releaseTag ? await commitOf(request, deps.env).catch(() => undefined) : await commitOf(request, deps.env);
  const tag = request.releaseTag ?? commitTag(commit!);
  const repo = `${registry.host}/${registry.repository}`;
  const where = { request, registry, repo, tag, tagged: `${repo}:${tag}`, extraTags: [...new Set(request.tags.filter((extra) => extra !== tag))], commit };
  const existing = request.forceBuild ? undefined : await existingDigest(registry, tag, deps);
  return existing ? { kind: 'reuse', ...where, reference: `${repo}@${existing}`, digest: existing } : { kind: 'build', ...where };
}

async function commitOf(request: ImageRequest, env: NodeJS.ProcessEnv): Promise<string> {
  if (request.commit) return request.commit.toLowerCase();
  try {
    return await resolveCommit(env, resolve(request.context || '.'));
  } catch (error) {
    throw new DeployError(`Cannot tell which commit to tag the image with: ${(error as Error).message}.`);
  }
}

async function getLogin(deps: ImageDeps): Promise<EcrLogin> {
  const login = await ecrLogin(deps.ecr);
  deps.reporter.secret(login.password);
  deps.reporter.secret(Buffer.from(`${login.username}:${login.password}`).toString('base64'));
  return login;
}

async function requireLogin(deps: ImageDeps): Promise<EcrLogin> {
  try {
    return await getLogin(deps);
  } catch (error) {
    throw new DeployError(`Could not get an ECR login (GetAuthorizationToken): ${(error as Error).message}`);
  }
}

async function resolveTarget(image: ImageReference, deps: ImageDeps): Promise<Target> {
  const { repository, registry } = image;
  if (!registry) {
    const login = await requireLogin(deps);
    const host = login.host ?? (await defaultEcrHost(deps));
    return { host, repository, login, ecrApi: isAwsEcrHost(host), auth: login };
  }
  if (isAwsEcrHost(registry)) {
    const region = awsEcrRegion(registry);
    if (region !== deps.region) {
      throw new InputError([`image: registry ${registry} is in ${region}, but ECR is used in ${deps.region}; set aws-region to ${region} or push to this region's registry.`]);
    }
    const login = await requireLogin(deps);
    return { host: registry, repository, login, ecrApi: true, auth: login };
  }
  // Any other host is ECR only when it is where the ECR token is for (a custom ECR endpoint).
  const login = await getLogin(deps).catch((error: Error) => {
    deps.reporter.debug(`No ECR token (${error.message}); ${registry} is used with your own Docker login.`);
    return undefined;
  });
  if (login && login.host === registry) return { host: registry, repository, login, ecrApi: false, auth: login };
  const auth = await userRegistryAuth(registry, deps.env);
  if (auth) deps.reporter.secret(auth.password);
  return { host: registry, repository, ecrApi: false, auth };
}

async function defaultEcrHost(deps: ImageDeps): Promise<string> {
  const suffix = deps.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${await deps.accountId()}.dkr.ecr.${deps.region}.${suffix}`;
}

/** The ECR API's address of the target: its registry is named, so another account's registry is asked, not the caller's. */
export const ecrRepository = (target: Target) => ({ registryId: awsEcrAccount(target.host), repositoryName: target.repository });

/** The digest of `repo:tag` when the registry has it. */
export async function existingDigest(target: Target, tag: string, deps: ImageDeps): Promise<string | undefined> {
  const what = `${target.host}/${target.repository}:${tag}`;
  if (target.ecrApi) {
    try {
      return await ecrImageDigest(deps.ecr, ecrRepository(target), tag);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'RepositoryNotFoundException') {
        throw new DeployError(`ECR repository "${target.repository}" does not exist in ${target.host}; create it before deploying.`);
      }
      throw new DeployError(`Could not check whether ${what} exists (ECR DescribeImages): ${(error as Error).message}`);
    }
  }
  try {
    return await manifestDigest(target.host, target.repository, tag, target.auth);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    if (error.kind === 'unreachable') throw new DeployError(`Could not check whether ${what} exists: ${error.message}.`);
    if (error.kind === 'auth' && target.login) {
      throw new DeployError(`Authentication failed: registry ${target.host} refused the ECR credentials (HTTP ${error.status}) while checking for ${what}.`);
    }
    deps.reporter.warn(`Could not check whether ${what} exists (${error.message}); building it.`);
    return undefined;
  }
}

/** When ECR names no registry for the account, the image must name its registry. */
export async function unknownAccount(): Promise<string> {
  throw new DeployError('image: ECR returned no registry address for this account; give image as a full registry/repository URI.');
}
