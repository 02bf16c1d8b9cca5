// Two runs of one app at once (two pipelines, a re-run next to a run): their migrations never overlap.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction } from '../support/harness';
import { CLUSTER } from '../support/world';

let world: AppWorld;
afterEach(async () => world?.close());

describe('two runs of one app at once', () => {
  test('given a second run while the first one migrates, the second waits for that migration before it runs its own', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 1_500 } : {});
    const first = runAction({}, { endpoint: world.sim.url, cwd: world.dir });
    // The second starts once the first one's migration task runs.
    const deadline = Date.now() + 20_000;
    while (!world.sim.tasks(CLUSTER).some((t) => t.group === 'ecs-ship-migration:web') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = runAction({}, { endpoint: world.sim.url, cwd: world.dir });
    const [a, b] = await Promise.all([first, second]);

    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const migrations = world.sim.tasks(CLUSTER).filter((t) => t.group === 'ecs-ship-migration:web');
    expect(migrations).toHaveLength(2);
    const [one, two] = migrations.sort((x, y) => x.createdAt - y.createdAt);
    // The first migration is over once its container exited and ECS began stopping its task (desiredStatus STOPPED).
    expect(one.stoppingAt).toBeDefined();
    expect(two.createdAt).toBeGreaterThanOrEqual(one.stoppingAt);
    expect(b.log).toContain(`Another migration of service web is running (task ${one.taskArn}, started by ecs-ship); waiting for it before running this one.`);
  }, 60_000);
});
