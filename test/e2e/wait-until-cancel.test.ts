// Issue 25: a cancel of a deploy with wait-until. Before the deploy's return point it is a cancel like any
// other: exit 130, and what is still in flight said — the UpdateService not yet answered, or the
// deployment that still rolls out in ECS.
import { deploy, failureMessage, signalWhenCalled, signalWhenLogShows, type SignalPlan } from '../support/scenarios';
import { HOOK_ROLE, SMOKE_TEST } from '../support/steering';
import { givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('a cancel of a deploy with wait-until deployed', () => {
  test('given a cancel while UpdateService is not yet answered, it exits 130 once ECS answers, and says the deployment it started still rolls out in ECS', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });
    world.sim.scenario.latencyMs = 1_500;
    world.sim.scenario.faultActions = ['UpdateService'];
    const plan: SignalPlan = {};

    const run = await deploy(world, { 'wait-until': 'deployed' }, { onSpawn: signalWhenCalled(world.sim, 'UpdateService', 'SIGINT', plan) });

    // The cancel came before the deploy's return point: the run is cancelled, not deployed.
    expect(plan.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. In flight: deployment ${run.outputs['deployment-id']} of service web is still rolling out in ECS.`);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect(run.summary).not.toContain('✅');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  test('given a cancel during preflight, it exits 130, nothing was in flight and nothing changed', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });
    world.sim.scenario.latencyMs = 1_500;
    world.sim.scenario.faultActions = ['DescribeServices'];
    const plan: SignalPlan = {};

    const run = await deploy(world, { 'wait-until': 'deployed' }, { onSpawn: signalWhenCalled(world.sim, 'DescribeServices', 'SIGINT', plan) });

    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe('Cancelled by SIGINT. Nothing was in flight.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('a cancel of a deploy with wait-until a stage', () => {
  test('given a smoke test still running in test traffic, a cancel while the deploy waits for BAKE_TIME exits 130 and says the deployment still rolls out in ECS', async () => {
    world = await givenService({
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45, lifecycleHooks: [{ hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
    });
    // The smoke test answers IN_PROGRESS: ECS holds the deployment at TEST_TRAFFIC_SHIFT, short of BAKE_TIME.
    world.sim.scenario.hook = () => 'IN_PROGRESS';
    const plan: SignalPlan = {};

    const run = await deploy(world, { 'wait-until': 'BAKE_TIME' }, { onSpawn: signalWhenLogShows(/stage TEST_TRAFFIC_SHIFT/, 'SIGINT', plan) });

    expect(run.code).toBe(130);
    expect(plan.sentAt).toBeDefined();
    expect(failureMessage(run)).toMatch(/^Cancelled by SIGINT\. In flight: deployment ecs-svc\/\d+ of service web is still rolling out in ECS\.$/);
    expect(run.outputs['lifecycle-stage']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});
