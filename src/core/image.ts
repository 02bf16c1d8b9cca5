// The image to deploy: reuse the commit's image when the registry has it, else build and push it.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildAndPush, type BuildPlan } from '../image/build';
import { COMMIT_SHA, commitTag, resolveCommit } from '../image/commit';
import { userRegistryAuth } from '../image/docker-config';
import { ecrCopyTag, ecrImageDigest, ecrLogin } from '../aws/ecr';
import { awsEcrAccount, awsEcrRegion, isAwsEcrHost, isValidTag, parseImageReference, type ImageReference } from '../image/reference';
import { copyTag, manifestDigest, RegistryError, type EcrLogin, type RegistryAuth } from '../image/registry';
import { setting } from '../inputs/spelling';
import { DeployError, InputError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';

export interface ImageRequest {
  /** ECR repository name or `registry/repository`; with build: false, the complete reference to deploy. */
  image: string;
  build: boolean;
  context: string;
  /** Relative to the working directory, like `docker build --file`. Default: `Dockerfile` in the context. */
  dockerfile?: string;
  buildArgs: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  platform?: string;
  cacheFrom: string[];
  cacheTo: string[];
  /** Extra tags besides the commit tag. */
  tags: string[];
  forceBuild: boolean;
  /** Full commit SHA; default GITHUB_SHA, BITBUCKET_COMMIT, else `git rev-parse HEAD` in the context. */
  commit?: string;
}

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

function dockerfilePath(request: ImageRequest, cwd = process.cwd()): string {
  return request.dockerfile ? resolve(cwd, request.dockerfile) : join(resolve(cwd, request.context || '.'), 'Dockerfile');
}

/** Problems with the request, each naming its input; checked before any side effect. */
export async function validateImageRequest(request: ImageRequest, cwd = process.cwd()): Promise<string[]> {
  const problems: string[] = [];
  const image = request.image.trim();
  if (image === '') return ['image: required, but empty. Expected an ECR repository name or a registry/repository URI, or task-definition-arn to deploy an existing revision.'];
  let parsed: ImageReference | undefined;
  try {
    parsed = parseImageReference(image);
  } catch (error) {
    problems.push(`image: "${image}" is not a valid image reference: ${(error as Error).message}.`);
  }
  if (!request.build) {
    if (parsed && !parsed.tag && !parsed.digest) problems.push(`image: with ${setting('build', false)}, give the complete reference to deploy, with a tag or a digest; got "${image}".`);
    return problems;
  }
  if (parsed && (parsed.tag || parsed.digest)) {
    problems.push(`image: with ${setting('build', true)}, give the repository without a tag or digest (the image is tagged with the commit); got "${image}".`);
  }
  const context = resolve(cwd, request.context || '.');
  if (!(await isDirectory(context))) problems.push(`context: directory "${request.context}" does not exist (looked at ${context}).`);
  const dockerfile = dockerfilePath(request, cwd);
  if (!(await isFile(dockerfile))) {
    problems.push(request.dockerfile ? `dockerfile: "${request.dockerfile}" does not exist (looked at ${dockerfile}).` : `dockerfile: no Dockerfile in the context (looked at ${dockerfile}).`);
  }
  problems.push(...keyProblems('build-args', request.buildArgs), ...keyProblems('labels', request.labels));
  for (const tag of request.tags) {
    if (!isValidTag(tag)) problems.push(`tags: "${tag}" is not a valid tag (letters, digits, _ . - and at most 128 characters, not starting with . or -).`);
  }
  if (request.platform && !/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?(?:,[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?)*$/.test(request.platform)) {
    problems.push(`platform: expected os/arch[/variant] such as linux/amd64 (several separated by commas), got "${request.platform}".`);
  }
  if (request.target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(request.target)) problems.push(`target: "${request.target}" is not a build stage name.`);
  if (request.commit !== undefined && !COMMIT_SHA.test(request.commit)) problems.push(`commit: "${request.commit}" is not a git commit SHA.`);
  return problems;
}

export async function prepareImage(request: ImageRequest, deps: ImageDeps): Promise<ImageResult> {
  const { reporter } = deps;
  if (!request.build) return useAsIs(request.image.trim(), reporter);
  const problems = await validateImageRequest(request);
  if (problems.length > 0) throw new InputError(problems);

  const target = await resolveTarget(parseImageReference(request.image), deps);
  const commit = await commitOf(request, deps.env);
  const tag = commitTag(commit);
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
function ociLabels(env: NodeJS.ProcessEnv, commit: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const source =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : env.BITBUCKET_GIT_HTTP_ORIGIN || undefined;
  if (source) labels['org.opencontainers.image.source'] = source;
  labels['org.opencontainers.image.revision'] = commit;
  return labels;
}

/** The names are not quoted: a line such as `TOKEN: abc=` has part of its value before the `=`. */
function keyProblems(input: string, values: Record<string, string>): string[] {
  const bad = Object.keys(values).filter((key) => key.trim() === '' || /[\s=]/.test(key)).length;
  if (bad === 0) return [];
  return [`${input}: ${bad === 1 ? 'a name has' : `${bad} names have`} a space in it (expected KEY=VALUE with no spaces in KEY; not KEY: VALUE).`];
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
