// `ecs-ship run` against a world: the command, the RunTask calls the simulator received, and the script
// the one-off tasks follow.
import { runCli, type RunOptions, type RunResult } from './harness';
import { CLUSTER, SERVICE, type World } from './world';

export function runOneOff(world: World, args: string[], options: Partial<RunOptions> = {}): Promise<RunResult> {
  return runCli(['run', SERVICE, '--cluster', CLUSTER, ...args], { endpoint: world.sim.url, ...options });
}

/** The RunTask calls the simulator received. */
export const runTaskCallsOf = (world: World) => world.sim.calls.filter((call) => call.action === 'RunTask').map((call) => call.input);

/** The one-off tasks (not the service's) follow `script`. */
export const scriptOneOffs = (world: World, script: object) => (world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? script : {}));
