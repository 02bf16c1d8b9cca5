import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { awsAnswered, awsSaid } from '../aws/failed-call';
import { stopWithRollback } from '../aws/service-deployments';
import { stated } from '../inputs/spelling';
import { sendChange } from './changes';
import { DeployError } from './errors';
import type { RunRecord } from './record';
import type { RolloutDeps, RolloutRequest } from './rollout';
import { rollbackCause } from './service-deployment-status';
import type { FailedVerdict, ServiceWatcher, Settled, Started } from './service-watcher';

export interface Failure {
  reason: string;
  /** The revision the service ran before this deploy. */
  previous: string;
  deployment: Started;
  verdict?: FailedVerdict;
  /** ECS considers the deployment over (successful, or stopped): it can no longer be stopped with a rollback. */
  ended: boolean;
}

type Rollback = NonNullable<NonNullable<RunRecord['rollout']>['rollback']>;

/**
 * After a failed rollout: says how ECS already rolls back, or rolls back itself — by stopping the deployment
 * with a rollback (ECS restores the whole previous service revision), or by an UpdateService to the previous
 * task definition where that cannot be done — and throws the failure with where the service is now.
 */
export async function rollBack(failure: Failure, request: RolloutRequest, deps: RolloutDeps): Promise<never> {
  const { verdict } = failure;
  if (verdict?.ecsRollingBack && verdict.record) return followEcsRollback(failure, verdict.record, request, deps);
  if (verdict?.circuitBreakerRollback) return followBreakerRollback(failure, request, deps);
  if (!request.rollback) {
    throw new DeployError(`Rollout failed: ${failure.reason}. ${stated('rollback', false)}, so the service was left on ${request.taskDefinitionArn}.`);
  }
  if (failure.deployment.recordArn && deps.watcher.readsRecords && !failure.ended) {
    const stopped = await stopDeployment(failure, deps);
    if (stopped) return followStoppedRollback(failure, request, deps);
  }
  return updateBack(failure, request, deps);
}

async function followEcsRollback(failure: Failure, record: ServiceDeployment, request: RolloutRequest, deps: RolloutDeps): Promise<never> {
  const cause = rollbackCause(record);
  deps.reporter.warn(`Rollout failed: ${failure.reason}. ECS is rolling the service back (started by ${cause}); not rolling back again.`);
  const rollback = noteRollback(deps.record, { deploymentId: failure.deployment.id, taskDefinition: failure.previous, by: 'ECS', cause, settled: false });
  const ended = record.status === 'ROLLBACK_SUCCESSFUL' || record.status === 'ROLLBACK_FAILED' ? record : await settleRecord(deps.watcher, failure.deployment, request.settleTimeoutMs);
  const where = await serviceNow(deps, ended ?? record, rollback);
  throw new DeployError(`Rollout failed: ${failure.reason}. ECS, started by ${cause}, ${rollbackOutcome(ended, where)}${migrationNote(deps.record, where.taskDefinition)}`);
}

async function followBreakerRollback(failure: Failure, request: RolloutRequest, deps: RolloutDeps): Promise<never> {
  const breaker = failure.verdict!.circuitBreakerRollback!;
  deps.reporter.warn(`Rollout failed: ${failure.reason}. ECS's circuit breaker is rolling back to ${breaker.taskDefinition}; not rolling back again.`);
  const rollback = noteRollback(deps.record, { deploymentId: breaker.id!, taskDefinition: breaker.taskDefinition!, by: 'circuit breaker', settled: false });
  const settled = await settle(deps.watcher, { id: breaker.id! }, request.settleTimeoutMs, failure.verdict?.record ? new Date(0) : new Date(Date.now() - 1000));
  rollback.settled = true;
  throw new DeployError(`Rollout failed: ${failure.reason}. ECS's circuit breaker rolled the service back to ${breaker.taskDefinition} (${settled}).${migrationNote(deps.record, breaker.taskDefinition!)}`);
}

/** StopServiceDeployment with a rollback; false (and said why) when ECS refused it, so that an UpdateService rolls back instead. */
async function stopDeployment(failure: Failure, deps: RolloutDeps): Promise<boolean> {
  const arn = failure.deployment.recordArn!;
  deps.reporter.warn(`Rollout failed: ${failure.reason}. Stopping deployment ${failure.deployment.id} with a rollback: ECS restores the service revision it ran before.`);
  const call = {
    action: 'StopServiceDeployment' as const,
    inFlight: `StopServiceDeployment of ${arn} was sent and not answered yet, so ECS may be rolling the service back`,
    noAnswer: `ECS did not say whether it stopped deployment ${failure.deployment.id}; it may be rolling the service back`,
  };
  try {
    await sendChange(deps.record, call, () => stopWithRollback(deps.ecs, arn));
    return true;
  } catch (error) {
    if (!awsAnswered(error)) throw new DeployError(`Rollout failed: ${failure.reason}. Stopping it failed too (${awsSaid(error)}): the service is on ${failure.previous} or on the new revision.`);
    deps.reporter.warn(`ECS refused to stop deployment ${failure.deployment.id} (${awsSaid(error)}); rolling back with UpdateService to ${failure.previous} instead.`);
    return false;
  }
}

async function followStoppedRollback(failure: Failure, request: RolloutRequest, deps: RolloutDeps): Promise<never> {
  const rollback = noteRollback(deps.record, { deploymentId: failure.deployment.id, taskDefinition: failure.previous, by: 'ecs-ship', settled: false, how: 'StopServiceDeployment' });
  const ended = await settleRecord(deps.watcher, failure.deployment, request.settleTimeoutMs);
  const where = await serviceNow(deps, ended, rollback);
  throw new DeployError(`Rollout failed: ${failure.reason}. ecs-ship stopped it with a rollback, and ECS ${rollbackOutcome(ended, where)}${migrationNote(deps.record, where.taskDefinition)}`);
}

async function updateBack(failure: Failure, request: RolloutRequest, deps: RolloutDeps): Promise<never> {
  const { previous, reason } = failure;
  deps.reporter.warn(`Rollout failed: ${reason}. Rolling back to ${previous}.`);
  const back = await deps.watcher.update(previous, false).catch((error: unknown) => {
    const where = awsAnswered(error) ? `the service is on ${request.taskDefinitionArn}` : `the service is on ${request.taskDefinitionArn} or, if ECS took the rollback all the same, on ${previous}`;
    throw new DeployError(`Rollout failed: ${reason}. Rolling back to ${previous} failed too (${awsSaid(error)}): ${where}.`);
  });
  const rollback = noteRollback(deps.record, { deploymentId: back.id, taskDefinition: previous, by: 'ecs-ship', settled: false, how: 'UpdateService' });
  const settled = await settle(deps.watcher, back, request.settleTimeoutMs, new Date());
  rollback.settled = true;
  throw new DeployError(`Rollout failed: ${reason}. Rolled the service back to ${previous} (${settled}).${migrationNote(deps.record, previous)}`);
}

function noteRollback(record: RunRecord, rollback: Rollback): Rollback {
  record.rollout!.rolledBackTo = rollback.taskDefinition;
  record.rollout!.rollback = rollback;
  return rollback;
}

/** Follows ECS's record of a rollback to its end (bounded); undefined when it did not end in time or could not be read. */
async function settleRecord(watcher: ServiceWatcher, deployment: Started, timeoutMs: number): Promise<ServiceDeployment | undefined> {
  try {
    return await watcher.followRollback(deployment, timeoutMs);
  } catch (error) {
    if (watcher.cancelled) throw error;
    return undefined;
  }
}

interface ServiceNow {
  taskDefinition: string;
  revision?: string;
}

/** Where the service is once a rollback ECS did has ended (or stopped being followed), from one DescribeServices. */
async function serviceNow(deps: RolloutDeps, record: ServiceDeployment | undefined, rollback: Rollback): Promise<ServiceNow> {
  rollback.settled = record?.status === 'ROLLBACK_SUCCESSFUL' || record?.status === 'ROLLBACK_FAILED';
  const service = await deps.watcher.describe().catch(() => undefined);
  const taskDefinition = service?.taskDefinition ?? rollback.taskDefinition;
  rollback.taskDefinition = taskDefinition;
  deps.record.rollout!.rolledBackTo = taskDefinition;
  const revision = record?.rollback?.serviceRevisionArn ?? service?.currentServiceRevisions?.[0]?.arn;
  if (revision) rollback.serviceRevisionArn = revision;
  return { taskDefinition, revision };
}

function rollbackOutcome(record: ServiceDeployment | undefined, where: ServiceNow): string {
  const revision = where.revision ? ` (service revision ${where.revision})` : '';
  if (record?.status === 'ROLLBACK_SUCCESSFUL') return `rolled the service back to ${where.taskDefinition}${revision}: the rollback completed and the service is stable.`;
  if (record?.status === 'ROLLBACK_FAILED') return `could not roll the service back (ROLLBACK_FAILED${record.statusReason ? `: ${record.statusReason}` : ''}); it runs ${where.taskDefinition} now.`;
  return `is rolling the service back to ${where.taskDefinition}${revision}; the rollback had not finished when ecs-ship stopped waiting.`;
}

/** A rollback after this deploy migrated the schema puts the previous revision on the new schema: teams must see that. */
function migrationNote(record: RunRecord, taskDefinition: string): string {
  if (record.migration?.result !== 'succeeded') return '';
  record.rollout!.rolledBackAfterMigration = true;
  return ` The migration of this deploy ran and is not undone: ${taskDefinition} now runs against the migrated schema.`;
}

/** Follows a rollback deployment (bounded) and says how it ended; a rollback that cannot be followed is said to be so. */
function settle(watcher: ServiceWatcher, deployment: Started, timeoutMs: number, since: Date): Promise<string> {
  return watcher.follow(deployment, timeoutMs, { maxTaskFailures: Infinity, since }).then(settledText, (error: Error) => {
    if (watcher.cancelled) throw error;
    return `its progress could not be read: ${awsSaid(error)}`;
  });
}

function settledText(verdict: Settled): string {
  if (!verdict) return 'the rollback had not finished when ecs-ship stopped waiting';
  return verdict.ok ? 'the rollback completed and the service is stable' : `the rollback did not settle: ${verdict.reason}`;
}
