export interface Timing {
  provisioningMs: number;
  pendingMs: number;
  deprovisioningMs: number;
  stabilizeMs: number;
  defaultTaskRunMs: number;
  tickMs: number;
}

export const DEFAULT_TIMING: Timing = {
  provisioningMs: 60,
  pendingMs: 60,
  deprovisioningMs: 60,
  stabilizeMs: 150,
  defaultTaskRunMs: 200,
  tickMs: 20,
};

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
}

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
}

export interface TaskScriptContext {
  startedBy: 'service' | 'runTask';
  taskDefinition: any;
  overrides?: any;
  serviceName?: string;
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
  /** Seeds the fault rolls: the same calls in the same order get the same faults (tests that must see a fault). */
  faultSeed?: number;
}

export type AwsServiceName = 'ecs' | 'ecr' | 'logs' | 'sts';

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
  /** Default true; false makes every deployment of this service omit rolloutState and rolloutStateReason. */
  rolloutState?: boolean;
  status?: string;
  /** Default ECS. */
  deploymentController?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
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
  addImage(repository: string, tag: string, digest: string): void;
  service(cluster: string, name: string): any;
  taskDefinitions(family: string): any[];
  tasks(cluster: string): any[];
  scenario: Scenario;
}
