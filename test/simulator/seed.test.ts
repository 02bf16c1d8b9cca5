import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { seedDemo } from '../../simulator/seed';
import { useSimulator } from './helpers';

describe('simulator: demo seed', () => {
  const ctx = useSimulator();

  it('seeds the demo cluster, repository, task definition and a steady two-task service', async () => {
    seedDemo(ctx.sim);
    const { services } = await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }));
    expect(services![0]).toMatchObject({
      runningCount: 2,
      launchType: 'FARGATE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: [expect.any(String)], securityGroups: [expect.any(String)] } },
    });
    const { taskDefinition } = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-web' }));
    expect(taskDefinition).toMatchObject({ networkMode: 'awsvpc', cpu: '256', memory: '512', requiresCompatibilities: ['FARGATE'] });
    expect(taskDefinition!.containerDefinitions![0]).toMatchObject({
      name: 'web',
      essential: true,
      image: 'public.ecr.aws/docker/library/busybox:stable',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/demo-web', 'awslogs-stream-prefix': 'ecs' } },
    });
    const { repositories } = await ctx.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['demo-app'] }));
    expect(repositories).toHaveLength(1);
    expect(ctx.sim.calls.length).toBe(3);
  });
});
