import {
  ContinueServiceDeploymentCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator, waitFor } from './helpers';

// BLUE_GREEN, LINEAR and CANARY deployments and their lifecycle hooks (ECS developer guide: blue/green,
// linear and canary deployments; lifecycle hooks). One ECS minute is 60 ECS seconds: 60 ms here.

const BLUE_GREEN_STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
const MINUTE_MS = 60;
/** LINEAR and CANARY need a load balancer or Service Connect; the services here are behind an ALB target group. */
const LOAD_BALANCERS = [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef', containerName: 'app', containerPort: 8080 }];

describe('simulator: blue/green, linear and canary deployments', () => {
  const ctx = useSimulator({
    timing: { provisioningMs: 15, pendingMs: 15, activatingMs: 10, deactivatingMs: 10, deprovisioningMs: 15, stabilizeMs: 100, secondMs: 1, tickMs: 5 },
  });

  async function seed(deploymentConfiguration: DeploymentConfiguration) {
    ctx.sim.addLogGroup('/ecs/web');
    const v1 = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: v1, desiredCount: 2, deploymentConfiguration, loadBalancers: LOAD_BALANCERS });
    const registered = await ctx.ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', { containerDefinitions: [{ name: 'app', image: 'example/app:2', essential: true }] })),
    );
    const blueTasks = ctx.sim.tasks('prod').map((task) => task.taskArn as string);
    return { v1, v2: registered.taskDefinition!.taskDefinitionArn!, blueTasks };
  }

  const describeService = async () => (await ctx.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];
  const describe = async (arn: string): Promise<ServiceDeployment> =>
    (await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0];

  interface Sample {
    at: number;
    sd: ServiceDeployment;
  }

  /** Deploys v2 and polls its service deployment until `done`, keeping every sample. */
  async function deploy(v2: string, done: (sd: ServiceDeployment) => boolean, timeoutMs = 8000) {
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    const samples: Sample[] = [];
    await waitFor(
      async () => {
        const sd = await describe(arn);
        samples.push({ at: Date.now(), sd });
        return sd;
      },
      done,
      timeoutMs,
    );
    return { arn, samples, last: samples.at(-1)!.sd };
  }

  const distinct = <T>(values: T[]) => values.filter((value, i) => i === 0 || value !== values[i - 1]);
  const stagesOf = (samples: Sample[]) => distinct(samples.map((s) => s.sd.lifecycleStage).filter((stage) => stage !== undefined) as string[]);
  const productionWeights = (samples: Sample[]) => distinct(samples.map((s) => s.sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0));
  const firstSeen = (samples: Sample[], stage: string) => samples.find((s) => s.sd.lifecycleStage === stage)!.at;

  it('given BLUE_GREEN with a one-minute bake, the deployment goes through every stage in order, blue running until CLEAN_UP', async () => {
    const { v1, v2, blueTasks } = await seed({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    const during: Array<Array<[string?, string?, number?]>> = [];
    const arn = (await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }))).service!.currentServiceDeployment!;
    const samples: Sample[] = [];
    await waitFor(
      async () => {
        const [sd, service] = await Promise.all([describe(arn), describeService()]);
        samples.push({ at: Date.now(), sd });
        if (sd.lifecycleStage === 'BAKE_TIME') during.push(service.deployments!.map((d) => [d.status, d.taskDefinition, d.runningCount]));
        return sd;
      },
      (sd) => sd.status === 'SUCCESSFUL',
      8000,
    );

    expect(stagesOf(samples)).toEqual(BLUE_GREEN_STAGES);
    expect(firstSeen(samples, 'CLEAN_UP') - firstSeen(samples, 'BAKE_TIME')).toBeGreaterThanOrEqual(MINUTE_MS - 15);
    expect(during[0]).toEqual([
      ['PRIMARY', v2, 2],
      ['ACTIVE', v1, 2],
    ]);
    const testShift = samples.find((s) => s.sd.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT')!.sd;
    expect(testShift.targetServiceRevision).toMatchObject({ requestedTestTrafficWeight: 100, requestedProductionTrafficWeight: 0 });
    expect(testShift.sourceServiceRevisions![0]).toMatchObject({ requestedTestTrafficWeight: 0, requestedProductionTrafficWeight: 100, runningTaskCount: 2 });
    expect(productionWeights(samples)).toEqual([0, 100]);
    const last = samples.at(-1)!.sd;
    expect(last).toMatchObject({ targetServiceRevision: { requestedProductionTrafficWeight: 100, runningTaskCount: 2 } });
    expect(last.finishedAt).toBeInstanceOf(Date);

    const service = await describeService();
    expect(service.deployments!.map((d) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([['PRIMARY', v2, 'COMPLETED']]);
    const tasks = ctx.sim.tasks('prod');
    expect(tasks.filter((t) => blueTasks.includes(t.taskArn)).every((t) => t.desiredStatus === 'STOPPED')).toBe(true);
  });

  it('given LINEAR with 25% steps, production traffic grows by stepPercent each step bake time', async () => {
    const { v2 } = await seed({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } });
    const { samples } = await deploy(v2, (sd) => sd.status === 'SUCCESSFUL');
    expect(productionWeights(samples)).toEqual([0, 25, 50, 75, 100]);
    const at = (weight: number) => samples.find((s) => s.sd.targetServiceRevision?.requestedProductionTrafficWeight === weight)!.at;
    expect(at(50) - at(25)).toBeGreaterThanOrEqual(MINUTE_MS - 15);
    const at75 = samples.find((s) => s.sd.targetServiceRevision?.requestedProductionTrafficWeight === 75)!.sd;
    expect(at75.sourceServiceRevisions![0].requestedProductionTrafficWeight).toBe(25);
  });

  it('given CANARY with 10%, production traffic goes to the canary share, then after the canary bake time to 100', async () => {
    const { v2 } = await seed({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 } });
    const { samples } = await deploy(v2, (sd) => sd.status === 'SUCCESSFUL');
    expect(productionWeights(samples)).toEqual([0, 10, 100]);
    const at = (weight: number) => samples.find((s) => s.sd.targetServiceRevision?.requestedProductionTrafficWeight === weight)!.at;
    expect(at(100) - at(10)).toBeGreaterThanOrEqual(MINUTE_MS - 15);
  });

  it('given a Lambda hook that fails in TEST_TRAFFIC_SHIFT, the deployment rolls back fast with blue never stopped', async () => {
    const hookTargetArn = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';
    const { v1, v2, blueTasks } = await seed({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [{ hookTargetArn, roleArn: 'arn:aws:iam::123456789012:role/hooks', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
    });
    const invocations: Array<{ stage: string; invocation: number; at: number; target?: string; serviceName: string }> = [];
    ctx.sim.scenario.hook = ({ stage, invocation, hookTargetArn: target, serviceName }) => {
      invocations.push({ stage, invocation, at: Date.now(), target, serviceName });
      return invocation === 1 ? 'IN_PROGRESS' : 'FAILED';
    };
    const { samples, last } = await deploy(v2, (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');

    const statuses = distinct(samples.map((s) => s.sd.status).filter((status) => status !== 'PENDING'));
    expect(statuses).toEqual(['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']);
    expect(invocations.map((i) => [i.stage, i.invocation, i.target, i.serviceName])).toEqual([
      ['TEST_TRAFFIC_SHIFT', 1, hookTargetArn, 'web'],
      ['TEST_TRAFFIC_SHIFT', 2, hookTargetArn, 'web'],
    ]);
    expect(invocations[1].at - invocations[0].at).toBeGreaterThanOrEqual(30 - 5);
    const inProgress = samples.find((s) => s.sd.lifecycleHookDetails?.[0]?.status === 'IN_PROGRESS')!.sd.lifecycleHookDetails![0];
    expect(inProgress).toMatchObject({ targetType: 'AWS_LAMBDA', targetArn: hookTargetArn, timeoutAction: 'ROLLBACK', hookId: expect.any(String) });
    expect(inProgress.expiresAt).toBeInstanceOf(Date);
    expect(last.lifecycleHookDetails![0].status).toBe('FAILED');
    expect(last.statusReason).toMatch(/Lifecycle hook .* failed at TEST_TRAFFIC_SHIFT/);
    expect(last.rollback?.serviceRevisionArn).toBe(last.sourceServiceRevisions![0].arn);
    expect(last.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 0, requestedTestTrafficWeight: 0, runningTaskCount: 0 });
    expect(stagesOf(samples)).not.toContain('PRODUCTION_TRAFFIC_SHIFT');

    const tasks = ctx.sim.tasks('prod');
    expect(tasks.filter((t) => blueTasks.includes(t.taskArn)).map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING']);
    expect(tasks.filter((t) => t.taskDefinitionArn === v2).every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    const service = await describeService();
    expect(service.taskDefinition).toBe(v1);
    expect(service.deployments!.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', v1]]);
  });

  it('given a PAUSE hook at POST_SCALE_UP, the deployment waits for ContinueServiceDeployment', async () => {
    const { v2 } = await seed({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }] });
    const { arn, last } = await deploy(v2, (sd) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    expect(last.lifecycleStage).toBe('POST_SCALE_UP');
    expect(last.lifecycleHookDetails![0]).toMatchObject({ targetType: 'PAUSE', timeoutAction: 'ROLLBACK' });
    expect(last.lifecycleHookDetails![0]).not.toHaveProperty('targetArn');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await describe(arn)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_SCALE_UP' });

    await expect(ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x`, hookId: 'nope' }))).rejects.toMatchObject({
      name: 'ServiceDeploymentNotFoundException',
    });
    const continued = await ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: last.lifecycleHookDetails![0].hookId }));
    expect(continued.serviceDeploymentArn).toBe(arn);
    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'SUCCESSFUL');
    expect(done.lifecycleStage).toBe('CLEAN_UP');
  });

  it('given a PAUSE hook answered ROLLBACK, the deployment rolls back', async () => {
    const { v1, v2 } = await seed({ strategy: 'CANARY', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });
    const { arn, last } = await deploy(v2, (sd) => sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    await ctx.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: last.lifecycleHookDetails![0].hookId, action: 'ROLLBACK' }));
    const done = await waitFor(() => describe(arn), (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.rollback?.serviceRevisionArn).toBe(done.sourceServiceRevisions![0].arn);
    expect((await describeService()).taskDefinition).toBe(v1);
  });

  it('given green tasks that fail to start and the circuit breaker, SCALE_UP rolls back to blue', async () => {
    const { v2, blueTasks } = await seed({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, deploymentCircuitBreaker: { enable: true, rollback: true } });
    ctx.sim.scenario.task = ({ taskDefinition }) => (taskDefinition.taskDefinitionArn === v2 ? { failToStart: 'CannotPullContainerError: image not found' } : {});
    const { last, samples } = await deploy(v2, (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(stagesOf(samples).at(-1)).toBe('SCALE_UP');
    expect(last).toMatchObject({ statusReason: 'ECS deployment circuit breaker: tasks failed to start.', deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3 } });
    expect(ctx.sim.tasks('prod').filter((t) => blueTasks.includes(t.taskArn)).every((t) => t.lastStatus === 'RUNNING')).toBe(true);
  });

  it('refuses strategy settings outside ECS limits, before any change', async () => {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/web');
    const taskDefinition = ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    const create = (deploymentConfiguration: DeploymentConfiguration) =>
      ctx.ecs.send(
        new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition, desiredCount: 1, networkConfiguration: awsvpcNetwork, deploymentConfiguration, loadBalancers: LOAD_BALANCERS }),
      );
    const refused = { name: 'InvalidParameterException' };
    await expect(create({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.05 } })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'CANARY', canaryConfiguration: { canaryBakeTimeInMinutes: 1441 } })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'BLUE_GREEN' })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, linearConfiguration: { stepPercent: 10 } })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [{ lifecycleStages: ['PRE_SCALE_UP'] }] })).rejects.toMatchObject(refused);
    await expect(create({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['SCALE_UP' as never] }] })).rejects.toMatchObject(
      refused,
    );
    expect(ctx.sim.service('prod', 'web')).toBeUndefined();
    const created = await create({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 33.3, stepBakeTimeInMinutes: 0 } });
    expect(created.service!.deploymentConfiguration).toMatchObject({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 33.3 } });
  });

  // LINEAR and CANARY need traffic control. ECS developer guide: "Amazon ECS linear deployments require that
  // your service use one of the following features: Application Load Balancer, Network Load Balancer,
  // Service Connect", and the same for canary.
  {
    const refused = { name: 'InvalidParameterException' };
    function given() {
      ctx.sim.addCluster('prod');
      ctx.sim.addLogGroup('/ecs/web');
      return ctx.sim.addTaskDefinition(fargateTaskDefinition('web'));
    }
    const create = (taskDefinition: string, serviceName: string, deploymentConfiguration: DeploymentConfiguration, traffic: Partial<CreateServiceCommandInput> = {}) =>
      ctx.ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName, taskDefinition, desiredCount: 1, networkConfiguration: awsvpcNetwork, deploymentConfiguration, ...traffic }));

    it('refuses to create a LINEAR or CANARY service with neither a load balancer nor Service Connect, and creates nothing', async () => {
      const taskDefinition = given();
      await expect(create(taskDefinition, 'linear', { strategy: 'LINEAR' })).rejects.toMatchObject({ ...refused, message: expect.stringContaining('LINEAR') });
      await expect(create(taskDefinition, 'canary', { strategy: 'CANARY' })).rejects.toMatchObject({ ...refused, message: expect.stringContaining('CANARY') });
      await expect(create(taskDefinition, 'disabled', { strategy: 'LINEAR' }, { serviceConnectConfiguration: { enabled: false } })).rejects.toMatchObject(refused);
      expect(ctx.sim.service('prod', 'linear')).toBeUndefined();
      expect(ctx.sim.service('prod', 'canary')).toBeUndefined();
    });

    it('creates them behind a load balancer or with Service Connect; BLUE_GREEN and ROLLING also without (a headless blue/green gets no managed traffic shift)', async () => {
      const taskDefinition = given();
      await create(taskDefinition, 'behind-alb', { strategy: 'LINEAR' }, { loadBalancers: LOAD_BALANCERS });
      const connected = await create(taskDefinition, 'connected', { strategy: 'CANARY' }, { serviceConnectConfiguration: { enabled: true, namespace: 'internal' } });
      await create(taskDefinition, 'headless', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
      await create(taskDefinition, 'rolling', { strategy: 'ROLLING' });
      expect(ctx.sim.service('prod', 'behind-alb').loadBalancers).toEqual(LOAD_BALANCERS);
      expect(connected.service!.deployments![0].serviceConnectConfiguration).toMatchObject({ enabled: true });
    });

    it('refuses an UpdateService that would leave a LINEAR or CANARY service without one, and changes nothing', async () => {
      const taskDefinition = given();
      await create(taskDefinition, 'headless', { strategy: 'ROLLING' });
      await create(taskDefinition, 'behind-alb', { strategy: 'CANARY' }, { loadBalancers: LOAD_BALANCERS });
      await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'headless', deploymentConfiguration: { strategy: 'LINEAR' } }))).rejects.toMatchObject(refused);
      await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'behind-alb', loadBalancers: [] }))).rejects.toMatchObject(refused);
      expect(ctx.sim.service('prod', 'headless').deploymentConfiguration.strategy).toBe('ROLLING');
      expect(ctx.sim.service('prod', 'behind-alb').loadBalancers).toEqual(LOAD_BALANCERS);
      expect(ctx.sim.service('prod', 'behind-alb').deployments).toHaveLength(1);
    });
  }
});
