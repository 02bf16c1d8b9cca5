// Issue 25 item 3: `ecs-ship rollback`. A deployment in progress (paused or not) is stopped with a rollback
// and followed to ROLLBACK_SUCCESSFUL — or, with abort, stopped where it is; with none in progress, the
// service goes back to the revision it ran before its last deployment, from ECS's records (or, without
// them, the previous ACTIVE revision of its family, said so), and the scheduled tasks on it follow.
import { deploy, failureMessage, signalWhenLogShows, warnings, type SignalPlan } from '../support/scenarios';
import { PAUSED_AFTER_TEST_TRAFFIC, recordOf, REVISION, steerAction } from '../support/steering';
import { CLUSTER, givenService, NETWORK, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('ecs-ship rollback of a deployment in progress', () => {
  test('given a blue/green deployment paused at a hook, rollback stops it with a rollback and ECS ends on revision 1, ROLLBACK_SUCCESSFUL', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    const paused = await deploy(world, { 'wait-until': 'paused' });

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(0);
    const stop = world.sim.calls.find((call) => call.action === 'StopServiceDeployment')!;
    expect(stop.input).toEqual({ serviceDeploymentArn: paused.outputs['service-deployment-arn'], stopType: 'ROLLBACK' });
    expect(run.log).toMatch(/paused by lifecycle hook ecs-pause-/);
    expect(run.log).toContain(`ECS rolled the service back to ${world.initialArn} (ECS: ROLLBACK_SUCCESSFUL)`);
    expect(run.summary).toContain('↩️ Rolled back');
    expect((await recordOf(world, paused.outputs['service-deployment-arn'])).status).toBe('ROLLBACK_SUCCESSFUL');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a paused deployment and abort, rollback stops it where it is (ABORT): STOPPED, and no UpdateService', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    const paused = await deploy(world, { 'wait-until': 'paused' });

    const run = await steerAction(world, 'rollback', { abort: 'true' });

    expect(run.code).toBe(0);
    expect(world.sim.calls.find((call) => call.action === 'StopServiceDeployment')!.input).toEqual({ serviceDeploymentArn: paused.outputs['service-deployment-arn'], stopType: 'ABORT' });
    expect(run.log).toContain('stopped where it was (StopServiceDeployment ABORT, ECS: STOPPED)');
    expect((await recordOf(world, paused.outputs['service-deployment-arn'])).status).toBe('STOPPED');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
  });

  test('given a cancel while rollback follows ECS\'s rollback, it exits 143 and says the deployment is still rolling out in ECS', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC, timing: { deactivatingMs: 3_000 } });
    await deploy(world, { 'wait-until': 'paused' });
    const plan: SignalPlan = {};

    const run = await steerAction(world, 'rollback', {}, { onSpawn: signalWhenLogShows(/Stopping deployment ecs-svc\/\d+ with a rollback/, 'SIGTERM', plan) });

    expect(run.code).toBe(143);
    expect(failureMessage(run)).toMatch(/^Cancelled by SIGTERM\. In flight: deployment ecs-svc\/\d+ of service web is still rolling out in ECS\.$/);
  });
});

describe('ecs-ship rollback with no deployment in progress', () => {
  test('given a service deployed from revision 1 to 2, rollback returns it to revision 1 from ECS\'s record of that deployment', async () => {
    world = await givenService();
    const deployed = await deploy(world);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(0);
    expect(run.log).toContain(`rolling service web back from ${REVISION(2)} to ${world.initialArn}, the revision it ran before (ECS's record of its last deployment (${deployed.outputs['service-deployment-arn']}))`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    expect(run.outputs['task-definition-arn']).toBe(world.initialArn);
  });

  test('given a blue/green service with a PAUSE hook, rollback lets its own deployment go on at the pause, and says so', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    expect((await deploy(world, { 'wait-until': 'paused' })).code).toBe(0);
    expect((await steerAction(world, 'continue')).code).toBe(0);

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/The rollback deployment ecs-svc\/\d+ was paused at POST_TEST_TRAFFIC_SHIFT by lifecycle hook ecs-pause-\S+; letting it go on \(the rollback was asked for\)\./);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'ContinueServiceDeployment', 'UpdateService', 'ContinueServiceDeployment']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given ECS\'s records unreadable, rollback says so and returns the service to the previous ACTIVE revision of its family', async () => {
    world = await givenService();
    expect((await deploy(world)).code).toBe(0);
    world.sim.scenario.unsupportedActions = ['ListServiceDeployments', 'DescribeServiceDeployments', 'DescribeServiceRevisions'];

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain("ECS's deployment records cannot be read here");
    expect(warnings(run)).toContain(`going back to ${world.initialArn}, the previous ACTIVE revision of family web.`);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a scheduled task the last deploy moved to revision 2, rollback moves it back with the service', async () => {
    world = await givenService();
    const clusterArn = `arn:aws:ecs:us-east-1:123456789012:cluster/${CLUSTER}`;
    world.sim.addRule({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)' }, [
      { Id: 'report', Arn: clusterArn, RoleArn: 'arn:aws:iam::123456789012:role/events', EcsParameters: { TaskDefinitionArn: world.initialArn, LaunchType: 'FARGATE', NetworkConfiguration: NETWORK } },
    ]);
    expect((await deploy(world, { 'scheduled-tasks': 'nightly-report' })).code).toBe(0);
    expect(world.sim.ruleTargets('nightly-report')![0].EcsParameters.TaskDefinitionArn).toBe(REVISION(2));

    const run = await steerAction(world, 'rollback', { 'scheduled-tasks': 'nightly-report' });

    expect(run.code).toBe(0);
    expect(world.sim.ruleTargets('nightly-report')![0].EcsParameters.TaskDefinitionArn).toBe(world.initialArn);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a previous revision whose tasks cannot start, rollback fails with exit 1 and says what the service runs', async () => {
    world = await givenService({ circuitBreaker: { enable: true, rollback: true } });
    expect((await deploy(world)).code).toBe(0);
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === 1 ? { failToStart: 'CannotPullContainerError: v1 is gone' } : {});

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(new RegExp(`^Rolling back to ${world.initialArn.replace(/[/:.]/g, '\\$&')} failed: `));
    expect(failureMessage(run)).toMatch(/The service runs \S+web:[12] now\./);
  });

  test('given a service that never ran another revision, rollback is refused with exit 2: nothing to roll back to', async () => {
    world = await givenService();

    const run = await steerAction(world, 'rollback');

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`service "web" runs ${world.initialArn}, and neither ECS's records nor its family have a revision before it: nothing to roll back to.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given no deployment in progress, abort is refused with exit 2 and nothing changes', async () => {
    world = await givenService();
    expect((await deploy(world)).code).toBe(0);

    const run = await steerAction(world, 'rollback', { abort: 'true' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('abort: service "web" has no deployment in progress to stop');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});
