// Issue 25 item 1: wait-until on deploy. A deploy may return before the end of its deployment — once it is
// accepted (deployed), once ECS pauses it at a PAUSE hook (paused), or once it reaches a lifecycle stage —
// and says what is still to happen; a deployment that fails before that point fails as today.
import { deploy, failureMessage, signalWhenLogShows, type SignalPlan } from '../support/scenarios';
import { HOOK_ROLE, PAUSED_AFTER_TEST_TRAFFIC, recordOf, REVISION, SMOKE_TEST } from '../support/steering';
import { givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('wait-until paused', () => {
  test('given a blue/green service with a PAUSE hook after test traffic, the deploy returns at the pause with its hook ID, and ECS holds the deployment there', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const run = await deploy(world, { 'wait-until': 'paused' });

    expect(run.code).toBe(0);
    expect(run.outputs['lifecycle-stage']).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(run.outputs['hook-id']).toMatch(/^ecs-pause-[\w-]+$/);
    expect(run.log).toMatch(/Deployment ecs-svc\/\d+ is paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ecs-pause-\S+: returning \(wait-until\)\. ECS holds it at POST_TEST_TRAFFIC_SHIFT until ecs-ship continue/);
    expect(run.log).toContain('then it goes through PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP');
    expect(run.summary).toContain('⏸ Deployment under way (returned early: wait-until)');
    expect(run.summary).toMatch(/paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ecs-pause-/);
    const record = await recordOf(world, run.outputs['service-deployment-arn']);
    expect(record.status).toBe('IN_PROGRESS');
    expect(record.lifecycleHookDetails?.[0]).toMatchObject({ hookId: run.outputs['hook-id'], status: 'AWAITING_ACTION' });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    // Blue still has the production traffic: the service names the new revision, which is not yet live.
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('given a Lambda hook that fails in test traffic before the pause, the deploy fails as a deploy does and ECS rolls back', async () => {
    world = await givenService({
      deploymentConfiguration: {
        ...PAUSED_AFTER_TEST_TRAFFIC,
        lifecycleHooks: [...PAUSED_AFTER_TEST_TRAFFIC.lifecycleHooks, { hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
      },
    });
    world.sim.scenario.hook = (ctx) => (ctx.stage === 'TEST_TRAFFIC_SHIFT' ? 'FAILED' : 'SUCCEEDED');

    const run = await deploy(world, { 'wait-until': 'paused' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toContain(`ECS, started by a lifecycle hook, rolled the service back to ${world.initialArn}`);
    expect(run.outputs['hook-id']).toBe('');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a blue/green service without a PAUSE hook, wait-until paused is refused before any change, since nothing would pause it', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 } });

    const run = await deploy(world, { 'wait-until': 'paused' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('wait-until: paused, but no lifecycle hook of service "web" is a PAUSE hook, so ECS will never pause its deployment.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given a cancel while the deploy waits for the pause, it exits 130 and says the deployment is still rolling out in ECS', async () => {
    // The pause comes after a bake long enough for the cancel to arrive first.
    world = await givenService({ deploymentConfiguration: { ...PAUSED_AFTER_TEST_TRAFFIC, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'] }], bakeTimeInMinutes: 1 } });
    world.sim.scenario.hook = () => 'SUCCEEDED';
    const plan: SignalPlan = {};

    const run = await deploy(world, { 'wait-until': 'paused' }, { onSpawn: signalWhenLogShows(/Updated service web to/, 'SIGINT', plan) });

    expect(run.code).toBe(130);
    expect(plan.sentAt).toBeDefined();
    expect(failureMessage(run)).toMatch(/^Cancelled by SIGINT\. In flight: deployment ecs-svc\/\d+ of service web is still rolling out in ECS\.$/);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});

describe('wait-until a lifecycle stage', () => {
  test('given a blue/green service with a 45-minute bake, wait-until BAKE_TIME returns once ECS bakes it, with the stage as output and the clean-up still to come', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });

    const run = await deploy(world, { 'wait-until': 'bake_time' });

    expect(run.code).toBe(0);
    expect(run.outputs['lifecycle-stage']).toBe('BAKE_TIME');
    expect(run.outputs['hook-id']).toBe('');
    expect(run.log).toMatch(/Deployment ecs-svc\/\d+ has reached BAKE_TIME: returning \(wait-until\)\. ECS still goes through CLEAN_UP on its own; ecs-ship rollback stops it with a rollback\./);
    // No warning that the wait is shorter than the bake: it does not wait for the bake.
    expect(run.log).not.toContain('shorter than the 45 minutes ECS bakes');
    expect((await recordOf(world, run.outputs['service-deployment-arn'])).status).toBe('IN_PROGRESS');
  });

  test('given a Lambda hook that fails in test traffic, wait-until POST_PRODUCTION_TRAFFIC_SHIFT fails the deploy with ECS\'s rollback', async () => {
    world = await givenService({
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: [{ hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
    });
    world.sim.scenario.hook = () => 'FAILED';

    const run = await deploy(world, { 'wait-until': 'POST_PRODUCTION_TRAFFIC_SHIFT' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Rollout failed: ECS's record of deployment ecs-svc\/\d+ says ROLLBACK_/);
    expect(run.outputs['lifecycle-stage']).toBe('');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a rolling service, wait-until a stage is refused before any change: a rolling deployment has no lifecycle stages', async () => {
    world = await givenService();

    const run = await deploy(world, { 'wait-until': 'TEST_TRAFFIC_SHIFT' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('wait-until: TEST_TRAFFIC_SHIFT, but service "web" deploys with the ROLLING strategy, which has no lifecycle stages and no pause.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given a misspelt stage, the deploy names the input, suggests the stage and changes nothing', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const run = await deploy(world, { 'wait-until': 'POST_TEST_TRAFIC_SHIFT' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('wait-until: "POST_TEST_TRAFIC_SHIFT" is not a point a deploy can return at. Did you mean "POST_TEST_TRAFFIC_SHIFT"?');
    expect(world.sim.calls.filter((call) => call.action !== 'GetCallerIdentity')).toEqual([]);
  });
});

describe('wait-until deployed', () => {
  test('given a blue/green service, wait-until deployed returns once ECS accepted the update, with the deployment and its record, while it rolls out', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });

    const run = await deploy(world, { 'wait-until': 'deployed' });

    expect(run.code).toBe(0);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect(run.outputs['service-deployment-arn']).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\//);
    expect(run.summary).toContain(`deployment ${run.outputs['deployment-id']} started (not waited for)`);
    // ecs-ship never read the record to follow it; the test reads it now.
    expect(world.sim.calls.filter((call) => call.action === 'DescribeServiceDeployments')).toEqual([]);
    expect(['PENDING', 'IN_PROGRESS']).toContain((await recordOf(world, run.outputs['service-deployment-arn'])).status);
  });

  test('given an image ECS cannot run, wait-until deployed still succeeds: it does not wait to see the tasks fail', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? { failToStart: 'CannotPullContainerError: not found' } : {});

    const run = await deploy(world, { 'wait-until': 'deployed' });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  test('given wait false, wait-until paused is an input error naming both inputs', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const run = await deploy(world, { wait: 'false', 'wait-until': 'paused' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('wait-until: paused needs a wait, but wait is false.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

