import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv } from '../test/support/docker-env';
import { ROOT, runAction, type Exited } from './process';
import { benchWorld, CLUSTER, SERVICE, type BenchWorld } from './world';

export interface BuildPathSamples {
  /** Why the build path was not measured (no engine or registry here). */
  skipped?: string;
  /** Wall time of whole runs (build, push, register, UpdateService; wait: false; each starts on a settled service), in ms. */
  firstBuildMs: number[];
  rebuildMs: number[];
  redeployMs: number[];
}

const REUSED = /is already in the registry/;

/** A FROM scratch app whose first layer is new each time, so that a first build shares no layer with earlier ones. */
function freshContext(dir: string, busybox: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'seed'), randomBytes(16).toString('hex'));
  copyFileSync(busybox, join(dir, 'busybox'));
  copyFileSync(join(ROOT, 'test/fixtures/app/app.sh'), join(dir, 'app.sh'));
  const dockerfile = ['FROM scratch', 'COPY seed /seed', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'COPY app.sh /app/app.sh', 'ENTRYPOINT ["/bin/sh", "/app/app.sh"]'];
  writeFileSync(join(dir, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
  return dir;
}

/**
 * The image path, one process at a time: a first build and push of a new commit, a rebuild after a
 * one-line change (the layers before it come from the cache), and a redeploy of that unchanged commit
 * (found in the registry: no build).
 */
export async function measureBuildPath(action: string, repetitions: number): Promise<BuildPathSamples> {
  const docker = dockerEnv();
  const samples: BuildPathSamples = { firstBuildMs: [], rebuildMs: [], redeployMs: [] };
  if (!docker.available) return { ...samples, skipped: docker.reason };
  const world = await benchWorld({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
  try {
    for (let i = 0; i < repetitions; i++) {
      const context = freshContext(join(world.dir, `app-${i}`), docker.busybox);
      const first = await deployCommit(world, action, context, docker.env);
      await rolledOut(world);
      appendFileSync(join(context, 'app.sh'), `# change ${i}\n`);
      const changed = randomBytes(20).toString('hex');
      const rebuild = await deployCommit(world, action, context, docker.env, changed);
      await rolledOut(world);
      const redeploy = await deployCommit(world, action, context, docker.env, changed);
      expectRun(first, false, 'first build');
      expectRun(rebuild, false, 'rebuild');
      expectRun(redeploy, true, 'redeploy');
      samples.firstBuildMs.push(first.exitedAt - first.spawnedAt);
      samples.rebuildMs.push(rebuild.exitedAt - rebuild.spawnedAt);
      samples.redeployMs.push(redeploy.exitedAt - redeploy.spawnedAt);
    }
  } finally {
    await world.close();
  }
  return samples;
}

function deployCommit(world: BenchWorld, action: string, context: string, dockerVars: Record<string, string>, commit = randomBytes(20).toString('hex')): Promise<Exited> {
  const inputs = { ...world.inputs('ecs-ship-bench/web'), build: 'true', context, wait: 'false' };
  return runAction(action, inputs, world.sim.url, world.dir, { ...dockerVars, GITHUB_SHA: commit });
}

/** The runs do not wait for their rollouts; the next one starts when the simulator has finished the last. */
async function rolledOut(world: BenchWorld): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const deployments = world.sim.service(CLUSTER, SERVICE).deployments as Array<{ rolloutState?: string }>;
    if (deployments.length === 1 && deployments[0].rolloutState === 'COMPLETED') return;
  }
  throw new Error('the service did not settle within a minute');
}

function expectRun(run: Exited, reused: boolean, what: string): void {
  if (run.code !== 0) throw new Error(`the ${what} failed (exit ${run.code}):\n${run.log}`);
  if (REUSED.test(run.log) !== reused) throw new Error(`the ${what} ${reused ? 'built the image again' : 'reused an image'}:\n${run.log}`);
}
