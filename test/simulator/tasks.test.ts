import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator, waitFor } from './helpers';

describe('simulator: RunTask and the task lifecycle', () => {
  const ctx = useSimulator({
    timing: { provisioningMs: 30, pendingMs: 30, activatingMs: 20, deactivatingMs: 20, deprovisioningMs: 30, defaultTaskRunMs: 80, secondMs: 2, tickMs: 5 },
  });

  const setup = (overrides: Record<string, any> = {}) => {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/migrate');
    const definition = fargateTaskDefinition('migrate');
    Object.assign(definition.containerDefinitions![0], overrides);
    return ctx.sim.addTaskDefinition(definition);
  };
  const run = (taskDefinition: string, extra: Record<string, any> = {}) =>
    ctx.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition, launchType: 'FARGATE', networkConfiguration: awsvpcNetwork, ...extra }));
  const describe1 = async (taskArn: string): Promise<Task> =>
    (await ctx.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0];

  it('takes task-level cpu and memory overrides that are a Fargate size, and refuses one that is not', async () => {
    const taskDefinition = setup();
    const { tasks } = await run(taskDefinition, {
      overrides: { cpu: '1024', memory: '2048', containerOverrides: [{ name: 'app', command: ['seed'], environment: [{ name: 'BATCH', value: '7' }] }] },
    });
    expect(tasks![0]).toMatchObject({ cpu: '1024', memory: '2048', overrides: { cpu: '1024', memory: '2048', containerOverrides: [{ name: 'app', environment: [{ name: 'BATCH', value: '7' }] }] } });
    await expect(run(taskDefinition, { overrides: { cpu: '256', memory: '8192' } })).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringContaining('No Fargate configuration exists for given values: 256 CPU, 8192 memory'),
    });
  });

  it('moves a task through every state of the Fargate lifecycle to STOPPED with the scripted exit code', async () => {
    const taskDefinition = setup();
    ctx.sim.scenario.task = ({ startedBy, overrides }) => ({
      exitCode: startedBy === 'runTask' && overrides?.containerOverrides?.[0]?.command?.includes('fail') ? 3 : 0,
      containerReason: 'migration exited',
    });
    const started = await run(taskDefinition, {
      overrides: { containerOverrides: [{ name: 'app', command: ['migrate', 'fail'] }] },
      startedBy: 'ecs-ship',
    });
    expect(started.failures).toEqual([]);
    const task = started.tasks![0];
    expect(task).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      group: 'family:migrate',
      startedBy: 'ecs-ship',
      taskDefinitionArn: taskDefinition,
      overrides: { containerOverrides: [{ name: 'app', command: ['migrate', 'fail'] }] },
    });
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/);

    const seen = new Set<string>();
    const stopped = await waitFor(
      async () => {
        const current = await describe1(task.taskArn!);
        seen.add(current.lastStatus!);
        return current;
      },
      (current) => current.lastStatus === 'STOPPED',
    );
    const lifecycle = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];
    const observed = [...seen].map((status) => lifecycle.indexOf(status));
    expect(observed).not.toContain(-1);
    expect(observed).toEqual([...observed].sort((a, b) => a - b));
    expect(observed).toEqual(expect.arrayContaining([lifecycle.indexOf('RUNNING'), lifecycle.indexOf('DEACTIVATING')]));
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [expect.objectContaining({ name: 'app', lastStatus: 'STOPPED', exitCode: 3, reason: 'migration exited' })],
    });
    const times = ['createdAt', 'pullStartedAt', 'startedAt', 'stoppingAt', 'stoppedAt'].map((k) => (stopped as any)[k].getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // provisioning + pending + activating; then deactivating + deprovisioning (the container had exited already).
    expect(stopped.startedAt!.getTime() - stopped.createdAt!.getTime()).toBe(80);
    expect(stopped.stoppedAt!.getTime() - stopped.stoppingAt!.getTime()).toBe(50);
  });

  it('reports tasks that fail to start, and no exitCode when the script says null', async () => {
    const taskDefinition = setup();
    ctx.sim.scenario.task = () => ({ failToStart: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' });
    const { tasks } = await run(taskDefinition);
    const stopped = await waitFor(() => describe1(tasks![0].taskArn!), (t) => t.lastStatus === 'STOPPED');
    expect(stopped.stopCode).toBe('TaskFailedToStart');
    expect(stopped.stoppedReason).toMatch(/^CannotPullContainerError/);
    expect(stopped.startedAt).toBeUndefined();
    expect(stopped.containers![0].exitCode).toBeUndefined();

    ctx.sim.scenario.task = () => ({ exitCode: null, runMs: 10 });
    const second = await run(taskDefinition);
    const noExit = await waitFor(() => describe1(second.tasks![0].taskArn!), (t) => t.lastStatus === 'STOPPED');
    expect(noExit.stopCode).toBe('EssentialContainerExited');
    expect(noExit.containers![0]).not.toHaveProperty('exitCode');
  });

  it('keeps a task PENDING as long as its script says, until it is stopped', async () => {
    const taskDefinition = setup();
    ctx.sim.scenario.task = () => ({ pendingMs: Infinity });
    const { tasks } = await run(taskDefinition);
    const taskArn = tasks![0].taskArn!;
    await waitFor(() => describe1(taskArn), (t) => t.lastStatus === 'PENDING');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await describe1(taskArn)).toMatchObject({ lastStatus: 'PENDING', desiredStatus: 'RUNNING' });
    await ctx.ecs.send(new StopTaskCommand({ cluster: 'prod', task: taskArn }));
    const stopped = await waitFor(() => describe1(taskArn), (t) => t.lastStatus === 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated' });
    expect(stopped.startedAt).toBeUndefined();
  });

  it('answers scripted RunTask failures without starting tasks', async () => {
    const taskDefinition = setup();
    ctx.sim.scenario.runTaskFailures = [{ reason: 'RESOURCE:MEMORY', detail: 'not enough capacity' }];
    const result = await run(taskDefinition);
    expect(result.tasks).toEqual([]);
    expect(result.failures).toEqual([{ reason: 'RESOURCE:MEMORY', detail: 'not enough capacity' }]);
    expect(ctx.sim.tasks('prod')).toEqual([]);
  });

  it('rejects invalid RunTask requests the way ECS does', async () => {
    const taskDefinition = setup();
    await expect(ctx.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition, launchType: 'FARGATE' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    await expect(run('missing:1')).rejects.toMatchObject({ name: 'ClientException' });
    await expect(run(taskDefinition, { cluster: 'ghost' })).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(
      run(taskDefinition, { overrides: { containerOverrides: [{ name: 'sidecar', command: ['x'] }] } }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const viaCapacityProvider = await run(taskDefinition, { launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
    expect(viaCapacityProvider.tasks![0]).toMatchObject({ launchType: 'FARGATE', capacityProviderName: 'FARGATE_SPOT' });
  });

  it('stops tasks on request with stopCode UserInitiated and lists them by desired status', async () => {
    const taskDefinition = setup();
    ctx.sim.scenario.task = () => ({ runMs: 60_000 });
    const { tasks } = await run(taskDefinition, { count: 2, startedBy: 'me' });
    expect(tasks).toHaveLength(2);
    await waitFor(() => describe1(tasks![0].taskArn!), (t) => t.lastStatus === 'RUNNING');

    const stopped = await ctx.ecs.send(new StopTaskCommand({ cluster: 'prod', task: tasks![0].taskArn, reason: 'Deployment timed out' }));
    expect(stopped.task).toMatchObject({ desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', stopCode: 'UserInitiated', stoppedReason: 'Deployment timed out' });
    const running = await ctx.ecs.send(new ListTasksCommand({ cluster: 'prod', startedBy: 'me' }));
    expect(running.taskArns).toEqual([tasks![1].taskArn]);
    const stoppedList = await ctx.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED', family: 'migrate' }));
    expect(stoppedList.taskArns).toEqual([tasks![0].taskArn]);
    const gone = await waitFor(() => describe1(tasks![0].taskArn!), (t) => t.lastStatus === 'STOPPED');
    // It ignored SIGTERM, so it was killed when its stopTimeout (30 s by default) ran out.
    expect(gone.containers![0].exitCode).toBe(137);
    expect(gone.stoppedAt!.getTime() - gone.stoppingAt!.getTime()).toBe(20 + 30 * 2 + 30);

    await expect(ctx.ecs.send(new StopTaskCommand({ cluster: 'prod', task: 'deadbeef' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const missing = await ctx.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: ['0123456789abcdef0123456789abcdef'] }));
    expect(missing.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', reason: 'MISSING' },
    ]);
  });

  it('sends SIGTERM on stop: a container that exits on it gives 143, one that does not is killed after its stopTimeout with 137', async () => {
    const taskDefinition = setup({ stopTimeout: 5 });
    const stopAndWait = async (script: Record<string, any>) => {
      ctx.sim.scenario.task = () => ({ runMs: 60_000, ...script });
      const { tasks } = await run(taskDefinition);
      const taskArn = tasks![0].taskArn!;
      await waitFor(() => describe1(taskArn), (t) => t.lastStatus === 'RUNNING');
      await ctx.ecs.send(new StopTaskCommand({ cluster: 'prod', task: taskArn }));
      const seen = new Set<string>();
      const stopped = await waitFor(
        async () => {
          const current = await describe1(taskArn);
          seen.add(current.lastStatus!);
          return current;
        },
        (t) => t.lastStatus === 'STOPPED',
      );
      return { stopped, seen };
    };

    const graceful = await stopAndWait({ exitsOnSigtermMs: 4 });
    expect(graceful.stopped.containers![0].exitCode).toBe(143);
    expect(graceful.stopped.stoppedAt!.getTime() - graceful.stopped.stoppingAt!.getTime()).toBe(20 + 4 + 30);

    const stubborn = await stopAndWait({});
    expect(stubborn.stopped.containers![0].exitCode).toBe(137);
    expect(stubborn.stopped.stoppedAt!.getTime() - stubborn.stopped.stoppingAt!.getTime()).toBe(20 + 5 * 2 + 30);
    expect([...stubborn.seen]).toEqual(expect.arrayContaining(['DEACTIVATING', 'DEPROVISIONING', 'STOPPED']));
  });
});
