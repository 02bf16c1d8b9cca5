// Build and push with docker buildx when it is there, else the classic builder plus docker push.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import { buildxArgv, classicBuildArgv, classicCacheImage, type BuildPlan } from './argv';
import { createTempDockerConfig, type TempDockerConfig } from './docker-config';
import { requireDockerEngine } from './engine';
import { classifyDockerFailure, docker, dockerError, dockerLogin, hasBuildx, pushedDigest, repoDigest, type DockerContext } from './docker';
import type { EcrLogin } from './registry';
import type { RunResult } from './process';

export type { BuildPlan } from './argv';

export interface BuildOptions {
  host: string;
  /** `host/repository`, without tag. */
  repository: string;
  /** ECR credentials: logged in through a private DOCKER_CONFIG. Without them the user's own login is used. */
  login?: EcrLogin;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  /** Cancelling the run stops the docker command in progress. */
  signal?: AbortSignal;
  /** Asks the registry for the pushed digest when the build output did not say it. */
  digestFromRegistry: () => Promise<string | undefined>;
}

/** Builds, pushes every tag in the plan, and returns the pushed digest. */
export async function buildAndPush(plan: BuildPlan, options: BuildOptions): Promise<string> {
  const { reporter, login } = options;
  const workDir = await mkdtemp(join(options.env.RUNNER_TEMP || tmpdir(), 'ecs-ship-build-'));
  let config: TempDockerConfig | undefined;
  try {
    const context: DockerContext = { env: { ...options.env }, secrets: login ? [login.password] : [], onLine: (line) => reporter.info(line), signal: options.signal };
    await requireDockerEngine(context);
    if (login) {
      config = await createTempDockerConfig(options.env, options.host);
      context.env.DOCKER_CONFIG = config.dir;
      await dockerLogin(options.host, login.username, login.password, context);
      reporter.info(`Logged in to ${options.host}.`);
    }
    const digest = (await hasBuildx(context)) ? await withBuildx(plan, context, workDir, options.host) : await withClassic(plan, context, options);
    return digest ?? (await registryDigest(options));
  } finally {
    await config?.remove();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function registryDigest(options: BuildOptions): Promise<string> {
  const digest = await options.digestFromRegistry();
  if (!digest) throw new DeployError(`Pushed ${options.repository}, but the registry does not report a digest for it.`);
  return digest;
}

function buildError(result: RunResult, host: string): DeployError {
  if (classifyDockerFailure(result.lines) === 'daemon') return dockerError('docker build', host, result);
  const tail = result.lines.length ? `\nLast lines of its output:\n  ${result.lines.join('\n  ')}` : '';
  return new DeployError(`docker build failed (exit code ${result.code}).${tail}`, result.lines);
}

async function withBuildx(plan: BuildPlan, context: DockerContext, workDir: string, host: string): Promise<string | undefined> {
  const metadataFile = join(workDir, 'metadata.json');
  const result = await docker(buildxArgv(plan, metadataFile), context);
  if (result.code !== 0) {
    const kind = classifyDockerFailure(result.lines);
    if (kind === 'auth' || kind === 'unreachable') throw dockerError('docker buildx build --push', host, result);
    throw buildError(result, host);
  }
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  return typeof digest === 'string' && digest.startsWith('sha256:') ? digest : undefined;
}

async function withClassic(plan: BuildPlan, context: DockerContext, options: BuildOptions): Promise<string | undefined> {
  const { reporter } = options;
  if (plan.platform?.includes(',')) throw new DeployError(`platform: building for several platforms (${plan.platform}) needs docker buildx, which is not installed.`);
  if (plan.cacheTo.length > 0) reporter.warn('cache-to needs docker buildx, which is not installed; no build cache is exported.');
  const cacheImages: string[] = [];
  for (const entry of plan.cacheFrom) {
    const image = classicCacheImage(entry);
    if (!image) {
      reporter.warn(`cache-from "${entry}" needs docker buildx; ignored by the classic builder.`);
      continue;
    }
    const pulled = await docker(['pull', image], { ...context, onLine: undefined });
    if (pulled.code === 0) cacheImages.push(image);
    else reporter.info(`Cache image ${image} is not available; building without it.`);
  }
  const built = await docker(classicBuildArgv(plan, cacheImages), context);
  if (built.code !== 0) throw buildError(built, options.host);

  let digest: string | undefined;
  for (const tag of plan.tags) {
    const pushed = await docker(['push', tag], context);
    if (pushed.code !== 0) throw dockerError(`docker push ${tag}`, options.host, pushed);
    digest ??= pushedDigest(pushed.lines);
  }
  return digest ?? (await repoDigest(plan.tags[0], options.repository, context));
}
