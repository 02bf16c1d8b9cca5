import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { credentials, useSimulator } from './helpers';

// EventBridge rules with ECS targets and EventBridge Scheduler schedules, as the real SDK clients call them.

const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
const OTHER_CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/staging';
const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const ROLE = 'arn:aws:iam::123456789012:role/scheduled-tasks';

const ecsTarget = (id: string, cluster = CLUSTER_ARN) => ({
  Id: id,
  Arn: cluster,
  RoleArn: ROLE,
  Input: '{"containerOverrides":[{"name":"web","command":["bin/report"]}]}',
  EcsParameters: {
    TaskDefinitionArn: TASK_DEFINITION,
    TaskCount: 1,
    LaunchType: 'FARGATE' as const,
    NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-0a1b2c'], SecurityGroups: ['sg-0d4e5f'], AssignPublicIp: 'DISABLED' as const } },
  },
});

describe('simulator: EventBridge rules and targets', () => {
  const ctx = useSimulator();
  let events: EventBridgeClient;
  beforeEach(() => (events = new EventBridgeClient({ endpoint: ctx.sim.url, region: 'us-east-1', credentials })));
  afterEach(() => events.destroy());

  it('given a scheduled rule with an ECS target, lists the rule by the cluster ARN and answers the target as it was put', async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)' }));
    await events.send(new PutRuleCommand({ Name: 'elsewhere', ScheduleExpression: 'rate(1 hour)' }));
    const put = await events.send(new PutTargetsCommand({ Rule: 'nightly-report', Targets: [ecsTarget('report')] }));
    await events.send(new PutTargetsCommand({ Rule: 'elsewhere', Targets: [ecsTarget('other', OTHER_CLUSTER_ARN)] }));

    expect(RuleArn).toBe('arn:aws:events:us-east-1:123456789012:rule/nightly-report');
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER_ARN }))).RuleNames).toEqual(['nightly-report']);
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'nightly-report' }))).Targets).toEqual([ecsTarget('report')]);
    expect(await events.send(new DescribeRuleCommand({ Name: 'nightly-report' }))).toMatchObject({ Name: 'nightly-report', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED', EventBusName: 'default' });
    expect(ctx.sim.calls.map((call) => `${call.service}:${call.action}`)).toContain('events:ListRuleNamesByTarget');
    expect(ctx.sim.mutatingCalls()).toEqual(['PutRule', 'PutRule', 'PutTargets', 'PutTargets']);
  });

  it('PutTargets replaces a target by its Id, whole; RemoveTargets removes it', async () => {
    ctx.sim.addRule({ Name: 'nightly-report', ScheduleExpression: 'rate(1 day)' }, [ecsTarget('report')]);
    await events.send(new PutTargetsCommand({ Rule: 'nightly-report', Targets: [{ Id: 'report', Arn: CLUSTER_ARN, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'web:2' } }] }));
    expect(ctx.sim.ruleTargets('nightly-report')).toEqual([{ Id: 'report', Arn: CLUSTER_ARN, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'web:2' } }]);

    await events.send(new RemoveTargetsCommand({ Rule: 'nightly-report', Ids: ['report'] }));
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER_ARN }))).RuleNames).toEqual([]);
  });

  it('pages rule names and rules by Limit and NextToken', async () => {
    for (const name of ['a', 'b', 'c']) ctx.sim.addRule({ Name: name, ScheduleExpression: 'rate(1 day)' }, [ecsTarget('t')]);
    const first = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER_ARN, Limit: 2 }));
    const second = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: CLUSTER_ARN, Limit: 2, NextToken: first.NextToken }));
    const rules = await events.send(new ListRulesCommand({ NamePrefix: 'b' }));

    expect([first.RuleNames, second.RuleNames, second.NextToken]).toEqual([['a', 'b'], ['c'], undefined]);
    expect(rules.Rules?.map((rule) => rule.Name)).toEqual(['b']);
  });

  it('answers a missing rule with ResourceNotFoundException, and a denied call with AccessDeniedException', async () => {
    await expect(events.send(new ListTargetsByRuleCommand({ Rule: 'missing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Rule missing does not exist on EventBus default.' });
    ctx.sim.scenario.deniedActions = ['PutTargets'];
    ctx.sim.addRule({ Name: 'r', ScheduleExpression: 'rate(1 day)' });
    await expect(events.send(new PutTargetsCommand({ Rule: 'r', Targets: [ecsTarget('t')] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ctx.sim.ruleTargets('r')).toEqual([]);
  });
});

describe('simulator: EventBridge Scheduler schedules', () => {
  const ctx = useSimulator();
  let scheduler: SchedulerClient;
  beforeEach(() => (scheduler = new SchedulerClient({ endpoint: ctx.sim.url, region: 'us-east-1', credentials })));
  afterEach(() => scheduler.destroy());

  const target = (cluster = CLUSTER_ARN) => ({ Arn: cluster, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: TASK_DEFINITION, LaunchType: 'FARGATE' as const } });

  it('creates a schedule, answers it with its defaults filled in, and lists it in every group with its target ARN', async () => {
    const { ScheduleArn } = await scheduler.send(
      new CreateScheduleCommand({ Name: 'report', ScheduleExpression: 'cron(0 3 * * ? *)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, Target: target(), Description: 'nightly' }),
    );
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'ops' }));
    await scheduler.send(new CreateScheduleCommand({ Name: 'cleanup', GroupName: 'ops', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target(OTHER_CLUSTER_ARN) }));
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'report' }));
    const listed = await scheduler.send(new ListSchedulesCommand({}));

    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:123456789012:schedule/default/report');
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      GroupName: 'default',
      Description: 'nightly',
      State: 'ENABLED',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: { ...target(), EcsParameters: { ...target().EcsParameters, TaskCount: 1 }, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } },
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
    expect(listed.Schedules?.map((s) => [s.GroupName, s.Name, s.Target?.Arn])).toEqual([
      ['default', 'report', CLUSTER_ARN],
      ['ops', 'cleanup', OTHER_CLUSTER_ARN],
    ]);
    expect((await scheduler.send(new ListSchedulesCommand({ GroupName: 'ops' }))).Schedules?.map((s) => s.Name)).toEqual(['cleanup']);
    expect(ctx.sim.calls.filter((call) => call.service === 'scheduler').map((call) => call.action)).toEqual(['CreateSchedule', 'CreateScheduleGroup', 'CreateSchedule', 'GetSchedule', 'ListSchedules', 'ListSchedules']);
  });

  it('UpdateSchedule replaces the whole schedule: what it is not given goes back to its default', async () => {
    ctx.sim.addSchedule({ Name: 'report', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, Description: 'nightly', State: 'DISABLED', Target: target() });
    await scheduler.send(new UpdateScheduleCommand({ Name: 'report', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target() }));
    const after = ctx.sim.schedule('report');

    expect(after.Description).toBeUndefined();
    expect(after.State).toBe('ENABLED');
    expect(after.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(after.LastModificationDate).toBeGreaterThanOrEqual(after.CreationDate);
  });

  it('pages ListSchedules by MaxResults and NextToken, filtered by NamePrefix and State', async () => {
    for (const name of ['a1', 'a2', 'b1']) ctx.sim.addSchedule({ Name: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target(), State: name === 'a2' ? 'DISABLED' : 'ENABLED' });
    const first = await scheduler.send(new ListSchedulesCommand({ MaxResults: 2 }));
    const second = await scheduler.send(new ListSchedulesCommand({ MaxResults: 2, NextToken: first.NextToken }));

    expect([first.Schedules?.map((s) => s.Name), second.Schedules?.map((s) => s.Name), second.NextToken]).toEqual([['a1', 'a2'], ['b1'], undefined]);
    expect((await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'a', State: 'ENABLED' }))).Schedules?.map((s) => s.Name)).toEqual(['a1']);
  });

  it('answers REST-JSON errors the SDK names: a missing schedule (404), a missing group (404), a bad request (400), a denied call (403)', async () => {
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'missing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Schedule missing does not exist.', $metadata: { httpStatusCode: 404 } });
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'report', GroupName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(
      scheduler.send(new CreateScheduleCommand({ Name: 'report', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'FLEXIBLE' }, Target: target() })),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    ctx.sim.scenario.deniedActions = ['ListSchedules'];
    await expect(scheduler.send(new ListSchedulesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(ctx.sim.calls.map((call) => call.error)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException', 'ValidationException', 'AccessDeniedException']);
  });

  it('refuses an unsigned request as the other services do', async () => {
    const response = await fetch(`${ctx.sim.url}/schedules`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});
