// Issue 25 for a whole app (ecs-ship.yml): a deploy with wait-until says where each service stands, and
// what it left for later; one service failing before its stage takes the others back (rollback-scope all)
// or leaves them where they are (failed); continue and rollback act on the named services or all, and
// status reads the one named.
import { appConfig, APP_SERVICES, givenApp, type AppWorld } from '../support/app-world';
import { runAction, runCli, type RunResult } from '../support/harness';
import { failureMessage } from '../support/scenarios';
import { HOOK_ROLE, PAUSED_AFTER_TEST_TRAFFIC, recordOf, SMOKE_TEST } from '../support/steering';
import { CLUSTER, NETWORK } from '../support/world';

let world: AppWorld;
afterEach(async () => world?.close());

/** PAUSED_AFTER_TEST_TRAFFIC with a day's timeout: the pauses outlast the scenario (a simulated second is a millisecond). */
const PAUSED_FOR_A_DAY = {
  ...PAUSED_AFTER_TEST_TRAFFIC,
  lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' } }],
};
/** Every service pauses after test traffic, and a smoke test (a Lambda hook) runs in its test traffic before that. */
const SMOKE_TESTED_THEN_PAUSED = {
  ...PAUSED_FOR_A_DAY,
  lifecycleHooks: [...PAUSED_FOR_A_DAY.lifecycleHooks, { hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
};
const revision = (service: string, n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${service}:${n}`;
const escaped = (text: string) => text.replace(/[/:.()]/g, '\\$&');

type ServicesOutput = Record<string, { outcome: string; 'hook-id': string; 'lifecycle-stage': string; 'service-deployment-arn': string; 'deployment-id': string }>;
const servicesOf = (run: RunResult): ServicesOutput => JSON.parse(run.outputs.services);

/** The app's worker has a scheduled task (rule worker-sweep) on worker:1, which a deploy that runs to its end moves along. */
function givenWorkerSweep(): void {
  world.sim.addRule({ Name: 'worker-sweep', ScheduleExpression: 'rate(1 hour)' }, [
    { Id: 'sweep', Arn: `arn:aws:ecs:us-east-1:123456789012:cluster/${CLUSTER}`, RoleArn: 'arn:aws:iam::123456789012:role/events', EcsParameters: { TaskDefinitionArn: world.initial.worker, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK } },
  ]);
}
const sweepRuns = () => world.sim.ruleTargets('worker-sweep')![0].EcsParameters.TaskDefinitionArn;

function configWith(extra: Record<string, unknown> = {}, workerSettings: Record<string, unknown> = {}): Record<string, unknown> {
  const config = appConfig({ migration: undefined, ...extra });
  Object.assign((config.services as Record<string, Record<string, unknown>>).worker, workerSettings);
  return config;
}

/** Given the app's three blue/green services, each paused after test traffic on revision 2 (a deploy with wait-until paused returned). */
async function givenPausedApp(inputs: Record<string, string> = {}): Promise<ServicesOutput> {
  world = await givenApp({ everyService: { deploymentConfiguration: PAUSED_FOR_A_DAY } });
  world.writeConfig(configWith());
  const run = await runAction({ 'wait-until': 'paused', ...inputs }, { endpoint: world.sim.url, cwd: world.dir });
  expect(run.code).toBe(0);
  return servicesOf(run);
}

async function awaitingAction(arn: string): Promise<boolean> {
  const record = await recordOf(world, arn);
  return record.status === 'IN_PROGRESS' && (record.lifecycleHookDetails ?? []).some((hook) => hook.status === 'AWAITING_ACTION');
}

const calls = (action: string) => world.sim.calls.filter((call) => call.action === action).map((call) => call.input as Record<string, string>);

describe('a whole app deployed with wait-until', () => {
  test('given three blue/green services that pause after test traffic, wait-until paused returns with each one paused, its hook ID in the log, the summary and the services output, and the scheduled tasks and pruning left for later, said so', async () => {
    world = await givenApp({ everyService: { deploymentConfiguration: PAUSED_FOR_A_DAY } });
    givenWorkerSweep();
    world.writeConfig(configWith({ 'keep-revisions': 1 }, { 'scheduled-tasks': 'worker-sweep' }));

    const run = await runAction({ 'wait-until': 'paused' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(run.summary).toContain('⏸ Deployment under way (returned early: wait-until): 3 services (web, worker, queue) of ecs-ship.yml');
    const services = servicesOf(run);
    for (const name of APP_SERVICES) {
      const { outcome, 'hook-id': hook, 'lifecycle-stage': stage } = services[name];
      expect({ outcome, stage }).toEqual({ outcome: 'paused', stage: 'POST_TEST_TRAFFIC_SHIFT' });
      expect(hook).toMatch(/^ecs-pause-/);
      expect(run.log).toMatch(new RegExp(`\\[${name}\\] Deployment ecs-svc/\\d+ is paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ${hook}: returning \\(wait-until\\)`));
      expect(run.summary).toMatch(new RegExp(`^- ${name}: deployment ecs-svc/\\d+ of ${name}:2 paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ${hook}; ECS holds it .* then it goes through PRE_PRODUCTION_TRAFFIC_SHIFT, `, 'm'));
      expect(await awaitingAction(services[name]['service-deployment-arn'])).toBe(true);
    }
    // What the early return left undone is said in the log as well as in the job summary.
    const later = 'scheduled-tasks and keep-revisions were not acted on: they follow a deploy that runs to its end.';
    expect(run.summary).toContain(later);
    expect(run.log).toContain(later);
    expect(sweepRuns()).toBe(world.initial.worker);
    expect(world.sim.mutatingCalls()).toEqual([...Array(3).fill('RegisterTaskDefinition'), ...Array(3).fill('UpdateService')]);
  }, 30_000);

  test('given three blue/green services with a 45-minute bake, wait-until BAKE_TIME run from the CLI returns with each one baking, its ✔ line naming them all', async () => {
    world = await givenApp({ everyService: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } } });
    world.writeConfig(configWith());

    const run = await runCli(['deploy', '--wait-until', 'BAKE_TIME'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(run.log).toContain('✔ Returned before the end of the deployment (wait-until): web at BAKE_TIME, worker at BAKE_TIME, queue at BAKE_TIME.');
    for (const name of APP_SERVICES) {
      expect(run.log).toMatch(new RegExp(`\\[${name}\\] Deployment ecs-svc/\\d+ has reached BAKE_TIME: returning \\(--wait-until\\)\\. ECS still goes through CLEAN_UP on its own`));
      expect(run.log).toMatch(new RegExp(`Service ${name}: in progress\\n(  .*\\n)*  Rollout: deployment ecs-svc/\\d+ reached BAKE_TIME \\(ECS: IN_PROGRESS\\)`));
    }
  }, 30_000);

  test('given worker\'s smoke test failing before its pause while web and queue pause, rollback-scope all stops web and queue with a rollback, and each ends on revision 1', async () => {
    world = await givenApp({ everyService: { deploymentConfiguration: SMOKE_TESTED_THEN_PAUSED } });
    world.sim.scenario.hook = (ctx) => (ctx.serviceName === 'worker' ? 'FAILED' : 'SUCCEEDED');
    world.writeConfig(configWith({ 'rollback-scope': 'all' }));

    const run = await runAction({ 'wait-until': 'paused' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(1);
    const services = servicesOf(run);
    expect(calls('StopServiceDeployment')).toEqual(expect.arrayContaining(['web', 'queue'].map((name) => ({ serviceDeploymentArn: services[name]['service-deployment-arn'], stopType: 'ROLLBACK' }))));
    for (const name of APP_SERVICES) expect(world.taskDefinitionOf(name)).toBe(world.initial[name]);
    for (const name of ['web', 'queue']) {
      expect((await recordOf(world, services[name]['service-deployment-arn'])).status).toBe('ROLLBACK_SUCCESSFUL');
      expect(services[name].outcome).toBe('rolled back');
      // ECS waits on no hook of a deployment it rolled back: no hook ID to continue.
      expect(services[name]['hook-id']).toBe('');
    }
    const message = failureMessage(run);
    expect(message).toMatch(/^The deploy failed: worker failed, so every service this run changed was rolled back\./);
    expect(message).toMatch(/- web: rolled back: its deployment ecs-svc\/\d+, paused at POST_TEST_TRAFFIC_SHIFT, was stopped with a rollback \(StopServiceDeployment\), and ECS rolled it back to web:1 because worker failed \(rollback-scope all\)/);
    expect(message).not.toContain('it deployed');
    expect(message).toMatch(/- worker: rolled back: Rollout failed: .*Lifecycle hook \S+ failed at TEST_TRAFFIC_SHIFT/);
    expect(run.summary).toMatch(/^\| web \(web in prod\) \| rolled back \| .* \| deployment ecs-svc\/\d+ stopped at POST_TEST_TRAFFIC_SHIFT with a rollback \(ECS: ROLLBACK_SUCCESSFUL\); service rolled back by ECS at ecs-ship's request to web:1 \|$/m);
    expect(run.summary).not.toMatch(/ECS holds it/);
  }, 30_000);

  test('given worker\'s smoke test failing before its pause while web and queue pause, rollback-scope failed leaves web and queue paused, and the message says where each waits', async () => {
    world = await givenApp({ everyService: { deploymentConfiguration: SMOKE_TESTED_THEN_PAUSED } });
    world.sim.scenario.hook = (ctx) => (ctx.serviceName === 'worker' ? 'FAILED' : 'SUCCEEDED');
    world.writeConfig(configWith({ 'rollback-scope': 'failed' }));

    const run = await runAction({ 'wait-until': 'paused' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(1);
    const services = servicesOf(run);
    // Worker's own deployment is rolled back (by ECS, or stopped by ecs-ship); web's and queue's are not touched.
    const stopped = calls('StopServiceDeployment').map((input) => input.serviceDeploymentArn);
    expect(stopped).not.toContain(services.web['service-deployment-arn']);
    expect(stopped).not.toContain(services.queue['service-deployment-arn']);
    expect(world.taskDefinitionOf('worker')).toBe(world.initial.worker);
    const message = failureMessage(run);
    expect(message).toMatch(/^The deploy failed: worker failed, so only the failed ones were rolled back \(rollback-scope failed\)\./);
    for (const name of ['web', 'queue']) {
      expect(services[name].outcome).toBe('paused');
      expect(await awaitingAction(services[name]['service-deployment-arn'])).toBe(true);
      expect(message).toMatch(
        new RegExp(`^- ${name}: paused: deployment ${services[name]['deployment-id']} of ${name}:2 was left where it is \\(rollback-scope failed\\), paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ${services[name]['hook-id']}; ECS holds it at POST_TEST_TRAFFIC_SHIFT until ecs-ship continue`, 'm'),
      );
    }
    expect(message).not.toMatch(/- web: paused, runs/);
  }, 30_000);
});

describe('ecs-ship continue for a whole app', () => {
  test('given the three services paused, continue lets each one go on, and each ends on revision 2, its deployment SUCCESSFUL', async () => {
    const paused = await givenPausedApp();

    const run = await runAction({ command: 'continue' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(calls('ContinueServiceDeployment')).toEqual(
      expect.arrayContaining(APP_SERVICES.map((name) => ({ serviceDeploymentArn: paused[name]['service-deployment-arn'], hookId: paused[name]['hook-id'], action: 'CONTINUE' }))),
    );
    expect(calls('ContinueServiceDeployment')).toHaveLength(3);
    for (const name of APP_SERVICES) {
      expect(world.taskDefinitionOf(name)).toBe(revision(name, 2));
      expect((await recordOf(world, paused[name]['service-deployment-arn'])).status).toBe('SUCCESSFUL');
      expect(run.log).toContain(`[${name}] Continued deployment ${paused[name]['deployment-id']} of ${revision(name, 2)}`);
    }
    expect(JSON.parse(run.outputs.services).worker.outcome).toBe('deployed');
  }, 30_000);

  test('given the three services paused, `ecs-ship continue web` lets only web go on: worker and queue stay paused', async () => {
    const paused = await givenPausedApp();

    const run = await runCli(['continue', 'web'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(calls('ContinueServiceDeployment')).toEqual([{ serviceDeploymentArn: paused.web['service-deployment-arn'], hookId: paused.web['hook-id'], action: 'CONTINUE' }]);
    expect((await recordOf(world, paused.web['service-deployment-arn'])).status).toBe('SUCCESSFUL');
    for (const name of ['worker', 'queue']) expect(await awaitingAction(paused[name]['service-deployment-arn'])).toBe(true);
  }, 30_000);

  test('given web paused and queue not deployed, `ecs-ship continue web queue` is refused with exit 2 naming queue, and web is not let go on either', async () => {
    const paused = await givenPausedApp({ services: 'web' });

    const run = await runCli(['continue', 'web', 'queue'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(2);
    expect(run.log).toContain(`queue: service "queue" has no deployment in progress, so none is paused: nothing to continue. It runs ${world.initial.queue}.`);
    expect(run.log).not.toMatch(/web: service "web"/);
    expect(calls('ContinueServiceDeployment')).toEqual([]);
    expect(await awaitingAction(paused.web['service-deployment-arn'])).toBe(true);
  }, 30_000);
});

describe('ecs-ship rollback for a whole app', () => {
  test('given the app deployed to revision 2 with worker\'s scheduled task moved along, rollback takes every service back to revision 1 and the scheduled task follows worker back', async () => {
    world = await givenApp();
    givenWorkerSweep();
    world.writeConfig(configWith({}, { 'scheduled-tasks': 'worker-sweep' }));
    expect((await runAction({}, { endpoint: world.sim.url, cwd: world.dir })).code).toBe(0);
    expect(sweepRuns()).toBe(revision('worker', 2));

    const run = await runAction({ command: 'rollback' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    for (const name of APP_SERVICES) {
      expect(world.taskDefinitionOf(name)).toBe(world.initial[name]);
      expect(run.log).toMatch(new RegExp(`\\[${name}\\] No deployment in progress: rolling service ${name} back from ${escaped(revision(name, 2))} to ${escaped(world.initial[name])}`));
    }
    expect(sweepRuns()).toBe(world.initial.worker);
    // The services output speaks the outcomes of a deploy's: a word a CI step can test.
    for (const name of APP_SERVICES) expect(servicesOf(run)[name].outcome).toBe('rolled back');
  }, 30_000);

  test('given the three services paused, `ecs-ship rollback web` stops only web\'s deployment with a rollback: web ends on revision 1, worker and queue stay paused', async () => {
    const paused = await givenPausedApp();

    const run = await runCli(['rollback', 'web'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(calls('StopServiceDeployment')).toEqual([{ serviceDeploymentArn: paused.web['service-deployment-arn'], stopType: 'ROLLBACK' }]);
    expect((await recordOf(world, paused.web['service-deployment-arn'])).status).toBe('ROLLBACK_SUCCESSFUL');
    expect(world.taskDefinitionOf('web')).toBe(world.initial.web);
    for (const name of ['worker', 'queue']) expect(await awaitingAction(paused[name]['service-deployment-arn'])).toBe(true);
  }, 30_000);
});

describe('ecs-ship status for a whole app', () => {
  test('given services naming worker, status reads worker alone: one row, and no other service described', async () => {
    world = await givenApp();
    world.writeConfig(configWith());

    const run = await runAction({ command: 'status', services: 'worker' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/^\| worker \(worker in prod\) \| worker:1 \| 1 running, 0 pending, 1 desired \|/m);
    expect(run.summary).not.toMatch(/^\| (web|queue) /m);
    expect(run.log).toContain(`[worker] Runs ${world.initial.worker}: 1 running, 0 pending of 1 desired`);
    const described = calls('DescribeServices').flatMap((input) => input.services as unknown as string[]);
    expect(new Set(described)).toEqual(new Set(['worker']));
    expect(Object.keys(servicesOf(run))).toEqual(['worker']);
    expect(servicesOf(run).worker.outcome).toBe('unchanged');
    expect(world.sim.mutatingCalls()).toEqual([]);
  }, 30_000);
});
