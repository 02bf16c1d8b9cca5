// The image phase: carries out the image's plan — the input as it is, the commit's image reused (its
// extra tags moved), or a build and push.
import { resolve } from 'node:path';
import { buildAndPush, type BuildPlan } from '../image/build';
import { ecrCopyTag } from '../aws/ecr';
import { parseImageReference } from '../image/reference';
import { copyTag } from '../image/registry';
import { setting } from '../inputs/spelling';
import { InputError } from '../shared/errors';
import { dockerfilePath, type ImageRequest } from '../request/image-request';
import { ecrRepository, existingDigest, planImage, unknownAccount, type ImageDeps, type ImagePlan, type Target } from '../plan/image-plan';
import type { DeployPlan } from '../plan/deploy-plan';
import type { Voice } from '../request/voice';
import { withImageReferences } from './image-references';
import type { DeployDeps } from './run-deps';
import type { Phase } from './service-run';

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

/** The image's plan, then the plan carried out: what a deploy of one image does. */
export async function prepareImage(request: ImageRequest, deps: ImageDeps): Promise<ImageResult> {
  return carryOutImage(await planImage(request, deps), deps);
}

/** `request` may differ from the plan's in its build args and labels: those get the references of the images built before it. */
export async function carryOutImage(plan: ImagePlan, deps: ImageDeps, request: ImageRequest = plan.request): Promise<ImageResult> {
  const { reporter } = deps;
  if (plan.kind === 'as-is') return useAsIs(plan.reference, reporter);
  const { registry, repo, tag, tagged, extraTags, commit } = plan;
  if (plan.kind === 'reuse') {
    reporter.info(`${tagged} is already in the registry (${plan.digest}); not building it again (${setting('force-build', true)} would).`);
    await moveExtraTags(registry, tag, extraTags, deps);
    return { reference: plan.reference, tagged, digest: plan.digest, built: false, reused: true };
  }
  const build: BuildPlan = {
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
    buildAndPush(build, {
      host: registry.host,
      repository: repo,
      login: registry.login,
      env: deps.env,
      reporter,
      signal: deps.signal,
      digestFromRegistry: () => existingDigest(registry, tag, deps),
    }),
  );
  return { reference: `${repo}@${digest}`, tagged, digest, built: true, reused: false };
}

function useAsIs(image: string, reporter: ImageDeps['reporter']): ImageResult {
  let digest: string | undefined;
  try {
    digest = parseImageReference(image).digest;
  } catch (error) {
    throw new InputError([`image: "${image}" is not a valid image reference: ${(error as Error).message}.`]);
  }
  reporter.info(`With ${setting('build', false)}, ${image} is deployed as is.`);
  return { reference: image, tagged: image, digest, built: false, reused: false };
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

/**
 * The image phase: each planned image in dependency order; an image's build args and labels get the
 * references of those before it. One service from the inputs has its own image, under "Image".
 */
export async function carryOutImages(plan: DeployPlan, deps: ImagePhaseDeps, voice: Voice): Promise<Map<string, ImageResult>> {
  const results = new Map<string, ImageResult>();
  const imageDeps = async () => ({ ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal });
  for (const image of plan.images) {
    const references = Object.fromEntries(plan.images.filter((i) => i.placeholder && results.has(i.name)).map((i) => [i.placeholder!, results.get(i.name)!.reference]));
    const request = withImageReferences(image.plan.request, references);
    const result = await deps.phase(voice.title('Image', image.name), async () => carryOutImage(image.plan, await imageDeps(), request));
    results.set(image.name, result);
    if (!voice.single) deps.record.app!.images.push({ name: image.name, reference: result.reference, digest: result.digest, built: result.built });
    deps.signal?.throwIfAborted();
  }
  return results;
}

export type ImagePhaseDeps = DeployDeps & { phase: Phase };
