// Issue 25 item 4: `ecs-ship status` — what each service runs now and what it is doing. Read only.
import { deploy, failureMessage, signalWhenCalled, type SignalPlan } from '../support/scenarios';
import { PAUSED_AFTER_TEST_TRAFFIC, steerAction } from '../support/steering';
import { givenService, type World } from '../support/world';
import { APP_SERVICES, appConfig, givenApp } from '../support/app-world';
import { runAction } from '../support/harness';

let world: World;
afterEach(async () => world?.close());

/** The calls of a run that change something, or read anything but what status reads. */
const changes = () => world.sim.mutatingCalls();

describe('ecs-ship status', () => {
  test('given a steady service, status shows its revision, its image with the digest its tasks run, its task counts and no deployment in progress, and changes nothing', async () => {
    world = await givenService();

    const run = await steerAction(world, 'status');

    expect(run.code).toBe(0);
    expect(run.log).toContain(`Runs ${world.initialArn}: 2 running, 0 pending of 2 desired`);
    expect(run.log).toMatch(/ {2}web: 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:v1 \(running sha256:[0-9a-f]{64}\)/);
    expect(run.log).toContain('In progress: no deployment');
    expect(run.summary).toContain('## ecs-ship: 📋 Status');
    expect(run.summary).toMatch(/\| Tasks \| 2 running, 0 pending, 2 desired \|/);
    expect(run.summary).toContain('| In progress | none |');
    expect(changes()).toEqual([]);
  });

  test('given a blue/green deployment paused at a hook, status shows it in progress with its stage, traffic and the hook ECS waits on', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    const paused = await deploy(world, { 'wait-until': 'paused' });

    const run = await steerAction(world, 'status');

    expect(run.code).toBe(0);
    expect(run.summary).toContain(
      `| In progress | deployment ${paused.outputs['deployment-id']} of web:2: IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT; production 0%, test 100% on the new revision; pause AWAITING_ACTION (hook ${paused.outputs['hook-id']}) |`,
    );
    expect(changes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  test('given a deploy that failed and was rolled back by the circuit breaker, status shows the last failure and its reason, and the newest events', async () => {
    world = await givenService({ timing: { stabilizeMs: 300 } });
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? { failToStart: 'CannotPullContainerError: manifest unknown' } : {});
    expect((await deploy(world)).code).toBe(1);

    const run = await steerAction(world, 'status');

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/Last failure: ROLLBACK_SUCCESSFUL at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: Circuit breaker/);
    expect(run.log).toMatch(/Event: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given the app of ecs-ship.yml, status reads every service and the summary shows them in one table, a row each', async () => {
    const app = await givenApp();
    world = app;

    const run = await runAction({ command: 'status', config: app.writeConfig(appConfig()) }, { endpoint: app.sim.url });

    expect(run.code).toBe(0);
    expect(run.summary).toContain('| Service | Runs | Tasks | Images | In progress | Last failure |');
    for (const name of APP_SERVICES) expect(run.summary).toMatch(new RegExp(`^\\| ${name} \\(${name} in prod\\) \\| ${name}:1 \\|`, 'm'));
    expect(run.log).toContain('[worker] Runs arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1: 1 running, 0 pending of 1 desired');
    expect(changes()).toEqual([]);
  });

  test('given a service that does not exist, status says so with exit 2', async () => {
    world = await givenService();

    const run = await steerAction(world, 'status', { service: 'api' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('service: "api" was not found (MISSING) in cluster "prod".');
  });

  test('given a cancel while status reads, it exits 130 and nothing was in flight', async () => {
    world = await givenService();
    world.sim.scenario.latencyMs = 1_500;
    world.sim.scenario.faultActions = ['DescribeTaskDefinition'];
    const plan: SignalPlan = {};

    const run = await steerAction(world, 'status', {}, { onSpawn: signalWhenCalled(world.sim, 'DescribeTaskDefinition', 'SIGINT', plan) });

    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe('Cancelled by SIGINT. Nothing was in flight.');
    expect(changes()).toEqual([]);
  });
});

