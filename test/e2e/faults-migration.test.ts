// Issue 5, "Fail fast, explain, recover": the migration phase under faults and cancellation.
// Each scenario runs the real bundle against the simulator and checks the exit code, the message,
// the outputs, the ordered mutating calls and the task definition the service is left on.
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CLUSTER, HOTFIX_IMAGE, SERVICE, SOMEONE_ELSE, givenService, webTemplate, type World } from '../support/world';
import { deploy, eventually, failureMessage, logIndex, signalWhenCalled, signalWhenLogShows, warnings, type SignalPlan } from '../support/scenarios';

let world: World;
afterEach(async () => world?.close());

const REVISION_2 = /^arn:aws:ecs:us-east-1:123456789012:task-definition\/web:2$/;
const TASK_ARN = /^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/;

const migrationTask = (arn: string) => world.sim.tasks(CLUSTER).find((t) => t.taskArn === arn);
const runTaskCalls = () => world.sim.calls.filter((c) => c.action === 'RunTask' && !c.error);

/** Someone else deploys a hotfix revision of "web" just before the run; returns their deployment ID and revision. */
async function givenSomeoneElsesDeployment(): Promise<{ id: string; taskDefinition: string }> {
  const hotfixDefinition = webTemplate();
  hotfixDefinition.containerDefinitions[0].image = HOTFIX_IMAGE;
  hotfixDefinition.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
  const taskDefinition = world.sim.addTaskDefinition(hotfixDefinition);
  const ecs = new ECSClient({ endpoint: world.sim.url, region: 'us-east-1', credentials: SOMEONE_ELSE });
  const theirs = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition }));
  ecs.destroy();
  return { id: theirs.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!, taskDefinition };
}

const stopTaskInputs = () => world.sim.calls.filter((c) => c.action === 'StopTask' && !c.error).map((c) => c.input);

describe('a migration that fails', () => {
  test('given a migration that logs and exits 3, the deploy streams its CloudWatch log while it runs, fails, and repeats the last lines in the message', async () => {
    world = await givenService();
    const lines = Array.from({ length: 25 }, (_, i) => `migrate: step ${String(i + 1).padStart(2, '0')} of 25`);
    lines[24] = 'ERROR: relation "orders" already exists';
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 3_000, exitCode: 3, logLines: lines } : {});

    const run = await deploy(world, { 'migration-command': 'bin/rails db:migrate' });

    expect(run.code).toBe(1);
    const message = failureMessage(run);
    const taskArn = run.outputs['migration-task-arn'];
    expect(taskArn).toMatch(TASK_ARN);
    expect(message).toMatch(/^Migration failed: container "web" exited with code 3 \(stopCode EssentialContainerExited, .*\)\. The service was not updated\./);
    // The log streamed while the task was RUNNING, before ecs-ship saw it stop.
    expect(run.log).toContain(`Migration log: /ecs/web ecs/web/${taskArn.split('/').pop()}`);
    const firstLine = logIndex(run, '│ migrate: step 01 of 25');
    expect(firstLine).toBeGreaterThan(logIndex(run, 'Migration task is RUNNING'));
    expect(firstLine).toBeLessThan(logIndex(run, /Migration task is (DEPROVISIONING|STOPPED)/));
    for (const line of lines) expect(run.log).toContain(`│ ${line}`);
    // The message ends with the last 20 lines, in order; the first ones are only in the log.
    const tail = message.split('Last lines of the migration log:\n')[1];
    expect(tail.split('\n')).toEqual(lines.slice(-20).map((l) => `  ${l}`));
    expect(message).not.toContain('step 05 of 25');

    expect(run.outputs['migration-exit-code']).toBe('3');
    expect(run.outputs['task-definition-arn']).toMatch(REVISION_2);
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a migration task that never starts, the deploy fails with ECS stop code and reason, and never updates the service', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) =>
      ctx.startedBy === 'runTask' ? { failToStart: 'CannotPullContainerError: pull image manifest has been retried 7 time(s): not found' } : {};

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toBe(
      'Migration task failed to start (stopCode TaskFailedToStart, stoppedReason "CannotPullContainerError: pull image manifest has been retried 7 time(s): not found"). ' +
        'The service was not updated.',
    );
    expect(run.outputs['migration-task-arn']).toMatch(TASK_ARN);
    expect(run.outputs['migration-exit-code']).toBe('');
    expect(run.outputs['task-definition-arn']).toMatch(REVISION_2);
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a migration that outlives migration-timeout-minutes, the deploy stops the task with a reason and fails', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 600_000, logLines: ['waiting for lock on schema_migrations'] } : {});

    const run = await deploy(world, { 'migration-command': 'bin/migrate', 'migration-timeout-minutes': '0.05' });

    expect(run.code).toBe(1);
    const taskArn = run.outputs['migration-task-arn'];
    expect(taskArn).toMatch(TASK_ARN);
    expect(failureMessage(run)).toBe(
      `Migration timed out after 0.05 minutes; the task was stopped (${taskArn}). The service was not updated.\n` +
        'Last lines of the migration log:\n  waiting for lock on schema_migrations',
    );
    expect(stopTaskInputs()).toEqual([{ cluster: expect.stringMatching(/cluster\/prod$/), task: taskArn, reason: 'ecs-ship: migration timed out after 0.05 minutes' }]);
    expect(migrationTask(taskArn)).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'ecs-ship: migration timed out after 0.05 minutes' });
    expect(run.outputs['migration-exit-code']).toBe('');
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('a migration that meets someone else\'s deployment', () => {
  test('given another deployment in progress, the deploy waits for it to complete before the migration runs, then migrates and rolls out', async () => {
    world = await givenService({ timing: { stabilizeMs: 2_000 } });
    const theirs = await givenSomeoneElsesDeployment();

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(failureMessage(run)).toBe('');
    expect(run.code).toBe(0);
    expect(warnings(run)).toBe(`Another deployment (${theirs.id}, ${theirs.taskDefinition}) is in progress on the service; waiting for it before running the migration.`);
    const theirsCompleted = world.sim.transitions.find((t) => t.kind === 'deployment-completed' && t.id === theirs.id);
    expect(theirsCompleted).toBeDefined();
    const [runTask] = runTaskCalls();
    expect(runTask.time).toBeGreaterThanOrEqual(theirsCompleted!.time);
    expect(logIndex(run, `(deployment ${theirs.id}) deployment completed.`)).toBeLessThan(logIndex(run, 'Started migration task'));
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(run.outputs['previous-task-definition-arn']).toBe(theirs.taskDefinition);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService', 'RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });

  test('given another deployment that does not settle within the wait, the deploy fails without running the migration and never updates the service', async () => {
    world = await givenService();
    const theirs = await givenSomeoneElsesDeployment();
    // Their tasks never get past PENDING: their deployment stays in progress.
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.taskDefinitionArn === theirs.taskDefinition ? { pendingMs: Infinity } : {});

    const run = await deploy(world, { 'migration-command': 'bin/migrate', 'wait-timeout-minutes': '0.05' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toBe(
      `Another deployment (${theirs.id}) was still in progress after 0.05 minutes; not running the migration. The service was not updated.`,
    );
    expect(runTaskCalls()).toEqual([]);
    expect(run.outputs['migration-task-arn']).toBe('');
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService', 'RegisterTaskDefinition']);
    expect(world.serviceTaskDefinition()).toBe(theirs.taskDefinition);
  });
});

describe('a deploy cancelled during the migration', () => {
  const longMigration = () => {
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 600_000 } : {});
  };

  test('given SIGINT while the migration runs, the deploy exits 130 within 5 s, names the task in flight, and leaves it running', async () => {
    world = await givenService();
    longMigration();
    const signal: SignalPlan = {};

    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, { onSpawn: signalWhenLogShows(/Started migration task/, 'SIGINT', signal) });
    const exitedAt = Date.now();

    expect(signal.sentAt).toBeDefined();
    expect(exitedAt - signal.sentAt!).toBeLessThan(5_000);
    expect(run.code).toBe(130);
    const taskArn = run.outputs['migration-task-arn'];
    expect(taskArn).toMatch(TASK_ARN);
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. In flight: migration task ${taskArn} may still be running.`);
    expect(run.outputs['deployment-id']).toBe('');
    expect(run.outputs['migration-exit-code']).toBe('');
    // Left alone: still wanted, still on its way up or running (how far it got depends on timing).
    expect(migrationTask(taskArn)).toMatchObject({ desiredStatus: 'RUNNING', lastStatus: expect.stringMatching(/^(PROVISIONING|PENDING|RUNNING)$/) });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given SIGINT while the migration runs and stop-migration-on-cancel, the deploy stops the task, says so, and exits 130 within 5 s', async () => {
    world = await givenService();
    longMigration();
    const signal: SignalPlan = {};

    const run = await deploy(
      world,
      { 'migration-command': 'bin/migrate', 'stop-migration-on-cancel': 'true' },
      { onSpawn: signalWhenLogShows(/Started migration task/, 'SIGINT', signal) },
    );
    const exitedAt = Date.now();

    expect(signal.sentAt).toBeDefined();
    expect(exitedAt - signal.sentAt!).toBeLessThan(5_000);
    expect(run.code).toBe(130);
    const taskArn = run.outputs['migration-task-arn'];
    expect(taskArn).toMatch(TASK_ARN);
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. Migration task ${taskArn} was stopped (stop-migration-on-cancel); the service was not updated.`);
    expect(stopTaskInputs()).toEqual([{ cluster: expect.stringMatching(/cluster\/prod$/), task: taskArn, reason: 'ecs-ship: the deploy was cancelled' }]);
    expect(migrationTask(taskArn)).toMatchObject({ desiredStatus: 'STOPPED', stoppedReason: 'ecs-ship: the deploy was cancelled' });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given SIGINT while RunTask is sent and not answered yet, the deploy exits 130 and names the RunTask in flight', async () => {
    world = await givenService();
    longMigration();
    // ECS holds the RunTask answer longer than the cancel report may wait.
    world.sim.scenario = { ...world.sim.scenario, latencyMs: 6_000, faultActions: ['RunTask'] };
    const signal: SignalPlan = {};

    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, { onSpawn: signalWhenCalled(world.sim, 'RunTask', 'SIGINT', signal) });

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe(
      `Cancelled by SIGINT. In flight: RunTask for the migration (${run.outputs['task-definition-arn']}) was sent and not answered yet, so ECS may still start the migration task.`,
    );
    expect(run.outputs['migration-task-arn']).toBe('');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given SIGINT while RunTask is not answered yet and stop-migration-on-cancel, the task RunTask started after the cancel is stopped', async () => {
    world = await givenService();
    longMigration();
    // Answered after the cancel, and later than the report would otherwise wait.
    world.sim.scenario = { ...world.sim.scenario, latencyMs: 5_000, faultActions: ['RunTask'] };
    const signal: SignalPlan = {};

    const run = await deploy(
      world,
      { 'migration-command': 'bin/migrate', 'stop-migration-on-cancel': 'true' },
      { onSpawn: signalWhenCalled(world.sim, 'RunTask', 'SIGINT', signal) },
    );
    // Whatever the run did, wait until ECS has answered the RunTask (and so started its task).
    await eventually(() => world.sim.tasks(CLUSTER).some((t) => t.startedBy === 'ecs-ship'));

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    const [task] = world.sim.tasks(CLUSTER).filter((t) => t.startedBy === 'ecs-ship');
    expect(warnings(run)).toContain('RunTask for the migration is not answered yet; waiting for it to stop the task it starts (stop-migration-on-cancel).');
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. Migration task ${task.taskArn} was stopped (stop-migration-on-cancel); the service was not updated.`);
    expect(run.outputs['migration-task-arn']).toBe(task.taskArn);
    expect(stopTaskInputs()).toEqual([{ cluster: expect.stringMatching(/cluster\/prod$/), task: task.taskArn, reason: 'ecs-ship: the deploy was cancelled' }]);
    expect(migrationTask(task.taskArn)).toMatchObject({ desiredStatus: 'STOPPED', stoppedReason: 'ecs-ship: the deploy was cancelled' });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});
