import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type HealthCheck,
  type Service,
} from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator, waitFor } from './helpers';

// The rolling update keeps within the service's deploymentConfiguration, and health checks decide
// which tasks count as healthy (ECS developer guide: rolling update, container health checks).

const healthCheck: HealthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 10, retries: 2, startPeriod: 30 };

describe('simulator: rolling updates and health checks', () => {
  const ctx = useSimulator({
    timing: { provisioningMs: 15, pendingMs: 15, activatingMs: 10, deactivatingMs: 10, deprovisioningMs: 15, stabilizeMs: 100, secondMs: 2, tickMs: 5 },
  });

  const describeService = async (): Promise<Service> =>
    (await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];

  async function seed(desiredCount: number, deploymentConfiguration?: { maximumPercent: number; minimumHealthyPercent: number }, check?: HealthCheck) {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/web');
    const container = (image: string) => ({ name: 'app', image, essential: true, ...(check ? { healthCheck: check } : {}) });
    const v1 = ctx.sim.addTaskDefinition(fargateTaskDefinition('web', { containerDefinitions: [container('example/app:1')] }));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: v1, desiredCount, circuitBreaker: { enable: true, rollback: true } });
    if (deploymentConfiguration) await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration }));
    const registered = await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', { containerDefinitions: [container('example/app:2')] })));
    return registered.taskDefinition!.taskDefinitionArn!;
  }

  /** Rolls v2 out while sampling the tasks: the most started-and-not-stopping tasks, the fewest RUNNING ones. */
  async function rollOutSampling(v2: string) {
    const extremes = { mostLive: 0, fewestRunning: Infinity };
    const sample = () => {
      const tasks = ctx.sim.tasks('prod');
      const live = tasks.filter((t) => t.desiredStatus === 'RUNNING');
      extremes.mostLive = Math.max(extremes.mostLive, live.length);
      extremes.fewestRunning = Math.min(extremes.fewestRunning, live.filter((t) => t.lastStatus === 'RUNNING').length);
    };
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));
    const done = await waitFor(
      () => {
        sample();
        return describeService();
      },
      (s) => s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED',
    );
    return { done, ...extremes };
  }

  it('with 200/100 starts all new tasks first and never runs fewer than desired', async () => {
    const v2 = await seed(4);
    const { done, mostLive, fewestRunning } = await rollOutSampling(v2);
    expect(done.taskDefinition).toBe(v2);
    expect(mostLive).toBe(8);
    expect(fewestRunning).toBe(4);
  });

  it('with 100/50 stops half the old tasks first and never exceeds the desired count', async () => {
    const v2 = await seed(4, { maximumPercent: 100, minimumHealthyPercent: 50 });
    const { done, mostLive, fewestRunning } = await rollOutSampling(v2);
    expect(done.taskDefinition).toBe(v2);
    expect(mostLive).toBe(4);
    expect(fewestRunning).toBe(2);
    const messages = done.events!.map((e) => e.message!).reverse();
    const afterUpdate = messages.slice(messages.findIndex((m) => m.includes('has reached a steady state')) + 1);
    expect(afterUpdate[0]).toMatch(/has stopped 2 running tasks/);
  });

  it('with 150/100 rolls in batches of two', async () => {
    const v2 = await seed(4, { maximumPercent: 150, minimumHealthyPercent: 100 });
    const { mostLive, fewestRunning } = await rollOutSampling(v2);
    expect(mostLive).toBe(6);
    expect(fewestRunning).toBe(4);
  });

  /** Rolls v2 out (one task) until the old task is stopped: ms from the new task's RUNNING to that stop. */
  async function msUntilOldTaskStops(v2: string): Promise<number> {
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));
    const old = await waitFor(
      () => ctx.sim.tasks('prod').find((t) => t.taskDefinitionArn !== v2 && t.desiredStatus === 'STOPPED'),
      (task) => task !== undefined,
    );
    const fresh = ctx.sim.tasks('prod').find((t) => t.taskDefinitionArn === v2 && t.startedAt !== undefined);
    // (sim.tasks() is the wire view: times in epoch seconds)
    return Math.round((old.stoppingAt - fresh.startedAt) * 1000);
  }

  it('without a load balancer or container health check, counts a new task as healthy 40 s after it is RUNNING', async () => {
    const v2 = await seed(1);
    expect(await msUntilOldTaskStops(v2)).toBeGreaterThanOrEqual(40 * 2);
  });

  it('with a container health check, counts a new task as healthy once it is HEALTHY, not 40 s after RUNNING', async () => {
    // HEALTHY after its first interval: 60 s.
    const v2 = await seed(1, undefined, { ...healthCheck, interval: 60 });
    expect(await msUntilOldTaskStops(v2)).toBeGreaterThanOrEqual(60 * 2);
  });

  it('ignores failed container health checks for healthCheckGracePeriodSeconds after the task started', async () => {
    const v2 = await seed(1, undefined, healthCheck);
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', healthCheckGracePeriodSeconds: 90 }));
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { health: 'UNHEALTHY' } : {});
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    // UNHEALTHY after startPeriod 30 s and 2 failed checks 10 s apart, yet left running within the 90 s.
    const unhealthy = await waitFor(
      () => ctx.sim.tasks('prod').find((t) => t.taskDefinitionArn === v2 && t.healthStatus === 'UNHEALTHY'),
      (task) => task !== undefined,
    );
    expect(unhealthy.desiredStatus).toBe('RUNNING');
    const stopped = await waitFor(
      () => ctx.sim.tasks('prod').find((t) => t.taskArn === unhealthy.taskArn && t.desiredStatus === 'STOPPED'),
      (task) => task !== undefined,
    );
    expect(Math.round((stopped.stoppingAt - stopped.startedAt) * 1000)).toBeGreaterThanOrEqual(90 * 2);
    expect(stopped.stoppedReason).toBe('Task failed container health checks');
  });

  it('reports a container HEALTHY after its first interval, and the task with it', async () => {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/job');
    const definition = fargateTaskDefinition('job');
    Object.assign(definition.containerDefinitions![0], { healthCheck });
    const taskDefinition = ctx.sim.addTaskDefinition(definition);
    ctx.sim.scenario.task = () => ({ runMs: 60_000 });
    const { tasks } = await ctx.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition, launchType: 'FARGATE', networkConfiguration: awsvpcNetwork }));
    const read = async () => (await ctx.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [tasks![0].taskArn!] }))).tasks![0];

    const running = await waitFor(read, (t) => t.lastStatus === 'RUNNING');
    expect(running.healthStatus).toBe('UNKNOWN');
    expect(running.containers![0].healthStatus).toBe('UNKNOWN');
    const healthy = await waitFor(read, (t) => t.healthStatus === 'HEALTHY');
    expect(healthy.containers![0].healthStatus).toBe('HEALTHY');
    expect(Date.now() - healthy.startedAt!.getTime()).toBeGreaterThanOrEqual(10 * 2);
  });

  it('replaces service tasks that fail their health checks (after the start period and the retries), counting them as failed', async () => {
    const v2 = await seed(1, undefined, healthCheck);
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { health: 'UNHEALTHY' } : {});
    const started = Date.now();
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    const first = await waitFor(
      () => ctx.sim.tasks('prod').find((t) => t.taskDefinitionArn === v2 && t.desiredStatus === 'STOPPED'),
      (task) => task !== undefined,
    );
    // startPeriod 30 s, then 2 failed checks 10 s apart: 40 ECS seconds after RUNNING.
    // (sim.tasks() is the wire view: times in epoch seconds)
    expect(Math.round((first.stoppingAt - first.startedAt) * 1000)).toBeGreaterThanOrEqual(40 * 2);
    expect(first.stoppingAt * 1000 - started).toBeGreaterThanOrEqual(40 * 2);
    expect(first).toMatchObject({ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', healthStatus: 'UNHEALTHY' });

    const rolledBack = await waitFor(describeService, (s) => s.deployments!.some((d) => d.rolloutState === 'FAILED'), 8000);
    const failed = rolledBack.deployments!.find((d) => d.rolloutState === 'FAILED')!;
    expect(failed.failedTasks).toBe(3);
    expect(rolledBack.events!.map((e) => e.message)).toContain(`(service web) (task ${first.taskArn.split('/').pop()}) failed container health checks.`);
    // The old task never stopped: the new ones were never healthy.
    const old = ctx.sim.tasks('prod').filter((t) => t.taskDefinitionArn !== v2 && t.startedBy === rolledBack.deployments!.at(-1)!.id);
    expect(old.every((t) => t.desiredStatus === 'RUNNING')).toBe(true);
  });
});
