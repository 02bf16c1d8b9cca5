import type { PlannedChange } from '../plan/planned-change';

/** The ledger of a run: what it changed and what is in flight, filled in as it goes, so a failed or cancelled run still reports its facts. */
export interface Ledger {
  cluster: string;
  service: string;
  region: string;
  /** The endpoint the run's AWS calls went to instead of AWS's own (AWS_ENDPOINT_URL[_ECS]): a local stand-in, whose resources the AWS console does not show. */
  endpoint?: string;
  /** returned: the run returned before the deployment's end (wait-until), which goes on. */
  outcome: 'running' | 'deployed' | 'returned' | 'failed' | 'cancelled' | 'planned';
  /** The verb that ran, when it is not deploy: its account speaks of continuing, rolling back or the status. */
  verb?: 'continue' | 'rollback' | 'status' | 'run' | 'build';
  /** continue, rollback: what the verb did to the service, in a sentence. */
  steered?: string;
  /** status: what the service runs now and what it is doing, as read. */
  status?: ServiceStatus;
  /** run, build: the ✔ line of a run that succeeded (the task that exited 0, the images built). */
  doneLine?: string;
  /** build: each image built or reused, by its name (a config file's images key, or the service's name). */
  builtImages?: Array<{ name: string; reference: string; tagged: string; digest?: string; built: boolean }>;
  message?: string;
  image?: string;
  imageDigest?: string;
  imageBuilt?: boolean;
  /** The containers of the registered revision that run `image`. */
  imageContainers?: string[];
  previousTaskDefinitionArn?: string;
  taskDefinitionArn?: string;
  registered?: boolean;
  /**
   * result 'stopped': the run was cancelled and ecs-ship stopped the task (stop-migration-on-cancel);
   * 'skipped': the service already ran the revision (a re-run), so no task was started.
   */
  migration?: OneOffRecord;
  /**
   * `ecs-ship run`: the one-off task (or tasks, with count) and how it ended; the revision it ran and the
   * image of its container in that revision (with an image given: the revision registered or reused for it).
   */
  task?: OneOffRecord & { container: string; command: string[]; taskDefinitionArn: string; image?: string };
  /** After a failed rollout: the new deployment's stopped tasks, why ECS stopped them, and their containers' last log lines. */
  stoppedTasks?: StoppedTask[];
  rollout?: {
    deploymentId?: string;
    /** ECS's record of the deployment (named by UpdateService's answer, else ListServiceDeployments; read with DescribeServiceDeployments), where the role can read it. */
    serviceDeploymentArn?: string;
    /** The record's status as last read: SUCCESSFUL, ROLLBACK_SUCCESSFUL, STOPPED… */
    status?: string;
    /**
     * PAUSED, AT_STAGE: the run returned early (wait-until) while ECS goes on with the deployment. STOPPED: it
     * had returned early, then ecs-ship stopped the deployment with a rollback (another service of the app failed).
     */
    state: 'IN_PROGRESS' | 'COMPLETED' | 'STARTED' | 'UNCHANGED' | 'FAILED' | 'SUPERSEDED' | 'PAUSED' | 'AT_STAGE' | 'STOPPED';
    /** ECS's lifecycle stage of the deployment when the run returned early. */
    lifecycleStage?: string;
    /** The PAUSE hook ECS waits on, when the run returned at a pause. */
    hookId?: string;
    /** What the deployment still does after the run returned early. */
    stillToHappen?: string;
    durationMs?: number;
    rolledBackTo?: string;
    /** The newer deployment someone else's UpdateService started while ours rolled out. */
    supersededBy?: { deploymentId: string; taskDefinition: string };
    /**
     * The rollback after a failed rollout: by ecs-ship (StopServiceDeployment with a rollback, or an UpdateService to the previous revision),
     * or by ECS (its circuit breaker, alarms or lifecycle hooks); settled once it ended as far as ecs-ship waited.
     */
    rollback?: {
      deploymentId: string;
      taskDefinition: string;
      by: 'ecs-ship' | 'circuit breaker' | 'ECS';
      how?: 'StopServiceDeployment' | 'UpdateService';
      /** What started a rollback ECS did: its circuit breaker, alarms, a lifecycle hook. */
      cause?: string;
      serviceRevisionArn?: string;
      settled: boolean;
      /** ecs-ship's rollback did not hold: ECS rolled that deployment back too, and the service runs `runs`. */
      notHeld?: { runs: string };
    };
    /** The service went back to the previous revision after this deploy's migration ran. */
    rolledBackAfterMigration?: boolean;
  };
  /** keep-revisions: what the Revisions step deregistered, what it kept because in use, and what it could not deregister. */
  pruned?: {
    keep: number;
    deregistered: string[];
    keptInUse: Array<{ arn: string; why: string }>;
    failed: Array<{ arn: string; reason: string }>;
    /** Why nothing was looked at or deregistered (the in-use lookup failed, say). */
    skipped?: string;
  };
  /** keep-images (the run's record, not a service's): per repository, what was deleted, kept in use, or could not be deleted. */
  imagesPruned?: {
    keep: number;
    repositories: Array<{ repository: string; deleted: string[]; keptInUse: Array<{ digest: string; why: string }>; failed: Array<{ digest: string; reason: string }> }>;
    /** Why nothing was looked at or deleted (a lookup the role may not make, say). */
    skipped?: string;
  };
  /** The revision was given (task-definition-arn) and deployed as it is, not rendered. */
  taskDefinitionGiven?: boolean;
  /** redeploy: a new deployment of the revision the service ran. */
  redeployed?: boolean;
  /** The EventBridge rule targets and Scheduler schedules pointed at the registered revision (core/scheduled-tasks). */
  scheduledTasks?: MovedScheduledTask[];
  /** After a failed run that rolled the service out: what it runs as ECS had it when the run ended. */
  runsNow?: { taskDefinition: string; rollingOut: boolean };
  /** The changes the run's plan decided, in order (for the report file); before housekeeping's own lookups. */
  plan?: PlannedChange[];
  /** A dry run: the changes a real run would make, in order (the planned-changes output). */
  planned?: PlannedChange[];
  /** A whole app's run (config file): this record is the app's, and the services' records are in it. */
  app?: AppLedger;
  /** Calls that change something, from when they are sent until they are answered (see core/changes). */
  unanswered: UnansweredCall[];
}

/** A one-off task of the run (the migration, or `ecs-ship run`'s), filled in as it goes. */
export interface OneOffRecord {
  taskArn?: string;
  /** With a count above 1: every task started (taskArn is the first). */
  taskArns?: string[];
  /** The exit code of the task's container (the first failing task's, with a count). */
  exitCode?: number;
  durationMs?: number;
  result: 'running' | 'succeeded' | 'failed' | 'stopped' | 'skipped';
  /** The last lines of the container's log, as the run read them. */
  logTail?: string[];
}

export interface StoppedTask {
  taskArn: string;
  stopCode?: string;
  stoppedReason?: string;
  stoppedAt?: string;
  containers: Array<{ name: string; exitCode?: number; reason?: string; lastLogLines?: string[] }>;
}

export interface MovedScheduledTask {
  kind: 'rule' | 'schedule';
  /** The rule's name, or the schedule's `group/name`. */
  name: string;
  /** A rule's target Id. */
  targetId?: string;
  from: string;
  to: string;
  /** Pointed back at `from` when the service was rolled back after all. */
  restored?: boolean;
}

export interface UnansweredCall {
  action: 'RegisterTaskDefinition' | 'RunTask' | 'UpdateService' | 'StopTask' | 'StopServiceDeployment' | 'ContinueServiceDeployment';
  /** While it is in flight: "RunTask for the migration (…) was sent and not answered yet, so ECS may still start the migration task". */
  inFlight: string;
  /** When no answer ever came (a dropped connection, a timeout): what it may have done all the same. */
  noAnswer: string;
  /** A cancel waits for the answer (bounded) to undo what the call started: "waiting for it to stop the task it starts". */
  cancelWaits?: string;
  /** Set when the call failed without an answer. */
  lost?: boolean;
}

export function newLedger(cluster: string, service: string, region: string, env: NodeJS.ProcessEnv = {}): Ledger {
  const endpoint = env.AWS_ENDPOINT_URL_ECS || env.AWS_ENDPOINT_URL || undefined;
  return { cluster, service, region, ...(endpoint ? { endpoint } : {}), outcome: 'running', unanswered: [] };
}

/** What became of one service of the app in this run. stopped: ecs-ship rollback with abort stopped its deployment where it was. */
export type ServiceOutcome = 'planned' | 'deployed' | 'unchanged' | 'failed' | 'rolled back' | 'not started' | 'running' | 'paused' | 'in progress' | 'stopped';

/** A whole app's run: one Ledger per service, the images, and the phases as they ran (for the timeline). */
export interface AppLedger {
  file: string;
  environment?: string;
  services: Array<{ name: string; record: Ledger; outcome: ServiceOutcome; why?: string }>;
  images: Array<{ name: string; reference?: string; digest?: string; built?: boolean }>;
  phases: Array<{ title: string; startedAt: number; endedAt?: number; failed?: boolean }>;
}

/** What `ecs-ship status` read of one service. */
export interface ServiceStatus {
  taskDefinition: string;
  /** Each container's image, and the digest its running tasks report. */
  images: Array<{ container: string; image: string; digests: string[] }>;
  desired: number;
  running: number;
  pending: number;
  /** The deployment ECS is going through, when there is one. */
  inProgress?: { deploymentId: string; recordArn?: string; status: string; stage?: string; taskDefinition: string; traffic?: string; hookId?: string; hookStatus?: string };
  /** The newest deployment that failed or was rolled back or stopped, and why. */
  lastFailure?: { recordArn: string; status: string; reason: string; at?: string };
  /** The newest service events, newest first. */
  events: string[];
}
