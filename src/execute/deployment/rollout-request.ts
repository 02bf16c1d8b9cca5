import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Ledger } from '../ledger';
import type { Reporter } from '../../shared/reporter';
import type { ServiceWatcher } from './service-watcher';
import type { WaitUntil } from '../../inputs/wait-until';

// What a rollout is asked to do, and what it works with: shared by the rollout, its bake and its rollback.

export interface RolloutRequest {
  taskDefinitionArn: string;
  /** The plan's decision: false when the service runs the revision already and nothing forces a new deployment. */
  update: boolean;
  forceNewDeployment: boolean;
  wait: boolean;
  /** How far the deployment is followed: stable (its end), deployed (not at all), paused or a lifecycle stage. */
  waitUntil: WaitUntil;
  timeoutMs: number;
  maxTaskFailures: number;
  rollback: boolean;
  /** After success, how long to keep watching the new revision (0: not at all). */
  bakeMs: number;
  /** Bound on the waits for someone else's deployment and for a rollback to settle. */
  settleTimeoutMs: number;
}

export interface RolloutDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: Ledger;
  /** The run's one watcher of the service (it knows which events were printed already). */
  watcher: ServiceWatcher;
  cloudWatch: () => Promise<CloudWatchClient>;
  /** To keep the stopped tasks' last log lines after a failed rollout. */
  logs?: (logRegion?: string) => Promise<CloudWatchLogsClient>;
  signal?: AbortSignal;
}
