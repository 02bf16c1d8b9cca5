// Issue 25 item 2: `ecs-ship continue` lets a deployment paused at a PAUSE hook go on (the hook found in
// ECS's record when not given) and follows it as a deploy does: to its end, or to a failure and its rollback.
import { deploy, failureMessage, signalWhenLogShows, type SignalPlan } from '../support/scenarios';
import { HOOK_ROLE, PAUSED_AFTER_TEST_TRAFFIC, recordOf, REVISION, SMOKE_TEST, steerAction, untilPaused } from '../support/steering';
import { givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

/** Given the web service's deployment of revision 2 paused after test traffic (a deploy with wait-until paused returned). */
async function givenPausedDeployment(deploymentConfiguration: Record<string, unknown> = PAUSED_AFTER_TEST_TRAFFIC) {
  world = await givenService({ deploymentConfiguration });
  const paused = await deploy(world, { 'wait-until': 'paused' });
  expect(paused.code).toBe(0);
  return paused;
}

describe('ecs-ship continue', () => {
  test('given a blue/green service paused at a hook, continue lets it go on and the service ends on revision 2, the deployment SUCCESSFUL', async () => {
    const paused = await givenPausedDeployment();

    const run = await steerAction(world, 'continue');

    expect(run.code).toBe(0);
    expect(run.log).toContain(`Continued deployment ${paused.outputs['deployment-id']} of ${REVISION(2)}, paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ${paused.outputs['hook-id']}: ECS goes on with it.`);
    expect(run.log).toMatch(/status SUCCESSFUL/);
    expect(run.summary).toContain('✅ Continued: the deployment completed');
    expect(run.outputs['service-deployment-arn']).toBe(paused.outputs['service-deployment-arn']);
    const continued = world.sim.calls.find((call) => call.action === 'ContinueServiceDeployment')!;
    expect(continued.input).toEqual({ serviceDeploymentArn: paused.outputs['service-deployment-arn'], hookId: paused.outputs['hook-id'], action: 'CONTINUE' });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'ContinueServiceDeployment']);
    expect((await recordOf(world, paused.outputs['service-deployment-arn'])).status).toBe('SUCCESSFUL');
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('given two pauses, continue with wait-until paused lets the first go on and returns at the second, with its own hook ID', async () => {
    const paused = await givenPausedDeployment({
      ...PAUSED_AFTER_TEST_TRAFFIC,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] }],
    });

    const run = await steerAction(world, 'continue', { 'wait-until': 'paused' });

    expect(run.code).toBe(0);
    expect(run.outputs['lifecycle-stage']).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
    expect(run.outputs['hook-id']).toMatch(/^ecs-pause-/);
    expect(run.outputs['hook-id']).not.toBe(paused.outputs['hook-id']);
    expect((await recordOf(world, paused.outputs['service-deployment-arn'])).status).toBe('IN_PROGRESS');
  });

  test('given a Lambda hook that fails once production traffic shifts, continue follows the deployment to ECS\'s rollback and fails, the service back on revision 1', async () => {
    world = await givenService({
      deploymentConfiguration: {
        ...PAUSED_AFTER_TEST_TRAFFIC,
        lifecycleHooks: [...PAUSED_AFTER_TEST_TRAFFIC.lifecycleHooks, { hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
      },
    });
    world.sim.scenario.hook = () => 'FAILED';
    expect((await deploy(world, { 'wait-until': 'paused' })).code).toBe(0);

    const run = await steerAction(world, 'continue');

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Rollout failed: ECS's record of deployment ecs-svc\/\d+ says ROLLBACK_/);
    expect(failureMessage(run)).toContain(`ECS, started by a lifecycle hook, rolled the service back to ${world.initialArn}`);
    expect(run.summary).toContain('❌ Continue failed');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a service with no deployment in progress, continue is refused with exit 2 and changes nothing', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const run = await steerAction(world, 'continue');

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`service "web" has no deployment in progress, so none is paused: nothing to continue. It runs ${world.initialArn}.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given a deployment in progress that is not paused, continue is refused with exit 2, naming its status and stage', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });
    expect((await deploy(world, { 'wait-until': 'BAKE_TIME' })).code).toBe(0);

    const run = await steerAction(world, 'continue');

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toMatch(/service "web": deployment ecs-svc\/\d+ \(arn:aws:ecs:\S+\) is IN_PROGRESS at BAKE_TIME and not paused at a lifecycle hook: nothing to continue\./);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  test('given a hook-id that is not the one ECS waits on, continue names it and the one it waits on, and changes nothing', async () => {
    const paused = await givenPausedDeployment();

    const run = await steerAction(world, 'continue', { 'hook-id': 'ecs-pause-not-this-one' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`hook-id: "ecs-pause-not-this-one" is not the PAUSE hook deployment ${paused.outputs['deployment-id']} of service "web" waits on; ECS waits on ${paused.outputs['hook-id']}.`);
    expect((await untilPaused(world)).status).toBe('IN_PROGRESS');
  });

  test('given a cancel while continue follows the deployment, it exits 130 and says the deployment still rolls out in ECS', async () => {
    await givenPausedDeployment({ ...PAUSED_AFTER_TEST_TRAFFIC, bakeTimeInMinutes: 45 });
    const plan: SignalPlan = {};

    const run = await steerAction(world, 'continue', {}, { onSpawn: signalWhenLogShows(/Continued deployment/, 'SIGINT', plan) });

    expect(run.code).toBe(130);
    expect(failureMessage(run)).toMatch(/^Cancelled by SIGINT\. In flight: deployment ecs-svc\/\d+ of service web is still rolling out in ECS\.$/);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'ContinueServiceDeployment']);
  });
});
