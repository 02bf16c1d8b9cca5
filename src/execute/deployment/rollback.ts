import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { awsAnswered, awsSaid } from '../../aws/failed-call';
import { stopWithRollback } from '../../aws/service-deployments';
import { inputName, stated } from '../../inputs/spelling';
import { sendChange } from '../changes';
import { DeployError } from '../../shared/errors';
import type { Ledger } from '../ledger';
import { startDeployment } from './start-deployment';
import type { RolloutDeps, RolloutRequest } from './rollout-request';
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

type Rollback = NonNullable<NonNullable<Ledger['rollout']>['rollback']>;

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
  throw new DeployError(`Rollout failed: ${failure.reason}. ECS's circuit breaker rolled the service back to ${breaker.taskDefinition} (${settledText(settled)}).${migrationNote(deps.record, breaker.taskDefinition!)}`);
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
  const back = await startDeployment(previous, false, deps).catch((error: unknown) => {
    const where = awsAnswered(error) ? `the service is on ${request.taskDefinitionArn}` : `the service is on ${request.taskDefinitionArn} or, if ECS took the rollback all the same, on ${previous}`;
    throw new DeployError(`Rollout failed: ${reason}. Rolling back to ${previous} failed too (${awsSaid(error)}): ${where}.`);
  });
  const rollback = noteRollback(deps.record, { deploymentId: back.id, taskDefinition: previous, by: 'ecs-ship', settled: false, how: 'UpdateService' });
  const verdict = await settle(deps.watcher, back, request.settleTimeoutMs, new Date());
  rollback.settled = true;
  // Where the service is, as ECS has it: ECS may have rolled the rollback deployment itself back (deployment alarms still firing).
  const runs = (await deps.watcher.describe().catch(() => undefined))?.taskDefinition;
  if (runs && runs !== previous) {
    const undoneBy = typeof verdict === 'object' && verdict?.record ? ` (started by ${rollbackCause(verdict.record)})` : '';
    noteNotHeld(deps.record, runs);
    throw new DeployError(
      `Rollout failed: ${reason}. ecs-ship rolled back to ${previous} with UpdateService, but ECS rolled that deployment back${undoneBy}: the service runs ${runs} now. ` +
        `Deploy ${previous} again (${inputName('task-definition-arn')}) once the cause has cleared.`,
    );
  }
  throw new DeployError(`Rollout failed: ${reason}. Rolled the service back to ${previous} (${settledText(verdict)}).${migrationNote(deps.record, previous)}`);
}

/** ecs-ship's rollback did not hold: the service is not on the revision it rolled back to. */
function noteNotHeld(record: Ledger, runs: string): void {
  const rollout = record.rollout!;
  rollout.rollback!.notHeld = { runs };
  rollout.rolledBackTo = undefined;
}

function noteRollback(record: Ledger, rollback: Rollback): Rollback {
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
  /** The revision rolled back to (once ended: the one the service runs). */
  taskDefinition: string;
  /** What DescribeServices names now. */
  runs?: string;
  revision?: string;
}

/**
 * Where the service is once a rollback ECS did has ended (or stopped being followed), from one
 * DescribeServices, and ECS's last word on the deployment. Until the rollback ends, the service may still
 * name the failed revision: the report then names the revision rolled back to, and what runs meanwhile.
 */
async function serviceNow(deps: RolloutDeps, record: ServiceDeployment | undefined, rollback: Rollback): Promise<ServiceNow> {
  rollback.settled = record?.status === 'ROLLBACK_SUCCESSFUL' || record?.status === 'ROLLBACK_FAILED';
  if (record?.status) deps.record.rollout!.status = record.status;
  const service = await deps.watcher.describe().catch(() => undefined);
  const runs = service?.taskDefinition;
  if (rollback.settled && runs) rollback.taskDefinition = runs;
  deps.record.rollout!.rolledBackTo = record?.status === 'ROLLBACK_FAILED' ? undefined : rollback.taskDefinition;
  const revision = record?.rollback?.serviceRevisionArn ?? (rollback.settled ? service?.currentServiceRevisions?.[0]?.arn : undefined);
  if (revision) rollback.serviceRevisionArn = revision;
  return { taskDefinition: rollback.taskDefinition, runs, revision };
}

function rollbackOutcome(record: ServiceDeployment | undefined, where: ServiceNow): string {
  const revision = where.revision ? ` (service revision ${where.revision})` : '';
  if (record?.status === 'ROLLBACK_SUCCESSFUL') return `rolled the service back to ${where.taskDefinition}${revision}: the rollback completed and the service is stable.`;
  if (record?.status === 'ROLLBACK_FAILED') return `could not roll the service back (ROLLBACK_FAILED${record.statusReason ? `: ${record.statusReason}` : ''}); it runs ${where.runs ?? where.taskDefinition} now.`;
  const meanwhile = where.runs && where.runs !== where.taskDefinition ? ` (the service still names ${where.runs} until then)` : '';
  return `is rolling the service back to ${where.taskDefinition}${revision}; the rollback had not finished when ecs-ship stopped waiting${meanwhile}.`;
}

/** A rollback after this deploy migrated the schema puts the previous revision on the new schema: teams must see that. */
function migrationNote(record: Ledger, taskDefinition: string): string {
  if (record.migration?.result !== 'succeeded') return '';
  record.rollout!.rolledBackAfterMigration = true;
  return ` The migration of this deploy ran and is not undone: ${taskDefinition} now runs against the migrated schema.`;
}

/** Follows a rollback deployment (bounded) to how it ended; a rollback that cannot be followed is said to be so (a string). */
function settle(watcher: ServiceWatcher, deployment: Started, timeoutMs: number, since: Date): Promise<Settled | string> {
  return watcher.follow(deployment, timeoutMs, { maxTaskFailures: Infinity, since }).catch((error: Error) => {
    if (watcher.cancelled) throw error;
    return `its progress could not be read: ${awsSaid(error)}`;
  });
}

function settledText(verdict: Settled | string): string {
  if (typeof verdict === 'string') return verdict;
  if (!verdict) return 'the rollback had not finished when ecs-ship stopped waiting';
  return verdict.ok ? 'the rollback completed and the service is stable' : `the rollback did not settle: ${verdict.reason}`;
}
