import { parseKeyValueLines, parseLines, parseList } from '../image/lines';
import type { Inputs } from '../inputs/parse';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { COMMIT_SHA } from '../image/commit';
import { isValidTag, parseImageReference, type ImageReference } from '../image/reference';
import { inputName, setting } from '../inputs/spelling';

/** The image step's request from the inputs; problems name their input. */
export function imageRequest(inputs: Inputs): { request: ImageRequest; problems: string[] } {
  const buildArgs = parseKeyValueLines(inputs.buildArgs, 'build-args');
  const labels = parseKeyValueLines(inputs.labels, 'labels');
  const request: ImageRequest = {
    image: inputs.image,
    build: inputs.build,
    context: inputs.context,
    dockerfile: inputs.dockerfile || undefined,
    buildArgs: buildArgs.values,
    target: inputs.target || undefined,
    labels: labels.values,
    platform: inputs.platform || undefined,
    cacheFrom: parseLines(inputs.cacheFrom),
    cacheTo: parseLines(inputs.cacheTo),
    tags: parseList(inputs.tags),
    releaseTag: inputs.tag || undefined,
    forceBuild: inputs.forceBuild,
  };
  return { request, problems: inputs.build ? [...buildArgs.problems, ...labels.problems] : [] };
}
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
  /** Extra tags besides the release tag. */
  tags: string[];
  /** The tag the build pushes (tag); undefined: the commit's. */
  releaseTag?: string;
  forceBuild: boolean;
  /** Full commit SHA; default GITHUB_SHA, BITBUCKET_COMMIT, else `git rev-parse HEAD` in the context. */
  commit?: string;
}


export function dockerfilePath(request: ImageRequest, cwd = process.cwd()): string {
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
  if (request.releaseTag !== undefined && !isValidTag(request.releaseTag)) {
    problems.push(`tag: "${request.releaseTag}" is not a valid tag (letters, digits, _ . - and at most 128 characters, not starting with . or -).`);
  }
  // Without build, an image without a tag or digest has taken the release tag already (release-tag.ts).
  if (!request.build) return problems;
  if (parsed && (parsed.tag || parsed.digest)) {
    problems.push(`image: with ${setting('build', true)}, give the repository without a tag or digest (the image is tagged with ${inputName('tag')}, or the commit); got "${image}".`);
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

