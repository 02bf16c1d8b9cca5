import { DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, useSimulator, waitFor } from './helpers';

// CloudWatch alarms (AWS JSON 1.0) and ECS deployment alarms (ECS developer guide: "How CloudWatch alarms
// detect Amazon ECS deployment failures").

describe('simulator: CloudWatch alarms and deployment alarms', () => {
  const ctx = useSimulator({
    timing: { provisioningMs: 15, pendingMs: 15, activatingMs: 10, deactivatingMs: 10, deprovisioningMs: 15, stabilizeMs: 100, secondMs: 2, tickMs: 5 },
  });

  it('answers PutMetricAlarm, SetAlarmState and DescribeAlarms through the CloudWatch SDK', async () => {
    await ctx.cloudwatch.send(
      new PutMetricAlarmCommand({ AlarmName: 'web-5xx', MetricName: 'HTTPCode_Target_5XX_Count', Namespace: 'AWS/ApplicationELB', Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, Threshold: 5.5, ComparisonOperator: 'GreaterThanThreshold' }),
    );
    ctx.sim.addAlarm('web-latency');
    const created = await ctx.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }));
    expect(created.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: 'web-5xx',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx',
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        MetricName: 'HTTPCode_Target_5XX_Count',
        EvaluationPeriods: 2,
        Threshold: 5.5,
      }),
    ]);
    expect(created.MetricAlarms![0].StateUpdatedTimestamp).toBeInstanceOf(Date);

    await ctx.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'testing' }));
    const inAlarm = await ctx.cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(inAlarm.MetricAlarms!.map((a) => [a.AlarmName, a.StateReason])).toEqual([['web-5xx', 'testing']]);
    const ok = await ctx.cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'OK' }));
    expect(ok.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['web-latency']);

    const page1 = await ctx.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    const page2 = await ctx.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: page1.NextToken }));
    expect([...page1.MetricAlarms!, ...page2.MetricAlarms!].map((a) => a.AlarmName)).toEqual(['web-5xx', 'web-latency']);
    expect(page2.NextToken).toBeUndefined();

    await expect(ctx.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    await expect(ctx.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'RED' as never, StateReason: 'x' }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    ctx.sim.scenario.deniedActions = ['DescribeAlarms'];
    await expect(ctx.cloudwatch.send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('cloudwatch:DescribeAlarms'),
    });
    expect(ctx.sim.calls.filter((c) => c.service === 'cloudwatch').map((c) => c.action)).toContain('PutMetricAlarm');
  });

  async function seed(deploymentConfiguration: DeploymentConfiguration) {
    ctx.sim.addLogGroup('/ecs/web');
    const v1 = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: v1, desiredCount: 2, deploymentConfiguration });
    const registered = await ctx.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', { containerDefinitions: [{ name: 'app', image: 'example/app:2', essential: true }] })),
    );
    return { v1, v2: registered.taskDefinition!.taskDefinitionArn!, blueTasks: ctx.sim.tasks('prod').map((t) => t.taskArn as string) };
  }

  const describeService = async () => (await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];
  const describe = async (arn: string): Promise<ServiceDeployment> =>
    (await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0];
  const update = async (taskDefinition: string) =>
    (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition }))).service!.currentServiceDeployment!;
  const steadyOn = (taskDefinition: string) => () =>
    waitFor(
      () => ctx.sim.tasks('prod'),
      (tasks) => tasks.filter((t) => t.desiredStatus === 'RUNNING').every((t) => t.taskDefinitionArn === taskDefinition && t.lastStatus === 'RUNNING'),
    );

  it('given a rolling deployment with alarms, it stays IN_PROGRESS for a bake time after steady state and then SUCCEEDS', async () => {
    const { v2 } = await seed({ alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } });
    ctx.sim.addAlarm('web-5xx', 'OK');
    const started = Date.now();
    const arn = await update(v2);
    await steadyOn(v2)();
    const steadyAt = Date.now();
    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'SUCCESSFUL');
    // stabilizeMs 100, then Period 60 × EvaluationPeriods 1 ECS seconds (2 ms each) of monitoring
    expect(Date.now() - steadyAt).toBeGreaterThanOrEqual(100 + 120 - 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100 + 120);
    expect(done.alarms).toEqual({ status: 'MONITORING_COMPLETE', alarmNames: ['web-5xx'], triggeredAlarmNames: [] });
    expect((await describeService()).deployments![0].rolloutState).toBe('COMPLETED');
  });

  it('given an alarm that fires during the bake time, the rolling deployment FAILS and rolls back in the same record', async () => {
    const { v1, v2 } = await seed({ alarms: { alarmNames: ['web-5xx', 'web-latency'], enable: true, rollback: true } });
    ctx.sim.addAlarm('web-5xx', 'OK');
    ctx.sim.addAlarm('web-latency', 'OK');
    const arn = await update(v2);
    await steadyOn(v2)();
    expect((await describe(arn)).status).toBe('IN_PROGRESS');
    ctx.sim.setAlarm('web-5xx', 'ALARM');

    const failing = await waitFor(describeService, (s) => s.deployments!.some((d) => d.rolloutState === 'FAILED'));
    const failed = failing.deployments!.find((d) => d.rolloutState === 'FAILED')!;
    expect(failed.taskDefinition).toBe(v2);
    expect(failed.rolloutStateReason).toContain('web-5xx');
    expect(failing.deployments![0]).toMatchObject({ status: 'PRIMARY', taskDefinition: v1, rolloutState: 'IN_PROGRESS' });
    const rollingBack = await describe(arn);
    expect(rollingBack).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] } });
    expect(rollingBack.statusReason).toContain('web-5xx');
    expect(rollingBack.statusReason).not.toContain('web-latency');
    expect(rollingBack.rollback?.reason).toContain('web-5xx');

    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.rollback?.serviceRevisionArn).toBe(done.sourceServiceRevisions![0].arn);
    expect((await describeService()).taskDefinition).toBe(v1);
  });

  it('given alarms without rollback, an alarm STOPS the service deployment and the service stays on the new revision', async () => {
    const { v2 } = await seed({ alarms: { alarmNames: ['web-5xx'], enable: true, rollback: false } });
    ctx.sim.addAlarm('web-5xx', 'ALARM');
    const arn = await update(v2);
    const stopped = await waitFor(() => describe(arn), (sd) => sd.status === 'STOPPED');
    expect(stopped.statusReason).toContain('web-5xx');
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    const service = await describeService();
    expect(service.taskDefinition).toBe(v2);
    expect(service.deployments![0]).toMatchObject({ taskDefinition: v2, rolloutState: 'FAILED', rolloutStateReason: expect.stringContaining('web-5xx') });
  });

  it('given alarms with enable false, an alarm in ALARM does nothing', async () => {
    const { v2 } = await seed({ alarms: { alarmNames: ['web-5xx'], enable: false, rollback: true } });
    ctx.sim.addAlarm('web-5xx', 'ALARM');
    const arn = await update(v2);
    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'SUCCESSFUL');
    expect(done.alarms).toMatchObject({ status: 'DISABLED', triggeredAlarmNames: [] });
  });

  it('given a BLUE_GREEN deployment, an alarm in BAKE_TIME sends traffic back to blue, which never stopped', async () => {
    const { v1, v2, blueTasks } = await seed({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } });
    ctx.sim.addAlarm('web-5xx', 'OK');
    const arn = await update(v2);
    await waitFor(() => describe(arn), (sd) => sd.lifecycleStage === 'BAKE_TIME', 8000);
    ctx.sim.setAlarm('web-5xx', 'ALARM');
    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(done).toMatchObject({ alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] }, targetServiceRevision: { requestedProductionTrafficWeight: 0 } });
    expect(done.statusReason).toContain('web-5xx');
    expect(ctx.sim.tasks('prod').filter((t) => blueTasks.includes(t.taskArn)).every((t) => t.lastStatus === 'RUNNING')).toBe(true);
    expect((await describeService()).taskDefinition).toBe(v1);
  });
});
