import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, useSimulator, waitFor } from './helpers';

// ECS service deployments (developer guide: "View service history using Amazon ECS service deployments",
// "Stopping Amazon ECS service deployments") recorded for rolling updates.

describe('simulator: service deployment records', () => {
  const ctx = useSimulator({ timing: { provisioningMs: 20, pendingMs: 20, deprovisioningMs: 20, stabilizeMs: 150, tickMs: 5 } });

  async function seed(circuitBreaker?: { enable: boolean; rollback: boolean }) {
    ctx.sim.addLogGroup('/ecs/web');
    const v1 = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: v1, desiredCount: 2, circuitBreaker });
    const registered = await ctx.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', { containerDefinitions: [{ name: 'app', image: 'example/app:2', essential: true }] })),
    );
    return { v1, v2: registered.taskDefinition!.taskDefinitionArn! };
  }

  const describeService = async () => (await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];
  const describe = async (arn: string): Promise<ServiceDeployment> =>
    (await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0];

  /** Reads the service deployment until `done`, collecting every status seen on the way. */
  async function follow(arn: string, done: (sd: ServiceDeployment) => boolean, timeoutMs = 5000) {
    // PENDING lasts a couple of ticks: a poller may or may not see it.
    const seen: string[] = [];
    const last = await waitFor(
      async () => {
        const sd = await describe(arn);
        if (seen.at(-1) !== sd.status && sd.status !== 'PENDING') seen.push(sd.status!);
        return sd;
      },
      done,
      timeoutMs,
    );
    return { last, seen };
  }

  it('given a steady service, an UpdateService opens a service deployment that ends SUCCESSFUL on the new revision', async () => {
    const { v1, v2 } = await seed({ enable: true, rollback: true });
    const before = await describeService();
    expect(before.currentServiceDeployment).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/[\w-]{22}$/);
    const seeded = await describe(before.currentServiceDeployment!);
    expect(seeded).toMatchObject({ status: 'SUCCESSFUL', sourceServiceRevisions: [] });
    const sourceArn = seeded.targetServiceRevision!.arn!;
    expect(before.currentServiceRevisions).toEqual([{ arn: sourceArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }]);

    const updated = await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));
    const arn = updated.service!.currentServiceDeployment!;
    expect(arn).not.toBe(before.currentServiceDeployment);
    expect(updated.service!.currentServiceRevisions).toHaveLength(2);

    const { last, seen } = await follow(arn, (sd) => sd.status === 'SUCCESSFUL');
    expect(seen).toEqual(['IN_PROGRESS', 'SUCCESSFUL']);
    expect(last.sourceServiceRevisions).toEqual([{ arn: sourceArn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 }]);
    const targetArn = last.targetServiceRevision!.arn!;
    expect(targetArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-revision\/prod\/web\/\d+$/);
    expect(last.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 });
    expect(last.deploymentCircuitBreaker).toEqual({ status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 });
    expect(last.deploymentConfiguration).toMatchObject({ maximumPercent: 200, minimumHealthyPercent: 100 });
    expect(last.finishedAt!.getTime()).toBeGreaterThanOrEqual(last.startedAt!.getTime());
    expect(last.startedAt!.getTime()).toBeGreaterThanOrEqual(last.createdAt!.getTime());
    expect(last).not.toHaveProperty('stoppedAt');
    expect(last).not.toHaveProperty('rollback');

    const { serviceRevisions, failures } = await ctx.ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [targetArn, sourceArn, `${sourceArn}0`] }),
    );
    expect(serviceRevisions!.map((r) => r.taskDefinition)).toEqual([v2, v1]);
    expect(serviceRevisions![0]).toMatchObject({ serviceArn: updated.service!.serviceArn, launchType: 'FARGATE', containerImages: [{ containerName: 'app', image: 'example/app:2' }] });
    expect(serviceRevisions![0].networkConfiguration?.awsvpcConfiguration?.subnets).toHaveLength(1);
    expect(failures).toEqual([{ arn: `${sourceArn}0`, reason: 'MISSING' }]);
  });

  it('given the circuit breaker with rollback, failing tasks roll back within the same record: ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL', async () => {
    const { v1, v2 } = await seed({ enable: true, rollback: true });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { failToStart: 'CannotPullContainerError: image not found' } : {});
    const source = (await describe((await describeService()).currentServiceDeployment!)).targetServiceRevision!.arn;
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;

    const { last, seen } = await follow(arn, (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(seen).toEqual(['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(last.statusReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(last.rollback).toMatchObject({ serviceRevisionArn: source, reason: expect.stringMatching(/circuit breaker/i) });
    expect(last.rollback!.startedAt!.getTime()).toBeGreaterThanOrEqual(last.startedAt!.getTime());
    expect(last.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(last.deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
    const service = await describeService();
    expect(service.taskDefinition).toBe(v1);
    expect(service.currentServiceDeployment).toBe(arn);
  });

  it('given the circuit breaker without rollback, the record ends STOPPED with the reason and stoppedAt', async () => {
    const { v2 } = await seed({ enable: true, rollback: false });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { failToStart: 'CannotPullContainerError: image not found' } : {});
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    const { last } = await follow(arn, (sd) => sd.status === 'STOPPED');
    expect(last).toMatchObject({ statusReason: 'ECS deployment circuit breaker: tasks failed to start.', deploymentCircuitBreaker: { status: 'TRIGGERED' } });
    expect(last.stoppedAt).toBeInstanceOf(Date);
    expect(last).not.toHaveProperty('rollback');
  });

  it('StopServiceDeployment ROLLBACK returns the service to the previous task definition through a rollback deployment', async () => {
    const { v1, v2 } = await seed();
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { pendingMs: Infinity } : {});
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    await follow(arn, (sd) => sd.status === 'IN_PROGRESS');

    const stopped = await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }));
    expect(stopped.serviceDeploymentArn).toBe(arn);
    const { last, seen } = await follow(arn, (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(seen).toEqual(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(last.rollback?.serviceRevisionArn).toBe(last.sourceServiceRevisions![0].arn);
    const service = await describeService();
    expect(service.taskDefinition).toBe(v1);
    expect(service.deployments!.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', v1]]);
    expect(ctx.sim.tasks('prod').filter((t) => t.taskDefinitionArn === v2).every((t) => t.desiredStatus === 'STOPPED')).toBe(true);
    await expect(ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }))).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('StopServiceDeployment ABORT stops the record and leaves the service where it is', async () => {
    const { v2 } = await seed();
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { pendingMs: Infinity } : {});
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    await waitFor(describeService, (s) => s.deployments![0].pendingCount === 2);

    await ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));
    const { last, seen } = await follow(arn, (sd) => sd.status === 'STOPPED');
    expect(seen).toEqual(['STOP_REQUESTED', 'STOPPED']);
    expect(last.stoppedAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const service = await describeService();
    expect(service.taskDefinition).toBe(v2);
    expect(service.deployments!.map((d) => [d.status, d.runningCount, d.pendingCount])).toEqual([
      ['PRIMARY', 0, 2],
      ['ACTIVE', 2, 0],
    ]);
  });

  it('a newer UpdateService stops the service deployment under way as superseded', async () => {
    const { v1, v2 } = await seed();
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { pendingMs: Infinity } : {});
    const first = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    await waitFor(describeService, (s) => s.deployments![0].pendingCount === 2);
    const second = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v1, forceNewDeployment: true }))).service!
      .currentServiceDeployment!;

    expect(await describe(first)).toMatchObject({ status: 'STOPPED', statusReason: expect.stringMatching(/superseded/) });
    const newer = await describe(second);
    expect(newer).toMatchObject({ status: 'PENDING', lifecycleStage: 'RECONCILE_SERVICE' });
    expect(newer.sourceServiceRevisions).toHaveLength(2);
    const { last } = await follow(second, (sd) => sd.status === 'SUCCESSFUL');
    expect(last).not.toHaveProperty('lifecycleStage');
  });

  it('ListServiceDeployments lists newest first, filtered by status and creation time, in pages', async () => {
    const { v2 } = await seed();
    const seededArn = (await describeService()).currentServiceDeployment!;
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    ctx.sim.scenario.task = () => ({ pendingMs: Infinity });
    const first = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    const second = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }))).service!.currentServiceDeployment!;

    const all = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(all.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([second, first, seededArn]);
    expect(all.serviceDeployments![2]).toMatchObject({ status: 'SUCCESSFUL', targetServiceRevisionArn: expect.stringContaining(':service-revision/prod/web/') });
    expect(all.nextToken).toBeUndefined();

    const stopped = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', status: ['STOPPED', 'SUCCESSFUL'] }));
    expect(stopped.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([first, seededArn]);
    const recent = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', createdAt: { after: cutoff } }));
    expect(recent.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([second, first]);
    const older = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', createdAt: { before: cutoff } }));
    expect(older.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([seededArn]);

    const page1 = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', maxResults: 2 }));
    expect(page1.serviceDeployments).toHaveLength(2);
    const page2 = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([seededArn]);

    await expect(ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'nope' }))).rejects.toMatchObject({ name: 'ServiceNotFoundException' });
    const described = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [first, `${first}x`] }));
    expect(described.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([first]);
    expect(described.failures).toEqual([{ arn: `${first}x`, reason: 'MISSING' }]);
    await expect(ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: Array(21).fill(first) }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ctx.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${first}x` }))).rejects.toMatchObject({
      name: 'ServiceDeploymentNotFoundException',
    });
  });

  it('answers UnknownOperationException for unsupportedActions and AccessDeniedException for deniedActions', async () => {
    await seed();
    ctx.sim.scenario.unsupportedActions = ['ListServiceDeployments'];
    ctx.sim.scenario.deniedActions = ['DescribeServiceDeployments'];
    await expect(ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: ['arn:x'] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('ecs:DescribeServiceDeployments'),
    });
    expect(ctx.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition']);
  });

  it('answers brokenActions with 500 and an HTML body, which the SDK cannot read as an AWS error', async () => {
    await seed();
    ctx.sim.scenario.brokenActions = ['ListServiceDeployments'];
    const failure = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect((failure as Error).name).not.toBe('UnknownOperationException');
    expect(ctx.sim.calls.filter((c) => c.action === 'ListServiceDeployments').length).toBeGreaterThan(1);
  });
});
