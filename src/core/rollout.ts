import type { ECSClient } from '@aws-sdk/client-ecs';
import { awsAnswered, awsSaid } from '../aws/failed-call';
import { DeployError } from './errors';
import { inputName, stated } from '../inputs/spelling';
import type { Target } from './preflight';
import type { RunRecord } from './record';
import type { Reporter } from './reporter';
import type { ServiceWatcher, Settled } from './service-watcher';
import { explainFailedTasks } from './stopped-tasks';

export interface RolloutRequest {
  taskDefinitionArn: string;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  maxTaskFailures: number;
  rollback: boolean;
  /** Bound on the waits for someone else's deployment and for a rollback to settle. */
  settleTimeoutMs: number;
}

export interface RolloutDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: RunRecord;
  /** The run's one watcher of the service (it knows which events were printed already). */
  watcher: ServiceWatcher;
  signal?: AbortSignal;
}

/** Points the service at the new revision and follows the deployment that update created. */
export async function rollOut(target: Target, request: RolloutRequest, deps: RolloutDeps): Promise<void> {
  const { watcher } = deps;
  const service = await watcher.waitForOthers(request.settleTimeoutMs, 'update');
  const previous = service.taskDefinition!;
  if (previous === request.taskDefinitionArn && !request.forceNewDeployment) {
    deps.reporter.info(`The service already runs ${previous}: nothing to update (${inputName('force-new-deployment')} restarts its tasks).`);
    deps.record.rollout = { state: 'UNCHANGED' };
    return;
  }
  deps.signal?.throwIfAborted();
  const started = Date.now();
  const deploymentId = await watcher.update(request.taskDefinitionArn, request.forceNewDeployment);
  const rollout: NonNullable<RunRecord['rollout']> = (deps.record.rollout = { deploymentId, state: request.wait ? 'IN_PROGRESS' : 'STARTED' });
  if (!request.wait) return;

  const since = new Date(started - 1000);
  let verdict: Settled;
  let lostTrack: string | undefined;
  try {
    verdict = await watcher.follow(deploymentId, request.timeoutMs, { maxTaskFailures: request.maxTaskFailures, since, previousTaskDefinition: previous });
  } catch (error) {
    // A deployment ecs-ship can no longer follow is not known to be good: it is treated as failed.
    if (watcher.cancelled) throw error;
    lostTrack = `ecs-ship could not follow deployment ${deploymentId} (${awsSaid(error)})`;
  }
  rollout.durationMs = Date.now() - started;
  if (verdict?.ok) {
    rollout.state = 'COMPLETED';
    deps.reporter.info(`Deployment ${deploymentId} completed in ${Math.round(rollout.durationMs / 1000)} s`);
    return;
  }
  const superseded = verdict?.supersededBy;
  if (superseded) {
    rollout.state = 'SUPERSEDED';
    rollout.supersededBy = { deploymentId: superseded.id!, taskDefinition: superseded.taskDefinition! };
    throw new DeployError(`Rollout failed: ${verdict!.reason}. The service is left on ${superseded.taskDefinition}: rolling back would undo that newer deployment.`);
  }
  rollout.state = 'FAILED';
  const reason = lostTrack ?? (verdict ? verdict.reason : `deployment ${deploymentId} did not complete within ${request.timeoutMs / 60_000} minutes`);
  await explainFailedTasks(deps.ecs, target, deploymentId, deps.reporter);

  const breaker = verdict?.circuitBreakerRollback;
  if (breaker) {
    deps.reporter.warn(`Rollout failed: ${reason}. ECS's circuit breaker is rolling back to ${breaker.taskDefinition}; not rolling back again.`);
    rollout.rolledBackTo = breaker.taskDefinition;
    rollout.rollback = { deploymentId: breaker.id!, taskDefinition: breaker.taskDefinition!, by: 'circuit breaker', settled: false };
    const settled = await settle(watcher, breaker.id!, request.settleTimeoutMs, since);
    rollout.rollback.settled = true;
    throw new DeployError(`Rollout failed: ${reason}. ECS's circuit breaker rolled the service back to ${breaker.taskDefinition} (${settled}).`);
  }
  if (!request.rollback) {
    throw new DeployError(`Rollout failed: ${reason}. ${stated('rollback', false)}, so the service was left on ${request.taskDefinitionArn}.`);
  }
  deps.reporter.warn(`Rollout failed: ${reason}. Rolling back to ${previous}.`);
  const rollbackId = await watcher.update(previous, false).catch((error: unknown) => {
    const where = awsAnswered(error) ? `the service is on ${request.taskDefinitionArn}` : `the service is on ${request.taskDefinitionArn} or, if ECS took the rollback all the same, on ${previous}`;
    throw new DeployError(`Rollout failed: ${reason}. Rolling back to ${previous} failed too (${awsSaid(error)}): ${where}.`);
  });
  rollout.rolledBackTo = previous;
  rollout.rollback = { deploymentId: rollbackId, taskDefinition: previous, by: 'ecs-ship', settled: false };
  const settled = await settle(watcher, rollbackId, request.settleTimeoutMs, new Date());
  rollout.rollback.settled = true;
  throw new DeployError(`Rollout failed: ${reason}. Rolled the service back to ${previous} (${settled}).`);
}

/** Follows a rollback (bounded) and says how it ended; a rollback that cannot be followed is said to be so. */
function settle(watcher: ServiceWatcher, deploymentId: string, timeoutMs: number, since: Date): Promise<string> {
  return watcher.follow(deploymentId, timeoutMs, { maxTaskFailures: Infinity, since }).then(settledText, (error: Error) => {
    if (watcher.cancelled) throw error;
    return `its progress could not be read: ${awsSaid(error)}`;
  });
}

function settledText(verdict: Settled): string {
  if (!verdict) return 'the rollback had not finished when ecs-ship stopped waiting';
  return verdict.ok ? 'the rollback completed and the service is stable' : `the rollback did not settle: ${verdict.reason}`;
}
