import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ticker } from './clock';
import { cloudwatchHandlers, putAlarm, setAlarmState } from './cloudwatch';
import { createRepository, ecrHandlers, tagImage } from './ecr';
import { clusterNameOf, createCluster, findCluster } from './ecs/clusters';
import { addServiceEvent, completedReason } from './ecs/deployments';
import { advanceEcs, ecsHandlers } from './ecs/index';
import { launchServiceTasks } from './ecs/serviceTasks';
import { markSeededSuccessful, serviceDeploymentOf } from './ecs/serviceDeployments';
import { createServiceRecord, findService, serviceView } from './ecs/services';
import { findTaskDefinition, registerTaskDefinition } from './ecs/taskDefinitions';
import { markRunning } from './ecs/taskLifecycle';
import { taskView } from './ecs/taskView';
import { eventBridgeHandlers, putRule, putTargets } from './eventbridge';
import { createRole } from './iam';
import { createSchedule, createScheduleGroup, schedulerHandlers } from './scheduler';
import { ensureLogGroup, logsHandlers } from './logs';
import { secretsManagerHandlers } from './secretsManager';
import { putParameter, ssmHandlers } from './ssm';
import { createAwsServer } from './server';
import { SimState } from './state';
import { DEFAULT_TIMING, SIMULATOR_CREDENTIALS, type RecordedCall, type RecordedTransition, type Scenario, type ServiceSeed, type Simulator, type SimulatorOptions } from './types';

export type { HookContext, HookStatus, RecordedCall, RecordedTransition, Scenario, ServiceSeed, Simulator, SimulatorOptions, TaskScript, TaskScriptContext, Timing } from './types';
export { DEFAULT_TIMING, REALISTIC_TIMING, SIMULATOR_CREDENTIALS } from './types';
export { DEMO, demoTaskScript, seedDemo } from './seed';

const READ_ONLY_ACTION = /^(Describe|List|Get|BatchGet|Filter)/;

/** Subnet and security group given to seeded awsvpc services that name none. */
const SEED_NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60001'], securityGroups: ['sg-0a1b2c3d4e5f60001'], assignPublicIp: 'DISABLED' },
};

class LocalSimulator implements Simulator {
  constructor(
    private readonly state: SimState,
    private readonly server: Server,
    private readonly ticker: Ticker,
    readonly url: string,
  ) {}

  get region() {
    return this.state.config.region;
  }

  get accountId() {
    return this.state.config.accountId;
  }

  get calls(): RecordedCall[] {
    return this.state.calls;
  }

  get transitions(): RecordedTransition[] {
    return this.state.transitions;
  }

  get scenario(): Scenario {
    return this.state.scenario;
  }

  set scenario(scenario: Scenario) {
    this.state.scenario = scenario;
  }

  async close(): Promise<void> {
    this.ticker.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  mutatingCalls(): string[] {
    return this.state.calls
      .filter((call) => call.service !== 'sts' && !this.state.faultedCalls.has(call) && call.error !== 'UnknownOperationException')
      .filter((call) => !READ_ONLY_ACTION.test(call.action))
      .map((call) => call.action);
  }

  addCluster(name: string): string {
    return createCluster(this.state, { clusterName: name }).arn;
  }

  addTaskDefinition(def: Record<string, any>): string {
    return registerTaskDefinition(this.state, def, Date.now()).description.taskDefinitionArn;
  }

  addService(spec: ServiceSeed): string {
    const state = this.state;
    const now = Date.now();
    const cluster = findCluster(state, spec.cluster) ?? createCluster(state, { clusterName: spec.cluster });
    const awsvpc = findTaskDefinition(state, spec.taskDefinition)?.description.networkMode === 'awsvpc';
    const service = createServiceRecord(
      state,
      {
        cluster,
        name: spec.name,
        taskDefinitionArn: spec.taskDefinition,
        desiredCount: spec.desiredCount ?? 1,
        placementRequest: {
          launchType: spec.capacityProviderStrategy?.length ? undefined : (spec.launchType ?? 'FARGATE'),
          capacityProviderStrategy: spec.capacityProviderStrategy,
          platformVersion: spec.platformVersion,
        },
        networkConfiguration: spec.networkConfiguration ?? (awsvpc ? SEED_NETWORK : undefined),
        serviceConnectConfiguration: spec.serviceConnectConfiguration,
        extra: spec.loadBalancers ? { loadBalancers: spec.loadBalancers } : undefined,
        deploymentConfiguration:
          spec.circuitBreaker || spec.deploymentConfiguration
            ? { ...spec.deploymentConfiguration, ...(spec.circuitBreaker ? { deploymentCircuitBreaker: spec.circuitBreaker } : {}) }
            : undefined,
        reportsRolloutState: spec.rolloutState ?? true,
        deploymentController: spec.deploymentController ? { type: spec.deploymentController } : undefined,
      },
      now,
    );
    const deployment = service.deployments[0];
    deployment.rolloutState = 'COMPLETED';
    deployment.rolloutStateReason = completedReason(deployment.id);
    service.lastCompleted = { id: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn, serviceRevisionArn: deployment.serviceRevisionArn };
    service.status = spec.status ?? 'ACTIVE';
    if (service.status === 'ACTIVE') {
      for (const task of launchServiceTasks(state, service, deployment, service.desiredCount, now, {})) markRunning(state, task, now);
      service.steadySince = now - state.timing.stabilizeMs;
      service.steadyAnnounced = true;
      addServiceEvent(service, now, 'has reached a steady state.');
    }
    const serviceDeployment = serviceDeploymentOf(state, deployment);
    if (serviceDeployment) markSeededSuccessful(state, serviceDeployment, now);
    return service.arn;
  }

  addRepository(name: string): string {
    return (this.state.repositories.get(name) ?? createRepository(this.state, name, Date.now())).arn;
  }

  addImage(repository: string, tag: string, digest: string, pushedAt = Date.now()): void {
    const now = Date.now();
    const record = this.state.repositories.get(repository) ?? createRepository(this.state, repository, now);
    tagImage(record, tag, digest, pushedAt);
  }

  images(repository: string): Array<{ digest: string; tags: string[]; pushedAt: number }> {
    return (this.state.repositories.get(repository)?.images ?? []).map(({ digest, tags, pushedAt }) => ({ digest, tags: [...tags], pushedAt }));
  }

  addCredentials(accessKeyId: string, secretAccessKey: string): void {
    this.state.credentials.set(accessKeyId, secretAccessKey);
  }

  /** The session of this key has ended: AWS answers every call signed with it ExpiredTokenException. */
  expireCredentials(accessKeyId: string): void {
    this.state.expiredKeys.add(accessKeyId);
  }

  addLogGroup(name: string): void {
    ensureLogGroup(this.state, name, Date.now());
  }

  addParameter(name: string, value: string, type: 'String' | 'SecureString' = 'SecureString'): void {
    putParameter(this.state, { Name: name, Value: value, Type: type, Overwrite: true }, Date.now());
  }

  addRole(name: string, trustService: string | null = 'ecs-tasks.amazonaws.com'): string {
    return createRole(this.state, name, trustService, Date.now()).arn;
  }

  addAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' = 'OK'): string {
    const now = Date.now();
    const alarm = this.state.alarms.get(name) ?? putAlarm(this.state, name, {}, now);
    setAlarmState(this.state, name, state, `Set by the test: ${state}`, now);
    return alarm.arn;
  }

  setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void {
    if (!this.state.alarms.has(name)) putAlarm(this.state, name, {}, Date.now());
    setAlarmState(this.state, name, state, `Set by the test: ${state}`, Date.now());
  }

  addRule(rule: Record<string, any>, targets: any[] = []): string {
    const { RuleArn } = putRule(this.state, rule);
    if (targets.length > 0) putTargets(this.state, { Rule: rule.Name, Targets: targets });
    return RuleArn;
  }

  addSchedule(schedule: Record<string, any>): string {
    return createSchedule(this.state, schedule, Date.now()).ScheduleArn;
  }

  addScheduleGroup(name: string): void {
    createScheduleGroup(this.state, { Name: name });
  }

  ruleTargets(rule: string): any[] | undefined {
    const found = this.state.rules.get(`default/${rule}`);
    return found && structuredClone(found.targets);
  }

  schedule(name: string, group = 'default'): any {
    const found = this.state.schedules.get(`${group}/${name}`);
    return found && schedulerHandlers.GetSchedule(this.state, { Name: name, GroupName: group }, Date.now());
  }

  service(cluster: string, name: string): any {
    this.catchUp();
    const service = findService(this.state, clusterNameOf(cluster), name);
    return service && serviceView(this.state, service);
  }

  taskDefinitions(family: string): any[] {
    return (this.state.taskDefinitions.get(family) ?? []).map((record) => record.description);
  }

  tasks(cluster: string): any[] {
    this.catchUp();
    return this.state.tasksOfCluster(clusterNameOf(cluster)).map((task) => taskView(this.state, task));
  }

  private catchUp(): void {
    advanceEcs(this.state, Date.now());
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimState({
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    timing: { ...DEFAULT_TIMING, ...options.timing },
    ecrRegistry: options.ecrRegistry,
  });
  const credentials = options.credentials ?? { [SIMULATOR_CREDENTIALS.accessKeyId]: SIMULATOR_CREDENTIALS.secretAccessKey };
  for (const [accessKeyId, secret] of Object.entries(credentials)) state.credentials.set(accessKeyId, secret);
  const advance = (now: number) => advanceEcs(state, now);
  const server = createAwsServer({ state, handlers: { ecs: ecsHandlers, ecr: ecrHandlers, logs: logsHandlers, ssm: ssmHandlers, secretsmanager: secretsManagerHandlers, cloudwatch: cloudwatchHandlers, events: eventBridgeHandlers, scheduler: schedulerHandlers }, advance });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const ticker = new Ticker(state.timing.tickMs, advance);
  ticker.start();
  return new LocalSimulator(state, server, ticker, `http://127.0.0.1:${port}`);
}
