import { NODE24, runAction, runCli, runTimed, tempDir } from './process';
import { benchWorld, CLUSTER, REPOSITORY, SERVICE } from './world';

export interface StartupSamples {
  /** `node -e 0`: spawn to exit. */
  nodeMs: number[];
  /** `ecs-ship --version`: spawn to exit (what loading the bundle's entry costs). */
  versionMs: number[];
  /** ecs-ship: spawn to the first AWS request the simulator received, per front end (Node's compile cache warm: the bench's own directory). */
  firstRequestMs: { github: number[]; cli: number[] };
  /** The same with no compile cache: a machine's first run (a fresh GitHub-hosted runner). */
  coldFirstRequestMs: { github: number[]; cli: number[] };
  /** A re-run of the commit already deployed: spawn to exit, and the calls it made. */
  rerun: Array<{ frontEnd: 'github' | 'cli'; wallMs: number; code: number | null; calls: string[] }>;
}

/**
 * Re-runs of a deploy that is already done, interleaved with `node -e 0`, one process at a time:
 * each gives a start-up time (to its first AWS request) and a "nothing to do" time (to its exit).
 */
export async function measureStartup(action: string, repetitions: number): Promise<StartupSamples> {
  const world = await benchWorld();
  const samples: StartupSamples = { nodeMs: [], versionMs: [], firstRequestMs: { github: [], cli: [] }, coldFirstRequestMs: { github: [], cli: [] }, rerun: [] };
  // The compile cache in a directory of the bench's own, filled by the warm-up runs; NODE_DISABLE_COMPILE_CACHE for the cold runs.
  const warm = { NODE_COMPILE_CACHE: tempDir('ecs-ship-bench-compile-cache-') };
  const cold = { NODE_DISABLE_COMPILE_CACHE: '1' };
  try {
    const image = `${REPOSITORY}:v2`;
    // With a migration configured: a re-run of what is deployed skips it.
    const inputs = { ...world.inputs(image), 'migration-command': 'bin/migrate' };
    const first = await runAction(action, inputs, world.sim.url, world.dir, warm);
    if (first.code !== 0) throw new Error(`the first deploy failed:\n${first.log}`);
    const cliArgs = ['deploy', ...Object.entries(inputs).flatMap(([name, value]) => [`--${name}`, value])];
    const deploy = (frontEnd: 'github' | 'cli', env: Record<string, string>) =>
      frontEnd === 'github' ? runAction(action, inputs, world.sim.url, world.dir, env) : runCli(action, cliArgs, world.sim.url, world.dir, env);
    const nodeDir = tempDir('ecs-ship-bench-node-');
    // One warm-up of each, not counted: the first spawn pays for cold file caches.
    await runTimed(NODE24, ['-e', '0'], {}, nodeDir);
    await runCli(action, cliArgs, world.sim.url, world.dir, warm);
    for (let i = 0; i < repetitions; i++) {
      const node = await runTimed(NODE24, ['-e', '0'], { PATH: process.env.PATH ?? '' }, nodeDir);
      samples.nodeMs.push(node.exitedAt - node.spawnedAt);
      const version = await runTimed(NODE24, [action, '--version'], { PATH: process.env.PATH ?? '' }, nodeDir);
      samples.versionMs.push(version.exitedAt - version.spawnedAt);
      for (const frontEnd of ['github', 'cli'] as const) {
        const before = world.sim.calls.length;
        const run = await deploy(frontEnd, warm);
        const calls = world.sim.calls.slice(before);
        if (calls.length) samples.firstRequestMs[frontEnd].push(calls[0].time - run.spawnedAt);
        samples.rerun.push({ frontEnd, wallMs: run.exitedAt - run.spawnedAt, code: run.code, calls: calls.map((call) => call.action) });
        const coldBefore = world.sim.calls.length;
        const coldRun = await deploy(frontEnd, cold);
        const coldCalls = world.sim.calls.slice(coldBefore);
        if (coldCalls.length) samples.coldFirstRequestMs[frontEnd].push(coldCalls[0].time - coldRun.spawnedAt);
      }
    }
    const service = world.sim.service(CLUSTER, SERVICE);
    if (!String(service.taskDefinition).endsWith(':2')) throw new Error(`the service runs ${service.taskDefinition}, expected revision 2`);
  } finally {
    await world.close();
  }
  return samples;
}
