import type { ServiceRecord, SimState, TaskRecord } from '../state';
import {
  addServiceEvent,
  CIRCUIT_BREAKER_FAILED_REASON,
  circuitBreakerThreshold,
  completedReason,
  isLive,
  rollBackService,
  rollingBackReason,
  tasksOfService,
} from './deployments';
import { advanceBlueGreen } from './blueGreen';
import { alarmBakeMs, alarmFailedReason, alarmRollbackReason, markAlarmsTriggered, triggeredAlarms } from './deploymentAlarms';
import { advanceServiceDeployment } from './serviceDeploymentSteps';
import {
  BREAKER_ROLLBACK_REASON,
  currentServiceDeployment,
  isFinished,
  linkDeployment,
  noteTaskFailure,
  onDeploymentCompleted,
  serviceDeploymentOf,
  setStatus,
  startRollback,
} from './serviceDeployments';
import { findTaskDefinition } from './taskDefinitions';
import { countsAsHealthy, inHealthCheckGracePeriod } from './schedulerHealth';
import { isHealthy, launchServiceTasks, stopTasks } from './serviceTasks';
import { stopTask, taskHealth } from './taskLifecycle';

// The service scheduler's rolling update, as the ECS developer guide describes it: new tasks are started
// while RUNNING+PENDING stays within maximumPercent of the desired count; old tasks are stopped only while
// minimumHealthyPercent of it stays healthy (as schedulerHealth counts it); a deployment completes once its
// tasks have been healthy for a while; tasks that stop abnormally count as failed, and the circuit breaker
// acts on them.

const HEALTH_CHECK_FAILED = 'Task failed container health checks';

// Deployment.failedTasks (API reference): "A task is considered a failure if the service scheduler can't
// launch the task, the task doesn't transition to a RUNNING state, or if it fails any of its defined health
// checks and is stopped." A task whose container exits after it started is not one (as the open
// aws/containers-roadmap issue 1206 reports): an image that starts and then crashes never trips the breaker.
const stoppedAbnormally = (task: TaskRecord) => task.stopCode === 'TaskFailedToStart' || task.failedHealthCheck === true;

/**
 * DeploymentCircuitBreaker.resetOnHealthyTask (default true): "a task that reaches a healthy state resets the
 * failure count to 0"; false keeps counting.
 */
function resetOnHealthyTasks(state: SimState, service: ServiceRecord, tasks: TaskRecord[], now: number): void {
  const primary = service.deployments[0];
  for (const task of tasks) {
    if (task.countedHealthy || task.deploymentId !== primary.id || !isHealthy(task)) continue;
    task.countedHealthy = true;
    if (service.deploymentConfiguration?.deploymentCircuitBreaker?.resetOnHealthyTask === false || primary.failedTasks === 0) continue;
    primary.failedTasks = 0;
    primary.updatedAt = now;
    noteTaskFailure(state, primary, now);
  }
}

function countFailedTasks(state: SimState, service: ServiceRecord, tasks: TaskRecord[], now: number): void {
  for (const task of tasks) {
    if (task.desiredStatus !== 'STOPPED' || task.stopAccounted) continue;
    task.stopAccounted = true;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (deployment && stoppedAbnormally(task)) {
      deployment.failedTasks++;
      deployment.updatedAt = now;
      state.transitions.push({ kind: 'task-failed', id: deployment.id, time: now, failedTasks: deployment.failedTasks });
      noteTaskFailure(state, deployment, now);
    }
  }
}

/** A service task whose essential container is UNHEALTHY past the grace period is replaced (standalone tasks keep running). */
function stopUnhealthyTasks(state: SimState, service: ServiceRecord, tasks: TaskRecord[], now: number): void {
  for (const task of tasks) {
    if (!isLive(task) || task.lastStatus !== 'RUNNING' || taskHealth(task) !== 'UNHEALTHY') continue;
    if (inHealthCheckGracePeriod(state, service, task, now)) continue;
    task.failedHealthCheck = true;
    stopTask(state, task, now, 'ServiceSchedulerInitiated', HEALTH_CHECK_FAILED);
    addServiceEvent(service, now, `(task ${task.id}) failed container health checks.`);
  }
}

function tripCircuitBreakerIfNeeded(state: SimState, service: ServiceRecord, now: number): void {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  const primary = service.deployments[0];
  if (!breaker?.enable || primary.rolloutState !== 'IN_PROGRESS' || primary.halted) return;
  if (primary.failedTasks < circuitBreakerThreshold(service.desiredCount)) return;

  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = CIRCUIT_BREAKER_FAILED_REASON;
  primary.updatedAt = now;
  state.transitions.push({ kind: 'deployment-failed', id: primary.id, time: now });
  addServiceEvent(service, now, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);

  const sd = serviceDeploymentOf(state, primary);
  if (sd) {
    sd.circuitBreaker = { ...sd.circuitBreaker, status: 'TRIGGERED', failureCount: primary.failedTasks };
  }
  const target = service.lastCompleted;
  const revision = target?.serviceRevisionArn ? state.serviceRevisions.get(target.serviceRevisionArn) : undefined;
  const canRollBack = !primary.isRollback && target && revision && findTaskDefinition(state, target.taskDefinitionArn);
  if (!breaker.rollback || !canRollBack) {
    if (sd?.status === 'ROLLBACK_IN_PROGRESS' || (sd && breaker.rollback)) setStatus(state, sd, 'ROLLBACK_FAILED', now, CIRCUIT_BREAKER_FAILED_REASON);
    else if (sd) setStatus(state, sd, 'STOPPED', now, CIRCUIT_BREAKER_FAILED_REASON);
    return;
  }
  const rollback = rollBackService(service, revision, now);
  rollback.rolloutStateReason = rollingBackReason(primary.id);
  if (sd) {
    linkDeployment(state, rollback, sd, revision.arn);
    startRollback(state, sd, revision.arn, BREAKER_ROLLBACK_REASON, CIRCUIT_BREAKER_FAILED_REASON, now);
  }
  addServiceEvent(service, now, `rolling back to deployment ${target.id}.`);
}

/** A monitored rolling deployment fails when one of its alarms is in ALARM, and rolls back if its alarms say so. */
function failOnAlarms(state: SimState, service: ServiceRecord, now: number): void {
  const primary = service.deployments[0];
  const sd = serviceDeploymentOf(state, primary);
  if (!sd || sd.status !== 'IN_PROGRESS' || primary.rolloutState !== 'IN_PROGRESS' || primary.halted) return;
  const names = triggeredAlarms(state, sd);
  if (names.length === 0) return;
  const reason = alarmFailedReason(names);
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = reason;
  primary.updatedAt = now;
  state.transitions.push({ kind: 'deployment-failed', id: primary.id, time: now });
  addServiceEvent(service, now, `(deployment ${primary.id}) deployment failed: alarm detected.`);
  markAlarmsTriggered(sd, names, now);
  const target = service.lastCompleted;
  const revision = target?.serviceRevisionArn ? state.serviceRevisions.get(target.serviceRevisionArn) : undefined;
  if (!sd.deploymentConfiguration.alarms?.rollback) return setStatus(state, sd, 'STOPPED', now, reason);
  if (!revision || revision.arn === sd.targetRevisionArn) return setStatus(state, sd, 'ROLLBACK_FAILED', now, reason);
  const rollback = rollBackService(service, revision, now);
  rollback.rolloutStateReason = `ECS deployment alarms: rolling back to deploymentId ${primary.id}.`;
  linkDeployment(state, rollback, sd, revision.arn);
  startRollback(state, sd, revision.arn, alarmRollbackReason(names), reason, now);
  addServiceEvent(service, now, `rolling back to deployment ${target!.id}.`);
}

/** Tasks not counted healthy go first, then the newest. */
function stopOrder(tasks: TaskRecord[], counts: (task: TaskRecord) => boolean): TaskRecord[] {
  return [...tasks].sort((a, b) => Number(counts(a)) - Number(counts(b)) || b.createdAt - a.createdAt);
}

/** One step of the rolling update within the service's deployment limits. */
function scaleDeployments(state: SimState, service: ServiceRecord, now: number): void {
  const [primary, ...older] = service.deployments;
  // A PENDING service deployment has not started: its tasks start once it is IN_PROGRESS.
  if (primary.halted || serviceDeploymentOf(state, primary)?.status === 'PENDING') return;
  const desired = service.desiredCount;
  const config = service.deploymentConfiguration ?? {};
  const maxTotal = Math.floor((desired * (config.maximumPercent ?? 200)) / 100);
  const minHealthy = Math.ceil((desired * (config.minimumHealthyPercent ?? 100)) / 100);
  const tasks = tasksOfService(state, service).filter(isLive);
  const own = tasks.filter((task) => task.deploymentId === primary.id);
  const olderIds = new Set(older.map((deployment) => deployment.id));
  const old = tasks.filter((task) => olderIds.has(task.deploymentId ?? ''));
  const countsNow = (task: TaskRecord) => countsAsHealthy(state, service, task, now);

  if (own.length > desired) stopTasks(state, service, stopOrder(own, countsNow).slice(0, own.length - desired), `Scaling activity initiated by (deployment ${primary.id})`, now);

  // Old tasks go while enough healthy tasks remain, and whenever the service is over its maximum.
  let healthy = tasks.filter(countsNow).length;
  let total = Math.min(own.length, desired) + old.length;
  const victims: TaskRecord[] = [];
  for (const task of stopOrder(old, countsNow)) {
    const counts = countsNow(task);
    if (counts && healthy - 1 < minHealthy && total <= maxTotal) continue;
    victims.push(task);
    if (counts) healthy--;
    total--;
  }
  stopTasks(state, service, victims, `Scaling activity initiated by (deployment ${primary.id})`, now);

  const missing = desired - own.length;
  const room = maxTotal - total;
  if (missing > 0 && room > 0 && primary.rolloutState !== 'FAILED') launchServiceTasks(state, service, primary, Math.min(missing, room), now);
}

/** Once the primary deployment's tasks have counted as healthy for stabilizeMs and the old ones have stopped, it is COMPLETED. */
function settle(state: SimState, service: ServiceRecord, now: number): void {
  const primary = service.deployments[0];
  if (primary.halted) return;
  const tasks = tasksOfService(state, service);
  const own = tasks.filter((task) => task.deploymentId === primary.id && isLive(task));
  const olderIds = new Set(service.deployments.slice(1).map((deployment) => deployment.id));
  const oldGone = !tasks.some((task) => olderIds.has(task.deploymentId ?? '') && task.lastStatus !== 'STOPPED');
  const healthy = (task: TaskRecord) => countsAsHealthy(state, service, task, now);
  const steady = primary.rolloutState !== 'FAILED' && own.length === service.desiredCount && own.every(healthy) && oldGone;
  if (!steady) {
    service.steadySince = undefined;
    service.steadyAnnounced = false;
    return;
  }
  service.steadySince ??= now;
  if (now - service.steadySince < state.timing.stabilizeMs) return;

  service.deployments = [primary];
  // With deployment alarms, ECS keeps monitoring for a bake time before the deployment COMPLETES.
  const sd = serviceDeploymentOf(state, primary);
  const monitored = sd && !isFinished(sd) && primary.serviceRevisionArn === sd.targetRevisionArn;
  if (primary.rolloutState === 'IN_PROGRESS' && monitored && now - service.steadySince < state.timing.stabilizeMs + alarmBakeMs(state, sd)) return;
  if (primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = completedReason(primary.id);
    primary.updatedAt = now;
    state.transitions.push({ kind: 'deployment-completed', id: primary.id, time: now });
    service.lastCompleted = { id: primary.id, taskDefinitionArn: primary.taskDefinitionArn, serviceRevisionArn: primary.serviceRevisionArn };
    addServiceEvent(service, now, `(deployment ${primary.id}) deployment completed.`);
    onDeploymentCompleted(state, primary, now);
  }
  if (!service.steadyAnnounced) {
    service.steadyAnnounced = true;
    addServiceEvent(service, now, 'has reached a steady state.');
  }
}

export { launchServiceTasks } from './serviceTasks';

export function reconcileService(state: SimState, service: ServiceRecord, now: number): void {
  if (service.status !== 'ACTIVE') return;
  const tasks = tasksOfService(state, service);
  stopUnhealthyTasks(state, service, tasks, now);
  countFailedTasks(state, service, tasks, now);
  resetOnHealthyTasks(state, service, tasks, now);
  const current = currentServiceDeployment(state, service);
  if (current && current.strategy !== 'ROLLING' && !isFinished(current)) {
    advanceBlueGreen(state, service, current, now);
    advanceServiceDeployment(state, service, now);
    return;
  }
  tripCircuitBreakerIfNeeded(state, service, now);
  failOnAlarms(state, service, now);
  scaleDeployments(state, service, now);
  settle(state, service, now);
  advanceServiceDeployment(state, service, now);
}
