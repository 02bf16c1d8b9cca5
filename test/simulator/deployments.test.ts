import { DescribeServicesCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, useSimulator, waitFor } from './helpers';

describe('simulator: service deployments', () => {
  const ctx = useSimulator({ timing: { provisioningMs: 20, pendingMs: 20, deprovisioningMs: 20, stabilizeMs: 150, tickMs: 5 } });

  const describeService = async (): Promise<Service> =>
    (await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];

  interface SeedOptions {
    circuitBreaker?: { enable: boolean; rollback: boolean };
    rolloutState?: boolean;
    desiredCount?: number;
    deploymentConfiguration?: { maximumPercent: number; minimumHealthyPercent: number };
    /** A container health check (30 s interval) in both revisions. */
    healthCheck?: boolean;
  }

  async function seed({ healthCheck, deploymentConfiguration, ...options }: SeedOptions = {}) {
    ctx.sim.addLogGroup('/ecs/web');
    const check = healthCheck ? { healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30, retries: 3 } } : {};
    const container = (image: string) => ({ name: 'app', image, essential: true, ...check });
    const v1 = ctx.sim.addTaskDefinition(fargateTaskDefinition('web', { containerDefinitions: [container('example/app:1')] }));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: v1, desiredCount: options.desiredCount ?? 2, ...options });
    if (deploymentConfiguration) await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration }));
    const registered = await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', { containerDefinitions: [container('example/app:2')] })));
    return { v1, v2: registered.taskDefinition!.taskDefinitionArn! };
  }

  it('rolls a new task definition out: new PRIMARY, old ACTIVE, old tasks drained, COMPLETED with ECS events', async () => {
    const { v1, v2 } = await seed();
    const oldTasks = ctx.sim.tasks('prod').map((t) => t.taskArn);
    const oldDeploymentId = (await describeService()).deployments![0].id;

    const updated = await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));
    expect(updated.service?.taskDefinition).toBe(v2);
    expect(updated.service?.deployments?.map((d) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([
      ['PRIMARY', v2, 'IN_PROGRESS'],
      ['ACTIVE', v1, 'COMPLETED'],
    ]);
    const newId = updated.service!.deployments![0].id!;
    expect(updated.service!.deployments![0].rolloutStateReason).toBe(`ECS deployment ${newId} in progress.`);

    const done = await waitFor(describeService, (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED');
    expect(done.deployments![0]).toMatchObject({ id: newId, status: 'PRIMARY', runningCount: 2, pendingCount: 0, failedTasks: 0 });
    expect(done.deployments![0].rolloutStateReason).toBe(`ECS deployment ${newId} completed.`);
    expect(done.runningCount).toBe(2);

    const tasks = ctx.sim.tasks('prod');
    const drained = tasks.filter((t) => oldTasks.includes(t.taskArn));
    expect(drained.every((t) => t.lastStatus === 'STOPPED' && t.stopCode === 'ServiceSchedulerInitiated' && t.startedBy === oldDeploymentId)).toBe(true);
    const fresh = tasks.filter((t) => !oldTasks.includes(t.taskArn));
    expect(fresh).toHaveLength(2);
    expect(fresh.every((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn === v2 && t.startedBy === newId)).toBe(true);

    const messages = done.events!.map((e) => e.message);
    const id = (arn: string) => arn.split('/').pop();
    expect(messages[0]).toBe('(service web) has reached a steady state.');
    expect(messages[1]).toBe(`(service web) (deployment ${newId}) deployment completed.`);
    expect(messages[3]).toBe(`(service web) has started 2 tasks: ${fresh.map((t) => `(task ${id(t.taskArn)})`).join(' ')}.`);
    expect(messages[2]).toMatch(/^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
    for (const task of drained) expect(messages[2]).toContain(id(task.taskArn));
    const times = done.events!.map((e) => e.createdAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(done.events!.map((e) => e.id)).size).toBe(done.events!.length);
  });

  it('trips the circuit breaker after the failure threshold and rolls back to the last completed task definition', async () => {
    const { v1, v2 } = await seed({ circuitBreaker: { enable: true, rollback: true }, desiredCount: 2 });
    ctx.sim.scenario.task = ({ taskDefinition }) =>
      taskDefinition.taskDefinitionArn === v2 ? { failToStart: 'CannotPullContainerError: image not found' } : {};
    const failedId = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.deployments![0].id!;

    const rolledBack = await waitFor(describeService, (s) => s.deployments!.some((d) => d.rolloutState === 'FAILED'));
    const failed = rolledBack.deployments!.find((d) => d.id === failedId)!;
    expect(failed).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(failed.failedTasks).toBeGreaterThanOrEqual(3); // threshold for desiredCount 2 is max(3, ceil(2 / 2))
    const primary = rolledBack.deployments![0];
    expect(primary).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: v1,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${failedId}.`,
    });
    expect(rolledBack.taskDefinition).toBe(v1);

    const settled = await waitFor(describeService, (s) => s.deployments!.length === 1 && s.deployments![0].rolloutState === 'COMPLETED');
    expect(settled.deployments![0]).toMatchObject({ id: primary.id, taskDefinition: v1, runningCount: 2 });
    expect(settled.events!.map((e) => e.message)).toContain(`(service web) (deployment ${failedId}) deployment failed: tasks failed to start.`);
    const failedTasks = ctx.sim.tasks('prod').filter((t) => t.startedBy === failedId);
    expect(failedTasks.length).toBeGreaterThanOrEqual(3);
    expect(failedTasks.every((t) => t.stopCode === 'TaskFailedToStart')).toBe(true);
  });

  const crashedTasks = () => ctx.sim.tasks('prod').filter((t) => t.stopCode === 'EssentialContainerExited');

  // Deployment.failedTasks (API reference): "A task is considered a failure if the service scheduler can't
  // launch the task, the task doesn't transition to a RUNNING state, or if it fails any of its defined health
  // checks and is stopped"; a task that exits after it started is not one (aws/containers-roadmap issue 1206).
  it('given tasks that start and then crash, the circuit breaker never trips: they are replaced for ever, failedTasks stays 0 and the rollout IN_PROGRESS', async () => {
    const { v2 } = await seed({ circuitBreaker: { enable: true, rollback: true }, desiredCount: 1, healthCheck: true });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { runMs: 5, exitCode: 1 } : {});
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    await waitFor(crashedTasks, (crashed) => crashed.length >= 6, 5000);
    const looping = await describeService();
    expect(looping.deployments).toHaveLength(2);
    expect(looping.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: v2, failedTasks: 0 });
    expect(looping.deployments![1]).toMatchObject({ status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 1 });
    expect(crashedTasks().every((t) => t.containers[0].exitCode === 1)).toBe(true);
  });

  // DeploymentConfiguration.minimumHealthyPercent (API reference): without a load balancer, "if a task has no
  // essential containers with a health check defined, the service scheduler will wait for 40 seconds after a
  // task reaches a RUNNING state before the task is counted towards the minimum healthy percent total".
  // (secondMs is 2 here: 40 s last 80 ms.)
  it('without health checks, new tasks that crash within 40 s of RUNNING never count as healthy: the old tasks keep running', async () => {
    const { v2 } = await seed({ desiredCount: 1 });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { runMs: 40, exitCode: 1 } : {});
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    await waitFor(crashedTasks, (crashed) => crashed.length >= 2, 5000);
    const looping = await describeService();
    expect(looping.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: v2 });
    expect(looping.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 1 });
    const old = ctx.sim.tasks('prod').filter((t) => t.startedBy === looping.deployments![1].id);
    expect(old.every((t) => t.desiredStatus === 'RUNNING')).toBe(true);
  });

  it('without health checks, new tasks that run 40 s count as healthy: the old tasks are drained before the new ones crash', async () => {
    const { v2 } = await seed({ desiredCount: 1 });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { runMs: 120, exitCode: 1 } : {});
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    await waitFor(crashedTasks, (crashed) => crashed.length >= 2, 5000);
    const looping = await describeService();
    expect(looping.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: v2 });
    expect(looping.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 0 });
    const old = ctx.sim.tasks('prod').filter((t) => t.startedBy === looping.deployments![1].id);
    expect(old.every((t) => t.desiredStatus === 'STOPPED' && t.stopCode === 'ServiceSchedulerInitiated')).toBe(true);
  });

  it('the circuit breaker without rollback leaves the deployment FAILED and the old (health-checked) tasks running', async () => {
    const { v2 } = await seed({ circuitBreaker: { enable: true, rollback: false }, desiredCount: 1, healthCheck: true });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { failToStart: 'CannotPullContainerError: not found' } : {});
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    const failed = await waitFor(describeService, (s) => s.deployments![0].rolloutState === 'FAILED');
    expect(failed.taskDefinition).toBe(v2);
    expect(failed.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = await describeService();
    expect(later.deployments![0]).toMatchObject({ rolloutState: 'FAILED', failedTasks: 3, runningCount: 0, pendingCount: 0 });
  });

  // DeploymentCircuitBreaker.resetOnHealthyTask (API reference): "When set to true, a task that reaches a
  // healthy state resets the failure count to 0. When set to false, Amazon ECS does not reset the failure
  // count. The default is true." Here every other task of v2 fails to start; the others run, then crash.
  const failEveryOtherLaunch = (v2: string) => {
    let launches = 0;
    ctx.sim.scenario.task = ({ taskDefinition }) => {
      if (taskDefinition.taskDefinitionArn !== v2) return {};
      return launches++ % 2 === 0 ? { failToStart: 'CannotPullContainerError: registry timed out' } : { runMs: 30, exitCode: 1 };
    };
  };

  it('resets the failure count on a healthy task by default, so failures to start between healthy tasks never reach the threshold', async () => {
    const { v2 } = await seed({ circuitBreaker: { enable: true, rollback: true }, desiredCount: 1 });
    failEveryOtherLaunch(v2);
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    const failedToStart = () => ctx.sim.tasks('prod').filter((t) => t.stopCode === 'TaskFailedToStart');
    await waitFor(failedToStart, (tasks) => tasks.length >= 4, 5000);
    const service = await describeService();
    expect(service.deployments![0]).toMatchObject({ taskDefinition: v2, rolloutState: 'IN_PROGRESS' });
    expect(service.deployments![0].failedTasks).toBeLessThan(3);
  });

  it('with resetOnHealthyTask false, the same failures add up and the circuit breaker trips at its threshold', async () => {
    const { v1, v2 } = await seed({ desiredCount: 1 });
    await ctx.ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: false } } }),
    );
    failEveryOtherLaunch(v2);
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    const rolledBack = await waitFor(describeService, (s) => s.deployments![0].taskDefinition === v1 && s.deployments!.length === 1, 5000);
    expect(rolledBack.events!.some((e) => /deployment failed: tasks failed to start/.test(e.message!))).toBe(true);
    expect(ctx.sim.tasks('prod').filter((t) => t.stopCode === 'TaskFailedToStart')).toHaveLength(3);
  });

  it('does not roll back a rollback that fails as well', async () => {
    const { v2 } = await seed({ circuitBreaker: { enable: true, rollback: true }, desiredCount: 1 });
    ctx.sim.scenario.task = () => ({ failToStart: 'ResourceInitializationError: unable to pull secrets' });
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }));

    const bothFailed = await waitFor(describeService, (s) => s.deployments!.filter((d) => d.rolloutState === 'FAILED').length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await describeService();
    expect(later.deployments!.map((d) => d.id)).toEqual(bothFailed.deployments!.map((d) => d.id));
    expect(later.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: expect.stringMatching(/circuit breaker/) });
  });

  it('omits rolloutState fields for services seeded with rolloutState: false, while still deploying', async () => {
    await seed({ rolloutState: false });
    const updated = await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    expect(updated.service!.deployments).toHaveLength(2);
    for (const deployment of updated.service!.deployments!) {
      expect(deployment).not.toHaveProperty('rolloutState');
      expect(deployment).not.toHaveProperty('rolloutStateReason');
    }
    const done = await waitFor(describeService, (s) => s.deployments!.length === 1 && s.runningCount === 2);
    expect(done.deployments![0]).not.toHaveProperty('rolloutState');
  });

  it('scales with desiredCount without a new deployment', async () => {
    await seed({ desiredCount: 1 });
    const updated = await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }));
    expect(updated.service!.deployments).toHaveLength(1);
    const scaled = await waitFor(describeService, (s) => s.runningCount === 3);
    expect(scaled.deployments![0]).toMatchObject({ desiredCount: 3, rolloutState: 'COMPLETED' });
    expect(ctx.sim.service('prod', 'web').runningCount).toBe(3);
  });
});
