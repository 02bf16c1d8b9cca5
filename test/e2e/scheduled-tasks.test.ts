// scheduled-tasks: EventBridge rules and Scheduler schedules that run the family on the cluster follow
// a successful deploy to the new revision, with every other setting of theirs as it was.
import { createClients } from '../../src/aws/clients';
import { newLedger } from '../../src/execute/ledger';
import type { Reporter } from '../../src/shared/reporter';
import { findScheduledTasks } from '../../src/plan/scheduled-task-lookup';
import { pointScheduledTasks, restoreScheduledTasks } from '../../src/execute/scheduled-tasks';
import { TEST_CREDENTIALS } from '../support/harness';
import { deploy, failureMessage, IMAGE, warnings } from '../support/scenarios';
import { webTemplate } from '../support/templates';
import { givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const PROD = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const STAGING = 'arn:aws:ecs:us-east-1:123456789012:cluster/staging';
const ROLE = 'arn:aws:iam::123456789012:role/scheduled-tasks';
const NETWORK = { awsvpcConfiguration: { Subnets: ['subnet-0a1b2c'], SecurityGroups: ['sg-0d4e5f'], AssignPublicIp: 'DISABLED' } };

const ecsParameters = (taskDefinitionArn: string) => ({ TaskDefinitionArn: taskDefinitionArn, TaskCount: 2, LaunchType: 'FARGATE', PlatformVersion: 'LATEST', NetworkConfiguration: NETWORK, Group: 'reports' });

/**
 * Given a rule and a schedule (in group "ops") that run family "web" on cluster "prod"; a rule that runs
 * another family on "prod"; and a schedule that runs "web" on another cluster.
 */
async function givenScheduledTasks(options: Parameters<typeof givenService>[0] = {}): Promise<void> {
  world = await givenService(options);
  const { sim, initialArn } = world;
  sim.addRule({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)', Description: 'the report' }, [
    { Id: 'report', Arn: PROD, RoleArn: ROLE, Input: '{"containerOverrides":[{"name":"web","command":["bin/report"]}]}', EcsParameters: ecsParameters(initialArn), RetryPolicy: { MaximumRetryAttempts: 2 } },
  ]);
  sim.addRule({ Name: 'worker-sweep', ScheduleExpression: 'rate(1 hour)' }, [{ Id: 'sweep', Arn: PROD, RoleArn: ROLE, EcsParameters: ecsParameters('arn:aws:ecs:us-east-1:123456789012:task-definition/worker:7') }]);
  sim.addScheduleGroup('ops');
  sim.addSchedule({
    Name: 'cleanup',
    GroupName: 'ops',
    ScheduleExpression: 'cron(30 4 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    Description: 'nightly cleanup',
    State: 'ENABLED',
    StartDate: 1_900_000_000,
    Target: { Arn: PROD, RoleArn: ROLE, Input: '{"containerOverrides":[]}', RetryPolicy: { MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' }, EcsParameters: ecsParameters(initialArn) },
  });
  sim.addSchedule({ Name: 'staging-cleanup', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: STAGING, RoleArn: ROLE, EcsParameters: ecsParameters(initialArn) } });
}

/** Everything but the task definition and the modification time, to compare before and after. */
const settings = () => {
  const { LastModificationDate, ...schedule } = world.sim.schedule('cleanup', 'ops');
  const withoutRevision = (value: any) => ({ ...value, EcsParameters: { ...value.EcsParameters, TaskDefinitionArn: undefined } });
  return { rule: world.sim.ruleTargets('nightly-report')!.map(withoutRevision), schedule: { ...schedule, Target: withoutRevision(schedule.Target) } };
};
const revisions = () => ({
  rule: world.sim.ruleTargets('nightly-report')![0].EcsParameters.TaskDefinitionArn,
  schedule: world.sim.schedule('cleanup', 'ops').Target.EcsParameters.TaskDefinitionArn,
  otherFamily: world.sim.ruleTargets('worker-sweep')![0].EcsParameters.TaskDefinitionArn,
  otherCluster: world.sim.schedule('staging-cleanup').Target.EcsParameters.TaskDefinitionArn,
});

describe('scheduled tasks follow a deploy', () => {
  test('given scheduled-tasks: true, exactly the rule and the schedule that run the family on the cluster move to the new revision, their other settings as they were', async () => {
    await givenScheduledTasks();
    const before = settings();
    const run = await deploy(world, { 'scheduled-tasks': 'true' });

    expect(run.code).toBe(0);
    const newArn = run.outputs['task-definition-arn'];
    expect(newArn).toMatch(/task-definition\/web:2$/);
    expect(revisions()).toEqual({ rule: newArn, schedule: newArn, otherFamily: 'arn:aws:ecs:us-east-1:123456789012:task-definition/worker:7', otherCluster: world.initialArn });
    expect(settings()).toEqual(before);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'PutTargets', 'UpdateSchedule']);
    expect(run.outputs['scheduled-tasks']).toBe('nightly-report,ops/cleanup');
    expect(run.summary).toContain('| Scheduled tasks | rule nightly-report (target report) now runs web:2 (was web:1); schedule ops/cleanup now runs web:2 (was web:1) |');
    expect(warnings(run)).toBe('');
  });

  test('given the rule named, only the rule moves', async () => {
    await givenScheduledTasks();
    const run = await deploy(world, { 'scheduled-tasks': 'nightly-report' });

    expect(run.code).toBe(0);
    expect(revisions()).toMatchObject({ rule: run.outputs['task-definition-arn'], schedule: world.initialArn });
    expect(run.outputs['scheduled-tasks']).toBe('nightly-report');
  });

  test('given wait: false, they are pointed once the update is started, and the log says the rollout was not waited for', async () => {
    await givenScheduledTasks();
    const run = await deploy(world, { 'scheduled-tasks': 'true', wait: 'false' });

    expect(run.code).toBe(0);
    expect(run.log).toContain('The rollout was not waited for (wait is false): the scheduled tasks are pointed at');
    expect(revisions()).toMatchObject({ rule: run.outputs['task-definition-arn'], schedule: run.outputs['task-definition-arn'] });
  });

  test('given a rollout that fails and is rolled back, the rule and the schedule stay on the revision the service is back on', async () => {
    await givenScheduledTasks({ timing: { stabilizeMs: 3_600_000 } });
    const run = await deploy(world, { 'scheduled-tasks': 'true', 'wait-timeout-minutes': '0.05' });

    expect(run.code).toBe(1);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    expect(revisions()).toMatchObject({ rule: world.initialArn, schedule: world.initialArn });
    expect(world.sim.mutatingCalls()).not.toContain('PutTargets');
    expect(world.sim.mutatingCalls()).not.toContain('UpdateSchedule');
  });

  test('given a schedule name that does not exist and a rule of another family, the run exits 2 naming both, before any change', async () => {
    await givenScheduledTasks();
    const run = await deploy(world, { 'scheduled-tasks': 'ops/missing\nworker-sweep' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('scheduled-tasks: "ops/missing" was not found: there is no Scheduler schedule in group ops of that name.');
    expect(failureMessage(run)).toContain(`scheduled-tasks: "worker-sweep" does not run family "web" on ${PROD} (rule target sweep runs arn:aws:ecs:us-east-1:123456789012:task-definition/worker:7 on ${PROD}).`);
    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(revisions()).toMatchObject({ rule: world.initialArn, schedule: world.initialArn });
  });

  test('given a name that is not one, the run exits 2 before any AWS call', async () => {
    await givenScheduledTasks();
    const run = await deploy(world, { 'scheduled-tasks': 'nightly report!' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('scheduled-tasks: "nightly report!" is not the name of a rule or a schedule.');
    expect(world.sim.calls).toEqual([]);
  });

  test('given a dry run, the plan lists the rule and the schedule that would move, and nothing changes', async () => {
    await givenScheduledTasks();
    const run = await deploy(world, { 'scheduled-tasks': 'true', 'dry-run': 'true' });

    expect(run.code).toBe(0);
    expect(run.log).toContain(`once the rollout succeeded, point rule nightly-report (target report) (now ${world.initialArn}), schedule ops/cleanup (now ${world.initialArn}) at the new revision`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given PutTargets denied, the deploy succeeds with a warning naming the rule, and the schedule still moves', async () => {
    await givenScheduledTasks();
    world.sim.scenario.deniedActions = ['PutTargets'];
    const run = await deploy(world, { 'scheduled-tasks': 'true' });

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain(`rule nightly-report (target report) was not pointed at ${run.outputs['task-definition-arn']}: EventBridge answered PutTargets with AccessDeniedException`);
    expect(warnings(run)).toContain(`It still runs ${world.initialArn}; point it by hand.`);
    expect(revisions()).toMatchObject({ rule: world.initialArn, schedule: run.outputs['task-definition-arn'] });
    expect(run.outputs['scheduled-tasks']).toBe('ops/cleanup');
  });
});

describe('scheduled tasks and keep-revisions', () => {
  test('given a rule on revision 2 that cannot be pointed (PutTargets denied), keep-revisions: 1 keeps revision 2 for it and deregisters revision 3', async () => {
    await givenScheduledTasks();
    const revision = () => world.sim.addTaskDefinition({ ...webTemplate(), containerDefinitions: [{ ...webTemplate().containerDefinitions[0], image: IMAGE }] });
    const [revision2, revision3] = [revision(), revision()];
    const target = world.sim.ruleTargets('nightly-report')![0];
    world.sim.addRule({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)' }, [{ ...target, EcsParameters: { ...target.EcsParameters, TaskDefinitionArn: revision2 } }]);
    world.sim.scenario.deniedActions = ['PutTargets'];
    const run = await deploy(world, { 'scheduled-tasks': 'true', 'keep-revisions': '1' });

    expect(run.code).toBe(0);
    const status = (arn: string) => world.sim.taskDefinitions('web').find((d) => d.taskDefinitionArn === arn)?.status;
    expect([status(revision2), status(revision3), status(world.initialArn)]).toEqual(['ACTIVE', 'INACTIVE', 'ACTIVE']);
    expect(run.log).toContain('web:2: EventBridge rule nightly-report runs it');
  });
});

describe('scheduled tasks pointed back (what a later rollback calls)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('given the rule and the schedule pointed at revision 2, restoreScheduledTasks points each back to revision 1, the other settings as they were; one changed since is left alone', async () => {
    await givenScheduledTasks();
    Object.assign(process.env, { AWS_ENDPOINT_URL: world.sim.url, ...TEST_CREDENTIALS });
    const warned: string[] = [];
    const reporter: Reporter = { info: () => undefined, warn: (m) => warned.push(m), debug: () => undefined, phase: (_, work) => work(), secret: () => undefined };
    const deps = { aws: createClients('us-east-1'), reporter, record: newLedger('prod', 'web', 'us-east-1') };
    const before = settings();
    const revision2 = world.initialArn.replace(/:1$/, ':2');

    const found = await findScheduledTasks({ all: true }, 'web', PROD, deps);
    const moved = await pointScheduledTasks(found, revision2, deps);
    expect(revisions()).toMatchObject({ rule: revision2, schedule: revision2 });
    // Someone points the rule elsewhere in the meantime.
    const target = world.sim.ruleTargets('nightly-report')![0];
    world.sim.addRule({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)', Description: 'the report' }, [{ ...target, EcsParameters: { ...target.EcsParameters, TaskDefinitionArn: 'web:9' } }]);
    const restored = await restoreScheduledTasks(moved, deps);

    expect(restored.map((task) => [task.name, task.to])).toEqual([['ops/cleanup', world.initialArn]]);
    expect(revisions()).toMatchObject({ rule: 'web:9', schedule: world.initialArn });
    expect(settings().schedule).toEqual(before.schedule);
    expect(warned.join('\n')).toContain(`rule nightly-report (target report) no longer runs ${revision2}: it was changed in the meantime, so it is left as it is.`);
    expect(deps.record.scheduledTasks?.map((task) => [task.name, task.restored ?? false])).toEqual([
      ['nightly-report', false],
      ['ops/cleanup', true],
    ]);
    for (const client of [deps.aws.ecs, await deps.aws.events(), await deps.aws.scheduler()]) client.destroy();
  });
});
