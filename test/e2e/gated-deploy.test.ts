// Issue 25 item 6, the worked example (examples/github/blue-green-gate.yml, examples/bitbucket/blue-green-gate.yml)
// against the simulator: deploy a blue/green service, stop at the pause after test traffic, smoke-test the
// new revision through the test traffic, then continue — or roll back when the smoke test fails. The three
// front ends drive the same steps: the GitHub sub-actions, the Pipe's COMMAND, the CLI's first word.
import { runCli, runPipe } from '../support/harness';
import { deploy, IMAGE } from '../support/scenarios';
import { PAUSED_AFTER_TEST_TRAFFIC, recordOf, REVISION, steerAction } from '../support/steering';
import { CLUSTER, givenService, SERVICE, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

/** The smoke test: the test traffic is all on the new revision while production stays on the old one. */
async function smokeTest(arn: string): Promise<boolean> {
  const record = await recordOf(world, arn);
  return record.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT' && record.targetServiceRevision?.requestedTestTrafficWeight === 100 && record.targetServiceRevision?.requestedProductionTrafficWeight === 0;
}

describe('a blue/green deploy gated by a smoke test', () => {
  test('on GitHub: deploy stops at the pause, the smoke test passes against the test traffic, the continue sub-action lets it go on, and the service ends on revision 2', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const shipped = await deploy(world, { 'wait-until': 'paused' });
    expect(shipped.code).toBe(0);
    expect(await smokeTest(shipped.outputs['service-deployment-arn'])).toBe(true);
    const continued = await steerAction(world, 'continue', { 'hook-id': shipped.outputs['hook-id'] });

    expect(continued.code).toBe(0);
    expect((await recordOf(world, shipped.outputs['service-deployment-arn'])).status).toBe('SUCCESSFUL');
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('in the Pipe: the same deploy, a smoke test that fails, and COMMAND rollback: ECS rolls back to revision 1', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    const variables = { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate()), VARS: 'DB_HOST=db.prod.internal' };

    const shipped = await runPipe({ ...variables, WAIT_UNTIL: 'paused' }, { endpoint: world.sim.url });
    expect(shipped.code).toBe(0);
    expect(shipped.log).toMatch(/✔ Returned before the end of the deployment \(wait-until\): web paused at POST_TEST_TRAFFIC_SHIFT \(hook ecs-pause-\S+\)\./);
    expect(await smokeTest(shipped.outputs['service-deployment-arn'])).toBe(true);
    // The team's smoke test against the test listener fails (the new revision answers 500): the pipeline rolls back.
    const rolledBack = await runPipe({ COMMAND: 'rollback', CLUSTER, SERVICE }, { endpoint: world.sim.url });

    expect(rolledBack.code).toBe(0);
    expect(rolledBack.log).toContain('✔ Rolled back.');
    expect((await recordOf(world, shipped.outputs['service-deployment-arn'])).status).toBe('ROLLBACK_SUCCESSFUL');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('on the CLI: ecs-ship status shows the pause, ecs-ship continue lets it go on, and the outputs name the deployment', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });
    const template = world.writeTemplate(webTemplate());
    const options = { endpoint: world.sim.url };

    const shipped = await runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--task-definition', template, '--vars', 'DB_HOST=db.prod.internal', '--wait-until', 'paused'], options);
    expect(shipped.code).toBe(0);
    const status = await runCli(['status', '--cluster', CLUSTER, '--service', SERVICE], options);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(`pause AWAITING_ACTION (hook ${shipped.outputs['hook-id']})`);
    const continued = await runCli(['continue', '--cluster', CLUSTER, '--service', SERVICE], options);

    expect(continued.code).toBe(0);
    expect(continued.stderr).toContain('Continued: the deployment completed.');
    expect(continued.outputs['service-deployment-arn']).toBe(shipped.outputs['service-deployment-arn']);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('on the CLI: an option of another command is refused, naming the command whose options it knows', async () => {
    world = await givenService({ deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC });

    const run = await runCli(['status', '--cluster', CLUSTER, '--service', SERVICE, '--hook-id', 'ecs-pause-x'], { endpoint: world.sim.url });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option "--hook-id". See ecs-ship status --help for the options.');
    expect(world.sim.calls).toEqual([]);
  });
});
