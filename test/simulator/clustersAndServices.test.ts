import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator } from './helpers';

describe('simulator: clusters and service lookups', () => {
  const ctx = useSimulator();

  it('creates clusters idempotently and reports missing ones as failures', async () => {
    const created = await ctx.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    expect(created.cluster).toMatchObject({ clusterName: 'prod', status: 'ACTIVE', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' });
    await ctx.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));

    const described = await ctx.ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'ghost'] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['prod']);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/ghost', reason: 'MISSING' }]);
  });

  it('answers ClusterNotFoundException, ServiceNotFoundException, ServiceNotActiveException and MISSING failures', async () => {
    const taskDefinition = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addCluster('prod');
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition, desiredCount: 1 });
    ctx.sim.addService({ cluster: 'prod', name: 'old', taskDefinition, desiredCount: 0, status: 'DRAINING' });

    await expect(ctx.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web'] }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'nope', service: 'web' }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
    await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'ghost', forceNewDeployment: true }))).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'old', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
    await expect(ctx.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'ghost' }))).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
    });

    const described = await ctx.ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web', 'ghost'] }),
    );
    expect(described.services?.map((s) => s.serviceName)).toEqual(['web']);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost', reason: 'MISSING' }]);
  });

  it('describes a seeded service as steady, with its running tasks', async () => {
    const taskDefinition = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition, desiredCount: 2, circuitBreaker: { enable: true, rollback: true } });

    const { services } = await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    const service = services![0];
    expect(service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({
      id: expect.stringMatching(/^ecs-svc\/\d{19}$/),
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 2,
      failedTasks: 0,
      createdAt: expect.any(Date),
    });
    expect(service.events?.[0].message).toBe('(service web) has reached a steady state.');

    const listed = await ctx.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
    expect(listed.taskArns).toHaveLength(2);
    const tasks = ctx.sim.tasks('prod');
    expect(tasks.every((t) => t.lastStatus === 'RUNNING' && t.group === 'service:web' && t.startedBy === service.deployments![0].id)).toBe(true);
    const servicesList = await ctx.ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    expect(servicesList.serviceArns).toEqual([service.serviceArn]);
  });

  it('validates CreateService like ECS and starts its first deployment', async () => {
    const taskDefinition = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addCluster('prod');
    await expect(
      ctx.ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition, desiredCount: 1, launchType: 'FARGATE' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/Network Configuration must be provided/) });

    const created = await ctx.ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'web',
        taskDefinition,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: awsvpcNetwork,
      }),
    );
    expect(created.service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    await expect(
      ctx.ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition, desiredCount: 1, networkConfiguration: awsvpcNetwork, launchType: 'FARGATE' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Creation of service was not idempotent.' });
  });
});
