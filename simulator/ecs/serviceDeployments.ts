import { randomBytes } from 'node:crypto';
import { newDeploymentId } from '../ids';
import type {
  DeploymentRecord,
  RevisionCounts,
  ServiceDeploymentRecord,
  ServiceDeploymentStatus,
  ServiceRecord,
  ServiceRevisionRecord,
  SimState,
} from '../state';
import { circuitBreakerThreshold, isLive, isRunning, tasksOfService } from './deployments';

// ECS's service deployments and service revisions (ECS developer guide: "View service history using Amazon
// ECS service deployments"). Every deployment of DescribeServices.deployments belongs to one service
// deployment and runs one service revision; an ECS-initiated rollback stays within the failed one's record.

/** Not documented: the wording ECS gives a service deployment replaced by a newer one. */
export const SUPERSEDED_REASON = 'Service deployment stopped: superseded by a newer service deployment.';
export const BREAKER_ROLLBACK_REASON = 'Circuit breaker initiated the rollback: tasks failed to start.';
export const USER_ROLLBACK_REASON = 'StopServiceDeployment initiated the rollback.';
export const USER_ABORT_REASON = 'Service deployment stopped by StopServiceDeployment (ABORT).';

const TERMINAL: ServiceDeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
export const isFinished = (sd: ServiceDeploymentRecord) => TERMINAL.includes(sd.status);

/** PENDING, ROLLBACK_REQUESTED and STOP_REQUESTED last at least this long, so a poller may see them. */
export const minStatusMs = (state: SimState) => Math.max(2 * state.timing.tickMs, 50);
/** Each lifecycle stage of a BLUE_GREEN, LINEAR or CANARY deployment lasts at least this long. */
export const minStageMs = (state: SimState) => Math.max(2 * state.timing.tickMs, state.timing.stageMs);

const newServiceDeploymentId = () => randomBytes(16).toString('base64url');
const newRevisionNumber = () => newDeploymentId().slice('ecs-svc/'.length);

export function createRevision(state: SimState, service: ServiceRecord, taskDefinitionArn: string, now: number): ServiceRevisionRecord {
  const revision: ServiceRevisionRecord = {
    arn: state.ecsArn(`service-revision/${service.clusterName}/${service.name}/${newRevisionNumber()}`),
    serviceArn: service.arn,
    clusterName: service.clusterName,
    serviceName: service.name,
    taskDefinitionArn,
    placement: service.placement,
    networkConfiguration: service.networkConfiguration,
    loadBalancers: service.extra.loadBalancers ?? [],
    createdAt: now,
  };
  state.serviceRevisions.set(revision.arn, revision);
  return revision;
}

export function linkDeployment(state: SimState, deployment: DeploymentRecord, sd: ServiceDeploymentRecord, revisionArn: string): void {
  deployment.serviceDeploymentArn = sd.arn;
  deployment.serviceRevisionArn = revisionArn;
  state.revisionOfDeployment.set(deployment.id, revisionArn);
}

export function serviceDeploymentOf(state: SimState, deployment: DeploymentRecord | undefined): ServiceDeploymentRecord | undefined {
  return deployment?.serviceDeploymentArn ? state.serviceDeployments.get(deployment.serviceDeploymentArn) : undefined;
}

/** The newest service deployment of the service. */
export function currentServiceDeployment(state: SimState, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  return state.serviceDeploymentsOf(service.clusterName, service.name).at(-1);
}

/** The live tasks of each revision of the service, by revision ARN. */
export function revisionCounts(state: SimState, service: ServiceRecord): Map<string, { live: number; running: number; pending: number }> {
  const counts = new Map<string, { live: number; running: number; pending: number }>();
  for (const task of tasksOfService(state, service)) {
    const arn = state.revisionOfDeployment.get(task.deploymentId ?? '');
    if (!arn || !isLive(task)) continue;
    const entry = counts.get(arn) ?? { live: 0, running: 0, pending: 0 };
    entry.live++;
    if (isRunning(task)) entry.running++;
    else entry.pending++;
    counts.set(arn, entry);
  }
  return counts;
}

/** Task counts of the target and sources: live while the deployment runs, frozen once it has finished. */
export function countsOf(state: SimState, service: ServiceRecord | undefined, sd: ServiceDeploymentRecord): Record<string, RevisionCounts> {
  if (sd.finalCounts || !service) return sd.finalCounts ?? {};
  const live = revisionCounts(state, service);
  const result: Record<string, RevisionCounts> = {};
  for (const arn of [sd.targetRevisionArn, ...sd.sourceRevisionArns]) {
    const entry = live.get(arn) ?? { live: 0, running: 0, pending: 0 };
    const requested = arn === sd.targetRevisionArn && !targetAbandoned(sd) ? service.desiredCount : entry.live;
    result[arn] = { requestedTaskCount: requested, runningTaskCount: entry.running, pendingTaskCount: entry.pending };
  }
  return result;
}

const targetAbandoned = (sd: ServiceDeploymentRecord) => sd.status.startsWith('ROLLBACK') || sd.status === 'STOPPED';

export function setStatus(state: SimState, sd: ServiceDeploymentRecord, status: ServiceDeploymentStatus, now: number, reason?: string): void {
  const service = state.services.get(`${sd.clusterName}/${sd.serviceName}`);
  if (TERMINAL.includes(status)) sd.finalCounts = countsOf(state, service, sd);
  sd.status = status;
  if (reason !== undefined) sd.statusReason = reason;
  sd.updatedAt = now;
  sd.stageSince = now;
  if (status === 'IN_PROGRESS' || status === 'ROLLBACK_IN_PROGRESS') sd.startedAt ??= now;
  if (status === 'STOPPED') sd.stoppedAt = now;
  if (status === 'SUCCESSFUL' || status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_FAILED') sd.finishedAt = now;
  if (TERMINAL.includes(status)) {
    if (sd.circuitBreaker.status === 'MONITORING') sd.circuitBreaker.status = 'MONITORING_COMPLETE';
    if (sd.alarms?.status === 'MONITORING') sd.alarms.status = 'MONITORING_COMPLETE';
  }
}

/**
 * Opens the service deployment of a deployment that CreateService or UpdateService started: a new target
 * revision, the revisions still running as sources; one still under way is stopped as superseded.
 */
export function beginServiceDeployment(state: SimState, service: ServiceRecord, deployment: DeploymentRecord, now: number): ServiceDeploymentRecord {
  for (const earlier of state.serviceDeploymentsOf(service.clusterName, service.name)) {
    if (!isFinished(earlier)) setStatus(state, earlier, 'STOPPED', now, SUPERSEDED_REASON);
  }
  const revision = createRevision(state, service, deployment.taskDefinitionArn, now);
  const live = revisionCounts(state, service);
  const sources = [...new Set(service.deployments.filter((d) => d !== deployment).map((d) => d.serviceRevisionArn))].filter(
    (arn): arn is string => arn !== undefined && (live.get(arn)?.live ?? 0) > 0,
  );
  const config = structuredClone(service.deploymentConfiguration ?? {});
  const breaker = config.deploymentCircuitBreaker;
  const strategy = config.strategy ?? 'ROLLING';
  const sd: ServiceDeploymentRecord = {
    arn: state.ecsArn(`service-deployment/${service.clusterName}/${service.name}/${newServiceDeploymentId()}`),
    serviceArn: service.arn,
    clusterName: service.clusterName,
    serviceName: service.name,
    status: 'PENDING',
    strategy,
    // The reconciliation stage only happens when more than one service revision is ACTIVE.
    lifecycleStage: sources.length > 1 ? 'RECONCILE_SERVICE' : undefined,
    stageSince: now,
    createdAt: now,
    updatedAt: now,
    sourceRevisionArns: sources,
    targetRevisionArn: revision.arn,
    deploymentConfiguration: config,
    circuitBreaker: { status: breaker?.enable ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold: circuitBreakerThreshold(service.desiredCount) },
    alarms: config.alarms
      ? { status: config.alarms.enable ? 'MONITORING' : 'DISABLED', alarmNames: config.alarms.alarmNames ?? [], triggeredAlarmNames: [] }
      : undefined,
    hooks: [],
    productionWeight: 0,
    testWeight: 0,
  };
  state.serviceDeployments.set(sd.arn, sd);
  linkDeployment(state, deployment, sd, revision.arn);
  return sd;
}

/** A seeded service: its deployment has long been SUCCESSFUL. */
export function markSeededSuccessful(state: SimState, sd: ServiceDeploymentRecord, now: number): void {
  sd.startedAt = now;
  setStatus(state, sd, 'SUCCESSFUL', now);
}

/** A task of `deployment` failed: the circuit breaker of its service deployment counts it. */
export function noteTaskFailure(state: SimState, deployment: DeploymentRecord, now: number): void {
  const sd = serviceDeploymentOf(state, deployment);
  if (!sd || isFinished(sd) || deployment.serviceRevisionArn !== currentTargetOf(sd)) return;
  sd.circuitBreaker.failureCount = deployment.failedTasks;
  sd.updatedAt = now;
}

/** The revision the service deployment is moving to now: the target, or the one it rolls back to. */
export const currentTargetOf = (sd: ServiceDeploymentRecord) => sd.rollback?.serviceRevisionArn ?? sd.targetRevisionArn;

/** The source revision a rollback returns to: the last completed one where it is a source, else the newest source. */
export function rollbackRevisionOf(service: ServiceRecord, sd: ServiceDeploymentRecord): string | undefined {
  const completed = service.lastCompleted?.serviceRevisionArn;
  if (completed && sd.sourceRevisionArns.includes(completed)) return completed;
  return sd.sourceRevisionArns[0] ?? (completed !== sd.targetRevisionArn ? completed : undefined);
}

export function startRollback(state: SimState, sd: ServiceDeploymentRecord, revisionArn: string, reason: string, statusReason: string, now: number): void {
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: revisionArn };
  setStatus(state, sd, 'ROLLBACK_IN_PROGRESS', now, statusReason);
}

/** The deployment running the service deployment's current target has COMPLETED. */
export function onDeploymentCompleted(state: SimState, deployment: DeploymentRecord, now: number): void {
  const sd = serviceDeploymentOf(state, deployment);
  if (!sd || isFinished(sd) || deployment.serviceRevisionArn !== currentTargetOf(sd)) return;
  if (sd.status === 'ROLLBACK_IN_PROGRESS') return setStatus(state, sd, 'ROLLBACK_SUCCESSFUL', now);
  if (sd.status === 'PENDING' || sd.status === 'IN_PROGRESS') setStatus(state, sd, 'SUCCESSFUL', now);
}
