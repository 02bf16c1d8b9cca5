// The whole app in one step: several services from one config file, one migration, rolled out together,
// and rolled back together when one of them fails.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction, runCli, runPipe, type RunResult } from '../support/harness';
import { failureMessage } from '../support/scenarios';

let world: AppWorld;
afterEach(async () => world?.close());

function deployApp(inputs: Record<string, string> = {}): Promise<RunResult> {
  return runAction(inputs, { endpoint: world.sim.url, cwd: world.dir });
}

const count = (calls: string[], action: string) => calls.filter((c) => c === action).length;

/** The services' new tasks of revision 2 of `family` crash at once (the circuit breaker then rolls it back). */
function crashingRevision(family: string): void {
  world.sim.scenario.task = (ctx) =>
    ctx.startedBy === 'service' && ctx.taskDefinition.family === family && ctx.taskDefinition.revision === 2 ? { runMs: 60, exitCode: 1, containerReason: 'Error: worker cannot reach the queue' } : {};
}

describe('the whole app from ecs-ship.yml', () => {
  test('given three services and one migration, the deploy registers a revision of each, migrates once, updates all three and reports each', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await deployApp();

    expect(run.code).toBe(0);
    for (const name of ['web', 'worker', 'queue']) expect(world.taskDefinitionOf(name)).toMatch(new RegExp(`task-definition/${name}:2$`));
    const calls = world.sim.mutatingCalls();
    expect(count(calls, 'RegisterTaskDefinition')).toBe(3);
    expect(count(calls, 'RunTask')).toBe(1);
    expect(count(calls, 'UpdateService')).toBe(3);
    // The migration ran before any service was updated.
    expect(calls.indexOf('RunTask')).toBeLessThan(calls.indexOf('UpdateService'));
    const services = JSON.parse(run.outputs.services);
    expect(Object.keys(services)).toEqual(['web', 'worker', 'queue']);
    expect(services.worker).toMatchObject({ service: 'worker', outcome: 'deployed', 'previous-task-definition-arn': world.initial.worker });
    expect(services.worker['task-definition-arn']).toMatch(/worker:2$/);
    expect(run.outputs['task-definition-arn']).toBe(services.web['task-definition-arn']);
    expect(run.summary).toContain('| Service | Outcome | Task definition | Image | Rollout |');
    expect(run.summary).toMatch(/\| worker \(worker in prod\) \| deployed \| worker:2 \(new revision\)/);
    expect(run.summary).toContain('```mermaid\ngantt');
    expect(run.summary).toMatch(/Rollout web, worker, queue :done/);
    expect(run.log).toMatch(/\[worker\] Deployment ecs-svc\/\S+ completed/);
    // The three watchers read ECS together: one DescribeServices answers for all three.
    expect(world.sim.calls.some((c) => c.action === 'DescribeServices' && (c.input as { services: string[] }).services.length === 3)).toBe(true);
  }, 60_000);

  test('given one service whose rollout fails, every service is rolled back and the message gives each outcome', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    crashingRevision('worker');
    const run = await deployApp();

    expect(run.code).toBe(1);
    for (const name of ['web', 'worker', 'queue']) expect(world.taskDefinitionOf(name)).toBe(world.initial[name]);
    const message = failureMessage(run);
    expect(message).toMatch(/^The deploy failed: worker failed, so every service this run changed was rolled back\./);
    expect(message).toMatch(/- web: rolled back: it deployed, then went back to web:1 because worker failed/);
    expect(message).toMatch(/- worker: rolled back: Rollout failed:/);
    expect(message).toMatch(/- queue: rolled back: it deployed, then went back to queue:1/);
    // The migration is not undone: the message says which revision runs against the migrated schema.
    expect(message).toMatch(/migrated schema/);
    expect(JSON.parse(run.outputs.services).web.outcome).toBe('rolled back');
  }, 90_000);

  test('given rollback-scope failed, only the failed service is rolled back', async () => {
    world = await givenApp();
    world.writeConfig(appConfig({ 'rollback-scope': 'failed' }));
    crashingRevision('worker');
    const run = await deployApp();

    expect(run.code).toBe(1);
    expect(world.taskDefinitionOf('worker')).toBe(world.initial.worker);
    expect(world.taskDefinitionOf('web')).toMatch(/web:2$/);
    expect(world.taskDefinitionOf('queue')).toMatch(/queue:2$/);
    expect(failureMessage(run)).toMatch(/worker failed, so only the failed ones were rolled back \(rollback-scope failed\)/);
  }, 90_000);

  test('given a subset, only those services are deployed, and no migration runs without its service', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await deployApp({ services: 'worker' });

    expect(run.code).toBe(0);
    expect(world.taskDefinitionOf('worker')).toMatch(/worker:2$/);
    expect(world.taskDefinitionOf('web')).toBe(world.initial.web);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(Object.keys(JSON.parse(run.outputs.services))).toEqual(['worker']);
    expect(run.log).toContain("No migration: it runs with web's revision, and web is not among the services deployed.");
  }, 60_000);

  test('redeploy restarts the named services on the revision each runs: no registration, no migration', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await runCli(['redeploy', 'web', 'queue'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService', 'UpdateService']);
    expect(world.taskDefinitionOf('web')).toBe(world.initial.web);
    const updates = world.sim.calls.filter((c) => c.action === 'UpdateService').map((c) => c.input);
    expect(updates).toEqual(expect.arrayContaining([expect.objectContaining({ service: expect.stringMatching(/web$/), forceNewDeployment: true })]));
    expect(run.log).toMatch(/web:1 \(the revision it ran, redeployed\)/);
  }, 60_000);

  test('a mistake in the file is an input error naming the file, the line and the key, before any AWS call', async () => {
    world = await givenApp();
    world.writeConfig(
      ['cluster: prod', 'images:', '  app:', '    image: web', '    build: false', 'services:', '  web:', '    image: app', '    task-definiton: web.json', '  worker:', '    image: ap', ''].join('\n'),
    );
    const run = await deployApp();

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    expect(message).toContain('ecs-ship.yml:9: services.web.task-definiton: unknown key. Did you mean "task-definition"? Expected one of: service, task-definition,');
    expect(message).toContain('ecs-ship.yml:11: services.worker.image: "ap" is not an image of the file. Did you mean "app"? Expected one of: app.');
    expect(world.sim.calls.filter((c) => c.service !== 'sts')).toEqual([]);
  }, 30_000);

  test('the pipe runs the same config, with the environment chosen by a variable', async () => {
    world = await givenApp();
    world.writeConfig(appConfig({ cluster: undefined, environments: { prod: { cluster: 'prod', services: { queue: { 'wait-timeout-minutes': 5 } } } } }));
    const unchosen = await runPipe({}, { endpoint: world.sim.url, cwd: world.dir });
    expect(unchosen.code).toBe(2);
    expect(unchosen.log).toMatch(/ENVIRONMENT: required, as ecs-ship\.yml has environments\. Expected one of: prod\./);
    expect(world.sim.mutatingCalls()).toEqual([]);

    const run = await runPipe({ ENVIRONMENT: 'prod' }, { endpoint: world.sim.url, cwd: world.dir });
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.outputs.services))).toEqual(['web', 'worker', 'queue']);
    expect(world.taskDefinitionOf('queue')).toMatch(/queue:2$/);
    expect(run.log).toMatch(/Service worker: deployed/);
    expect(run.log).toContain('✔ Deployed 3 services web, worker, queue of ecs-ship.yml.');
    expect(run.log).not.toMatch(/Deployed undefined/);
  }, 60_000);

  test('a dry run plans every service and changes nothing', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await deployApp({ 'dry-run': 'true' });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual([]);
    for (const name of ['web', 'worker', 'queue']) expect(run.log).toContain(`::group::Plan ${name} (dry run: nothing is changed)`);
    expect(JSON.parse(run.outputs.services).queue.outcome).toBe('planned');
    expect(run.summary).toMatch(/Planned \(dry run\): 3 services \(web, worker, queue\) of ecs-ship\.yml/);
  }, 30_000);
});
