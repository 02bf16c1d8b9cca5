/**
 * How long the simulated world takes. The task states last the `…Ms` spans; what ECS counts in seconds
 * (a container's stopTimeout, its healthCheck interval and startPeriod, a service's
 * healthCheckGracePeriodSeconds, the 40 s before a task without health checks counts as healthy) lasts that
 * many `secondMs`.
 */
export interface Timing {
  provisioningMs: number;
  /** PENDING: the image pull and the execution resources (secrets, log stream). */
  pendingMs: number;
  /** ACTIVATING: network and service-discovery attachments before RUNNING. */
  activatingMs: number;
  /** DEACTIVATING: load-balancer deregistration before the containers are signalled. */
  deactivatingMs: number;
  deprovisioningMs: number;
  /** How long a service's new tasks must stay running and healthy before its deployment is COMPLETED. */
  stabilizeMs: number;
  /** How long a one-off task runs when its script says nothing. */
  defaultTaskRunMs: number;
  /** One of ECS's seconds (a minute of bake time is 60 of them). */
  secondMs: number;
  /**
   * The least time a lifecycle stage of a BLUE_GREEN, LINEAR or CANARY deployment lasts (each step of a
   * production traffic shift included), so that a caller reading the record at its own pace sees every
   * stage; on ECS the stages take seconds to minutes.
   */
  stageMs: number;
  tickMs: number;
}

/** Fast, for tests: every state is visible, and a task that crashes after starting does so before a deployment completes. */
export const DEFAULT_TIMING: Timing = {
  provisioningMs: 60,
  pendingMs: 60,
  activatingMs: 30,
  deactivatingMs: 30,
  deprovisioningMs: 60,
  stabilizeMs: 600,
  defaultTaskRunMs: 200,
  secondMs: 2,
  stageMs: 50,
  tickMs: 20,
};

/** ECS's minutes as seconds (1/60 of real time): for the demo and the benchmarks. */
export const REALISTIC_TIMING: Timing = {
  provisioningMs: 330,
  pendingMs: 500,
  activatingMs: 170,
  deactivatingMs: 330,
  deprovisioningMs: 330,
  stabilizeMs: 2_000,
  defaultTaskRunMs: 1_000,
  secondMs: 1000 / 60,
  stageMs: 1_000,
  tickMs: 20,
};

export const TIMING_PROFILES = { fast: DEFAULT_TIMING, realistic: REALISTIC_TIMING } as const;

export interface EcrRegistryConfig {
  proxyEndpoint: string;
  username: string;
  password: string;
}

export interface SimulatorOptions {
  port?: number;
  region?: string;
  accountId?: string;
  timing?: Partial<Timing>;
  ecrRegistry?: EcrRegistryConfig;
  /** Access keys whose signatures are accepted (access key ID → secret); default SIMULATOR_CREDENTIALS. */
  credentials?: Record<string, string>;
}

/** The access key a simulator accepts when it is given none. */
export const SIMULATOR_CREDENTIALS = { accessKeyId: 'AKIASIMULATOR0000001', secretAccessKey: 'ecs-ship-simulator-secret-access-key' };

export type HealthOutcome = 'HEALTHY' | 'UNHEALTHY';

export interface TaskScript {
  /** The task never reaches RUNNING: it stops with stopCode TaskFailedToStart and this stoppedReason. */
  failToStart?: string;
  /** How long the task stays PENDING (default timing.pendingMs; Infinity: until stopped, like a task that never gets healthy). */
  pendingMs?: number;
  /** How long the task is RUNNING before its essential container exits. */
  runMs?: number;
  /** Exit code of the essential containers; null reports no exitCode at all. */
  exitCode?: number | null;
  /** Exit codes of named containers (sidecars included), overriding exitCode for them. */
  containerExitCodes?: Record<string, number | null>;
  containerReason?: string;
  stoppedReason?: string;
  logLines?: string[];
  /** What the health checks of containers that have one find (default HEALTHY); per container name overrides it. */
  health?: HealthOutcome;
  containerHealth?: Record<string, HealthOutcome>;
  /** ms after SIGTERM that the containers exit by themselves (143); without it they are killed after stopTimeout (137). */
  exitsOnSigtermMs?: number;
}

export interface TaskScriptContext {
  startedBy: 'service' | 'runTask';
  taskDefinition: any;
  overrides?: any;
  serviceName?: string;
}

export type HookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

export interface HookContext {
  stage: string;
  hookTargetArn?: string;
  serviceName: string;
  /** 1 for the first invocation at this stage. */
  invocation: number;
}

export interface Scenario {
  task?: (ctx: TaskScriptContext) => TaskScript;
  runTaskFailures?: Array<{ arn?: string; reason: string; detail?: string }>;
  throttleRate?: number;
  serverErrorRate?: number;
  dropRate?: number;
  latencyMs?: number;
  faultActions?: string[];
  /** At most this many injected faults in a row for one action; its next call is answered (a flaky API, not an outage). */
  maxFaultsInARow?: number;
  /** Actions the caller's IAM policy does not allow: answered 400 AccessDeniedException, as IAM does. */
  deniedActions?: string[];
  /** Actions the endpoint does not know (an older region or partition): answered 400 UnknownOperationException. */
  unsupportedActions?: string[];
  /**
   * Actions the endpoint fails every time with 500 and a body that is not JSON (an HTML error page), as
   * ECS emulators teams test pipelines with do (moto 5.2.1 for ListServiceDeployments).
   */
  brokenActions?: string[];
  /**
   * What an AWS_LAMBDA lifecycle hook's function answers at each invocation (default SUCCEEDED; there is no
   * Lambda here). IN_PROGRESS invokes it again 30 ECS seconds later.
   */
  hook?: (ctx: HookContext) => HookStatus;
  /** Seeds the fault rolls: the same calls in the same order get the same faults (tests that must see a fault). */
  faultSeed?: number;
}

export type AwsServiceName = 'ecs' | 'ecr' | 'logs' | 'ssm' | 'secretsmanager' | 'events' | 'scheduler' | 'sts' | 'iam' | 'cloudwatch';

/** A moment a caller waits for, stamped when it became visible through the API (for latency measurements). */
export interface RecordedTransition {
  kind: 'task-stopped' | 'task-failed' | 'deployment-completed' | 'deployment-failed';
  /** Task ARN, or deployment ID. */
  id: string;
  time: number;
  /** task-failed: the deployment's failedTasks after this failure. */
  failedTasks?: number;
}

export interface RecordedCall {
  service: AwsServiceName;
  /** The access key the request was signed with (from its Authorization header). */
  accessKeyId?: string;
  action: string;
  input: any;
  time: number;
  error?: string;
}

export interface ServiceSeed {
  cluster: string;
  name: string;
  taskDefinition: string;
  desiredCount?: number;
  launchType?: string;
  capacityProviderStrategy?: any[];
  platformVersion?: string;
  networkConfiguration?: any;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** ECS's deploymentConfiguration (strategy, bakeTimeInMinutes, lifecycleHooks, alarms, …); circuitBreaker is merged into it. */
  deploymentConfiguration?: any;
  /** Default true; false makes every deployment of this service omit rolloutState and rolloutStateReason. */
  rolloutState?: boolean;
  status?: string;
  /** Default ECS. */
  deploymentController?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  /**
   * What controls the service's traffic (CreateService's shapes). The seed does not check that a LINEAR or
   * CANARY service has one, as CreateService and UpdateService do: it can build the world ecs-ship must
   * recognise as one no update can deploy to.
   */
  loadBalancers?: any[];
  serviceConnectConfiguration?: any;
}

export interface Simulator {
  url: string;
  region: string;
  accountId: string;
  close(): Promise<void>;
  calls: RecordedCall[];
  transitions: RecordedTransition[];
  mutatingCalls(): string[];
  addCluster(name: string): string;
  addTaskDefinition(def: Record<string, any>): string;
  addService(spec: ServiceSeed): string;
  addRepository(name: string): string;
  /** An image in the simulator's own ECR (pushedAt: when ECR says it was pushed; default now). */
  addImage(repository: string, tag: string, digest: string, pushedAt?: number): void;
  /** The images of a repository of the simulator's own ECR, as it holds them. */
  images(repository: string): Array<{ digest: string; tags: string[]; pushedAt: number }>;
  /** Accepts signatures made with this access key from now on. */
  addCredentials(accessKeyId: string, secretAccessKey: string): void;
  /** The session of this key has ended: every call signed with it is answered ExpiredTokenException. */
  expireCredentials(accessKeyId: string): void;
  addLogGroup(name: string): void;
  /** An SSM parameter (a new version when it exists); default type SecureString. */
  addParameter(name: string, value: string, type?: 'String' | 'SecureString'): void;
  /** An IAM role that `trustService` (default ecs-tasks.amazonaws.com) may assume; null: it trusts no service. */
  addRole(name: string, trustService?: string | null): string;
  /** A CloudWatch metric alarm in `state` (created if absent). */
  addAlarm(name: string, state?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): string;
  setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void;
  /** An EventBridge rule on the default bus with these targets (PutRule and PutTargets input shapes); its ARN. */
  addRule(rule: Record<string, any>, targets?: any[]): string;
  /** An EventBridge Scheduler schedule (CreateSchedule's input); its ARN. */
  addSchedule(schedule: Record<string, any>): string;
  addScheduleGroup(name: string): void;
  /** A rule's targets as ListTargetsByRule answers them; undefined when there is no such rule. */
  ruleTargets(rule: string): any[] | undefined;
  /** A schedule as GetSchedule answers it (timestamps as epoch seconds); undefined when there is none. */
  schedule(name: string, group?: string): any;
  service(cluster: string, name: string): any;
  taskDefinitions(family: string): any[];
  tasks(cluster: string): any[];
  scenario: Scenario;
}
