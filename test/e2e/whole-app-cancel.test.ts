// A whole-app run cancelled by the runner says, per service, what is still going on in ECS.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction } from '../support/harness';
import { failureMessage, signalWhenLogShows, type SignalPlan } from '../support/scenarios';

let world: AppWorld;
afterEach(async () => world?.close());

describe('a whole app cancelled', () => {
  test('given SIGINT while three services roll out, the run exits 130, names each deployment in flight, and the services output says they are running', async () => {
    // Rollouts that take a minute: all three are in flight when the runner cancels.
    world = await givenApp({ timing: { stabilizeMs: 60_000 } });
    world.writeConfig(appConfig({ migration: undefined }));
    const signal: SignalPlan = {};
    const run = await runAction({}, { endpoint: world.sim.url, cwd: world.dir, onSpawn: signalWhenLogShows(/(Updated service [\s\S]*){3}/, 'SIGINT', signal) });

    expect(run.code).toBe(130);
    const message = failureMessage(run);
    expect(message).toMatch(/^Cancelled by SIGINT\. In flight: /);
    expect(message).not.toContain('Nothing was in flight');
    for (const name of ['web', 'worker', 'queue']) expect(message).toMatch(new RegExp(`${name}: deployment ecs-svc/\\d+ of service ${name} is still rolling out in ECS`));
    const services = JSON.parse(run.outputs.services);
    for (const name of ['web', 'worker', 'queue']) expect(services[name].outcome).toBe('running');
  }, 60_000);

  test('given SIGINT during the migration, the run names the migration task in flight and no service is updated', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 60_000 } : {});
    const signal: SignalPlan = {};
    const run = await runAction({}, { endpoint: world.sim.url, cwd: world.dir, onSpawn: signalWhenLogShows(/Started migration task/, 'SIGINT', signal) });

    expect(run.code).toBe(130);
    expect(failureMessage(run)).toMatch(/^Cancelled by SIGINT\. In flight: web: migration task arn:aws:ecs:\S+ may still be running\.$/);
    expect(world.sim.mutatingCalls()).not.toContain('UpdateService');
    expect(JSON.parse(run.outputs.services).worker.outcome).toBe('not started');
  }, 60_000);
});
