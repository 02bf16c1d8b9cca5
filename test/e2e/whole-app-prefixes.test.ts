// In a whole-app run the services speak at once: every line one of them prints carries its `[service]`
// prefix, the continuation lines of a multi-line message (stopped tasks, a diff, a plan) included.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runCli } from '../support/harness';

let world: AppWorld;
afterEach(async () => world?.close());

/** The lines of the log from the phase header that starts with `from` up to the next phase header. */
function phaseLines(log: string, from: string): string[] {
  const lines = log.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`── ${from}`));
  const end = lines.findIndex((line, i) => i > start && line.startsWith('── '));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start + 1, end);
}

const SERVICE_PREFIX = /^\[(web|worker|queue)\]( |$)/;

describe('the [service] prefix of a whole-app run', () => {
  test('given a worker whose tasks crash, every line of the rollout, the stopped tasks\' details included, starts with its service\'s prefix', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    world.sim.scenario.task = (ctx) =>
      ctx.startedBy === 'service' && ctx.taskDefinition.family === 'worker' && ctx.taskDefinition.revision === 2 ? { runMs: 60, exitCode: 1, containerReason: 'Error: worker cannot reach the queue' } : {};
    const run = await runCli(['deploy'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(1);
    const rollout = phaseLines(run.log, 'Rollout');
    expect(rollout.filter((line) => !SERVICE_PREFIX.test(line))).toEqual([]);
    expect(rollout).toContainEqual(expect.stringMatching(/^\[worker\] {5}container worker: exit code 1, reason "Error: worker cannot reach the queue"$/));
  }, 60_000);

  test('a dry run\'s plan of each service (verification table, diff, steps) is prefixed on every line', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await runCli(['deploy', '--dry-run'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    for (const name of ['web', 'worker', 'queue']) {
      const plan = phaseLines(run.log, `Plan ${name}`);
      expect(plan.filter((line) => !new RegExp(`^\\[${name}\\]( |$)`).test(line))).toEqual([]);
      expect(plan).toContain(`[${name}]   3. ${name === 'web' ? 'run the migration ["migrate"] in container "web" and stop if it fails' : 'run no migration'}`);
    }
  }, 60_000);
});
