import type { AlarmRecord } from './cloudwatch';
import type { RuleRecord } from './eventbridge';
import type { RoleRecord } from './iam';
import { DEFAULT_GROUP, type ScheduleRecord } from './scheduler';
import type { Placement } from './ecs/placement';
import type { EcrRegistryConfig, RecordedCall, RecordedTransition, Scenario, TaskScript, Timing } from './types';

export interface SimConfig {
  region: string;
  accountId: string;
  timing: Timing;
  ecrRegistry?: EcrRegistryConfig;
}

/** An SSM parameter; `value` is stored but only GetParameters answers it. */
export interface ParameterRecord {
  name: string;
  arn: string;
  type: string;
  value: string;
  version: number;
  lastModifiedAt: number;
  dataType: string;
  /** Every version, oldest first, with the labels attached to it (LabelParameterVersion). */
  history: ParameterVersionRecord[];
}

export interface ParameterVersionRecord {
  version: number;
  value: string;
  lastModifiedAt: number;
  labels: string[];
}

export interface SecretRecord {
  name: string;
  /** `arn:…:secret:<name>-<6 random characters>`, as Secrets Manager names them. */
  arn: string;
  createdAt: number;
  versionId: string;
  description?: string;
  /** SecretString: never answered, only looked into for the JSON keys a task definition names. */
  value?: string;
}

export interface ClusterRecord {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  capacityProviders: string[];
  defaultCapacityProviderStrategy: any[];
  settings: any[];
  tags: any[];
}

/** A registered revision, stored in its DescribeTaskDefinition shape. */
export interface TaskDefinitionRecord {
  description: Record<string, any>;
  tags: any[];
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface ContainerRecord {
  name: string;
  image: string;
  essential: boolean;
  arn: string;
  runtimeId: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  /** The container definition's healthCheck, when it has one. */
  healthCheck?: { intervalMs: number; retries: number; startPeriodMs: number };
  healthStatus: HealthStatus;
  /** When the container's health check settles, and on what (scripted). */
  healthSettlesAt?: number;
  healthOutcome?: 'HEALTHY' | 'UNHEALTHY';
  stopTimeoutMs: number;
  /** While STOPPING: when the container exits, and with which code. */
  exitsAt?: number;
  pendingExitCode?: number;
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
  awslogs?: { group: string; stream: string };
}

/** Where and how a task was launched: what RunTask or the service scheduler asked for. */
export interface TaskLaunch {
  clusterName: string;
  taskDefinition: Record<string, any>;
  group: string;
  startedBy?: string;
  serviceName?: string;
  deploymentId?: string;
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  networkConfiguration?: any;
}

export interface TaskRecord extends TaskLaunch {
  id: string;
  arn: string;
  overrides: any;
  tags: any[];
  script: TaskScript;
  /** ms the task stays RUNNING before its essential container exits (Infinity: until stopped). */
  runMs: number;
  /** Span over which the script's log lines are spread once RUNNING. */
  logSpanMs: number;
  logLinesWritten: number;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  nextTransitionAt: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerRecord[];
  eni?: { id: string; privateIp: string; subnetId?: string };
  version: number;
  /** Set once the service scheduler has reacted to this task stopping. */
  stopAccounted: boolean;
  /** Why the task cannot start, once the world has been looked at (undefined while a registry lookup is under way). */
  startCheck: { done: boolean; failure?: StartFailure };
  /** Stopped by the service scheduler because an essential container failed its health check. */
  failedHealthCheck?: boolean;
  /** Once it has been healthy, as the circuit breaker's reset on a healthy task saw it. */
  countedHealthy?: boolean;
  /** Seeded RUNNING in a steady service: it has run for longer than any wait of the service scheduler. */
  seededSteady?: boolean;
}

export interface StartFailure {
  stoppedReason: string;
  /** The container the failure is about, and the reason it reports. */
  container?: string;
  containerReason?: string;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  placement: Placement;
  networkConfiguration?: any;
  serviceConnectConfiguration?: any;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Created by the circuit breaker; a failing rollback is not rolled back again. */
  isRollback: boolean;
  /** The service deployment this deployment belongs to, and the service revision it runs. */
  serviceDeploymentArn?: string;
  serviceRevisionArn?: string;
  /** Stopped with StopServiceDeployment ABORT: the scheduler neither starts nor stops its tasks any more. */
  halted?: boolean;
}

/** What a service deployment targets: the task definition, placement, network and load balancers at that time. */
export interface ServiceRevisionRecord {
  arn: string;
  serviceArn: string;
  clusterName: string;
  serviceName: string;
  taskDefinitionArn: string;
  placement: Placement;
  networkConfiguration?: any;
  loadBalancers: any[];
  createdAt: number;
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOP_REQUESTED'
  | 'STOPPED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'TRIGGERED' | 'MONITORING_COMPLETE';

export interface LifecycleHookRecord {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn?: string;
  stage: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  invocations: number;
  nextInvocationAt: number;
}

/** A revision's task counts, as a finished service deployment keeps them. */
export interface RevisionCounts {
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterName: string;
  serviceName: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  strategy: string;
  lifecycleStage?: string;
  /** When the current lifecycle stage (or status) was entered. */
  stageSince: number;
  createdAt: number;
  startedAt?: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  deploymentConfiguration: any;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms?: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  hooks: LifecycleHookRecord[];
  /** Traffic weights (percent) on the target revision; the sources share the rest. */
  productionWeight: number;
  testWeight: number;
  /** The stopType StopServiceDeployment asked for, until it is acted on. */
  stopRequest?: 'ROLLBACK' | 'ABORT';
  /** BLUE_GREEN, LINEAR, CANARY: the step under way, and when it was entered. */
  step?: { index: number; enteredAt: number };
  /** Counts frozen when the service deployment finished, by revision ARN. */
  finalCounts?: Record<string, RevisionCounts>;
}

export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

export interface ServiceRecord {
  name: string;
  arn: string;
  clusterName: string;
  status: string;
  desiredCount: number;
  taskDefinitionArn: string;
  placement: Placement;
  networkConfiguration?: any;
  /** ServiceConnectConfiguration; DescribeServices shows it on each deployment. */
  serviceConnectConfiguration?: any;
  deploymentConfiguration: any;
  deployments: DeploymentRecord[];
  events: ServiceEventRecord[];
  createdAt: number;
  reportsRolloutState: boolean;
  /** ECS (rolling updates), CODE_DEPLOY or EXTERNAL: only ECS services take a new task definition through UpdateService. */
  deploymentController: string;
  lastCompleted?: { id: string; taskDefinitionArn: string; serviceRevisionArn?: string };
  steadySince?: number;
  steadyAnnounced: boolean;
  extra: Record<string, any>;
}

export interface ImageRecord {
  digest: string;
  tags: string[];
  pushedAt: number;
  sizeInBytes: number;
  manifest: string;
  manifestMediaType: string;
}

export interface RepositoryRecord {
  name: string;
  arn: string;
  createdAt: number;
  images: ImageRecord[];
  extra: Record<string, any>;
  /** With a real registry behind the simulator: when each digest was first seen, its push time as ECR reports it. */
  firstSeen?: Map<string, number>;
}

export interface LogEventRecord {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface LogStreamRecord {
  name: string;
  createdAt: number;
  events: LogEventRecord[];
}

export interface LogGroupRecord {
  name: string;
  createdAt: number;
  streams: Map<string, LogStreamRecord>;
}

export class SimState {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord[]>();
  readonly tasks = new Map<string, TaskRecord>();
  /** Keyed by `${clusterName}/${serviceName}`. */
  readonly services = new Map<string, ServiceRecord>();
  readonly serviceRevisions = new Map<string, ServiceRevisionRecord>();
  /** In creation order. */
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  /** Deployment ID → the service revision it runs (kept after the deployment leaves DescribeServices). */
  readonly revisionOfDeployment = new Map<string, string>();
  readonly repositories = new Map<string, RepositoryRecord>();
  readonly logGroups = new Map<string, LogGroupRecord>();
  readonly parameters = new Map<string, ParameterRecord>();
  /** Keyed by secret name. */
  readonly secrets = new Map<string, SecretRecord>();
  /** CloudWatch metric alarms, keyed by name. */
  readonly alarms = new Map<string, AlarmRecord>();
  /** IAM roles, keyed by role name. */
  readonly roles = new Map<string, RoleRecord>();
  /** EventBridge rules, keyed by `${eventBusName}/${name}`. */
  readonly rules = new Map<string, RuleRecord>();
  /** EventBridge Scheduler schedule groups (the default one always exists) and schedules, keyed by `${group}/${name}`. */
  readonly scheduleGroups = new Set<string>([DEFAULT_GROUP]);
  readonly schedules = new Map<string, ScheduleRecord>();
  /** Access key ID → secret access key: the keys whose signatures are accepted. */
  readonly credentials = new Map<string, string>();
  /** Access keys whose session has expired (a signature with them is still checked first). */
  readonly expiredKeys = new Set<string>();
  readonly calls: RecordedCall[] = [];
  readonly transitions: RecordedTransition[] = [];
  /** Calls answered by injected faults rather than by the simulated service. */
  readonly faultedCalls = new WeakSet<RecordedCall>();
  /** Faults injected in a row, per action, for Scenario.maxFaultsInARow. */
  readonly faultStreaks = new Map<string, number>();
  scenario: Scenario = {};
  private seeded?: { seed: number; roll: () => number };

  constructor(readonly config: SimConfig) {}

  /** Math.random, or a generator seeded by scenario.faultSeed (started afresh when the seed changes). */
  faultRoll(): () => number {
    const seed = this.scenario.faultSeed;
    if (seed === undefined) return Math.random;
    if (this.seeded?.seed !== seed) this.seeded = { seed, roll: mulberry32(seed) };
    return this.seeded.roll;
  }

  get timing(): Timing {
    return this.config.timing;
  }

  ecsArn(resource: string): string {
    return `arn:aws:ecs:${this.config.region}:${this.config.accountId}:${resource}`;
  }

  clusterArn(name: string): string {
    return this.ecsArn(`cluster/${name}`);
  }

  serviceDeploymentsOf(clusterName: string, serviceName: string): ServiceDeploymentRecord[] {
    return [...this.serviceDeployments.values()].filter((sd) => sd.clusterName === clusterName && sd.serviceName === serviceName);
  }

  serviceArn(clusterName: string, name: string): string {
    return this.ecsArn(`service/${clusterName}/${name}`);
  }

  tasksOfCluster(clusterName: string): TaskRecord[] {
    return [...this.tasks.values()].filter((task) => task.clusterName === clusterName);
  }

  servicesOfCluster(clusterName: string): ServiceRecord[] {
    return [...this.services.values()].filter((service) => service.clusterName === clusterName);
  }
}

/** A small, fast seeded generator of numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
