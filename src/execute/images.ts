// The image to deploy: reuse the release tag's (default: the commit's) image when the registry has it, else build and push it.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { resolve } from 'node:path';
import { buildAndPush, type BuildPlan } from '../image/build';
import { commitTag, resolveCommit } from '../image/commit';
import { userRegistryAuth } from '../image/docker-config';
import { ecrCopyTag, ecrImageDigest, ecrLogin } from '../aws/ecr';
import { awsEcrAccount, awsEcrRegion, isAwsEcrHost, parseImageReference, type ImageReference } from '../image/reference';
import { copyTag, manifestDigest, RegistryError, type EcrLogin, type RegistryAuth } from '../image/registry';
import { setting } from '../inputs/spelling';
import { DeployError, InputError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import { dockerfilePath, validateImageRequest, type ImageRequest } from '../request/image-request';


/** `digest` is what the front end reports as the image-digest output. */
export interface ImageResult {
  /** What the task definition gets: `repo@sha256:…` when built or reused; the input as is with build: false. */
  reference: string;
  /** `repo:<commit tag>`, for humans. */
  tagged: string;
  digest?: string;
  built: boolean;
  reused: boolean;
}

export interface ImageDeps {
  ecr: ECRClient;
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
  region: string;
  accountId: () => Promise<string>;
  signal?: AbortSignal;
}

/** Where the image goes and how to reach it. */
interface Target {
  host: string;
  repository: string;
  /** Set when the registry is ECR: we log in with this token. */
  login?: EcrLogin;
  /** AWS ECR proper: tag checks use the ECR API; other registries (incl. a custom ECR endpoint) the registry API. */
  ecrApi: boolean;
  /** For the registry API checks. */
  auth?: RegistryAuth;
}


export async function prepareImage(request: ImageRequest, deps: ImageDeps): Promise<ImageResult> {
  const { reporter } = deps;
  if (!request.build) return useAsIs(request.image.trim(), reporter);
  const problems = await validateImageRequest(request);
  if (problems.length > 0) throw new InputError(problems);

  const target = await resolveTarget(parseImageReference(request.image), deps);
  // With a release tag the commit only labels the image (when it can be told); without one it is the tag.
  const commit = request.releaseTag ? await commitOf(request, deps.env).catch(() => undefined) : await commitOf(request, deps.env);
  const tag = request.releaseTag ?? commitTag(commit!);
  const repo = `${target.host}/${target.repository}`;
  const tagged = `${repo}:${tag}`;
  const extraTags = [...new Set(request.tags.filter((extra) => extra !== tag))];

  if (!request.forceBuild) {
    const existing = await existingDigest(target, tag, deps);
    if (existing) {
      reporter.info(`${tagged} is already in the registry (${existing}); not building it again (${setting('force-build', true)} would).`);
      await moveExtraTags(target, tag, extraTags, deps);
      return { reference: `${repo}@${existing}`, tagged, digest: existing, built: false, reused: true };
    }
  }

  const plan: BuildPlan = {
    context: resolve(request.context || '.'),
    dockerfile: dockerfilePath(request),
    tags: [tagged, ...extraTags.map((extra) => `${repo}:${extra}`)],
    buildArgs: request.buildArgs,
    labels: { ...ociLabels(deps.env, commit), ...request.labels },
    target: request.target,
    platform: request.platform,
    cacheFrom: request.cacheFrom,
    cacheTo: request.cacheTo,
  };
  const digest = await reporter.phase(`Build and push ${tagged}`, () =>
    buildAndPush(plan, {
      host: target.host,
      repository: repo,
      login: target.login,
      env: deps.env,
      reporter,
      signal: deps.signal,
      digestFromRegistry: () => existingDigest(target, tag, deps),
    }),
  );
  return { reference: `${repo}@${digest}`, tagged, digest, built: true, reused: false };
}

function useAsIs(image: string, reporter: Reporter): ImageResult {
  let digest: string | undefined;
  try {
    digest = parseImageReference(image).digest;
  } catch (error) {
    throw new InputError([`image: "${image}" is not a valid image reference: ${(error as Error).message}.`]);
  }
  reporter.info(`With ${setting('build', false)}, ${image} is deployed as is.`);
  return { reference: image, tagged: image, digest, built: false, reused: false };
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
const ecrRepository = (target: Target) => ({ registryId: awsEcrAccount(target.host), repositoryName: target.repository });

/** The digest of `repo:tag` when the registry has it. */
async function existingDigest(target: Target, tag: string, deps: ImageDeps): Promise<string | undefined> {
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

/** On reuse, extra tags are pointed at the existing image; a failure only warns (the deploy uses the digest). */
async function moveExtraTags(target: Target, tag: string, extraTags: string[], deps: ImageDeps): Promise<void> {
  for (const extra of extraTags) {
    try {
      if (target.ecrApi) await ecrCopyTag(deps.ecr, ecrRepository(target), tag, extra);
      else await copyTag(target.host, target.repository, tag, extra, target.auth);
      deps.reporter.info(`Tagged ${target.host}/${target.repository}:${extra}.`);
    } catch (error) {
      deps.reporter.warn(`Could not tag ${target.host}/${target.repository}:${extra}: ${(error as Error).message}`);
    }
  }
}

/** org.opencontainers.image.* labels; the user's labels win. */
function ociLabels(env: NodeJS.ProcessEnv, commit: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  const source =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : env.BITBUCKET_GIT_HTTP_ORIGIN || undefined;
  if (source) labels['org.opencontainers.image.source'] = source;
  if (commit) labels['org.opencontainers.image.revision'] = commit;
  return labels;
}
