import type { DeploymentRecord, ServiceRecord, SimState, TaskRecord } from '../state';
import type { TaskScript } from '../types';
import {
  addServiceEvent,
  CIRCUIT_BREAKER_FAILED_REASON,
  circuitBreakerThreshold,
  completedReason,
  isLive,
  isRunning,
  newDeployment,
  promoteDeployment,
  rollingBackReason,
  tasksOfService,
} from './deployments';
import { NO_CONTAINER_INSTANCES } from './placement';
import { findTaskDefinition } from './taskDefinitions';
import { createTask, stopTask } from './taskLifecycle';

const FAILURE_STOP_CODES = ['TaskFailedToStart', 'EssentialContainerExited'];
const PLACEMENT_FAILURE_MESSAGE =
  `was unable to place a task because no container instance met all of its requirements. Reason: ${NO_CONTAINER_INSTANCES} ` +
  'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

const taskList = (tasks: TaskRecord[]) => tasks.map((task) => `(task ${task.id})`).join(' ');

function countFailedTasks(state: SimState, service: ServiceRecord, tasks: TaskRecord[], now: number): void {
  for (const task of tasks) {
    if (task.desiredStatus !== 'STOPPED' || task.stopAccounted) continue;
    task.stopAccounted = true;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (deployment && FAILURE_STOP_CODES.includes(task.stopCode ?? '')) {
      deployment.failedTasks++;
      deployment.updatedAt = now;
      state.transitions.push({ kind: 'task-failed', id: deployment.id, time: now, failedTasks: deployment.failedTasks });
    }
  }
}

function tripCircuitBreakerIfNeeded(state: SimState, service: ServiceRecord, now: number): void {
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker;
  const primary = service.deployments[0];
  if (!breaker?.enable || primary.rolloutState !== 'IN_PROGRESS') return;
  if (primary.failedTasks < circuitBreakerThreshold(service.desiredCount)) return;

  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = CIRCUIT_BREAKER_FAILED_REASON;
  primary.updatedAt = now;
  state.transitions.push({ kind: 'deployment-failed', id: primary.id, time: now });
  addServiceEvent(service, now, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);

  const target = service.lastCompleted;
  if (!breaker.rollback || primary.isRollback || !target || !findTaskDefinition(state, target.taskDefinitionArn)) return;
  const rollback = newDeployment(service, target.taskDefinitionArn, now);
  rollback.rolloutStateReason = rollingBackReason(primary.id);
  rollback.isRollback = true;
  promoteDeployment(service, rollback);
  addServiceEvent(service, now, `rolling back to deployment ${target.id}.`);
}

/** Starts `count` tasks for the deployment; `script` replaces what the scenario would script for them. */
export function launchServiceTasks(
  state: SimState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  count: number,
  now: number,
  script?: TaskScript,
): TaskRecord[] {
  if (deployment.placement.taskLaunchType !== 'FARGATE') {
    if (!service.events[0]?.message.endsWith(PLACEMENT_FAILURE_MESSAGE)) addServiceEvent(service, now, PLACEMENT_FAILURE_MESSAGE);
    return [];
  }
  const taskDefinition = findTaskDefinition(state, deployment.taskDefinitionArn)!.description;
  const started = Array.from({ length: count }, () =>
    createTask(
      state,
      {
        clusterName: service.clusterName,
        taskDefinition,
        group: `service:${service.name}`,
        startedBy: deployment.id,
        serviceName: service.name,
        deploymentId: deployment.id,
        launchType: deployment.placement.taskLaunchType,
        capacityProviderName: deployment.placement.capacityProviderName,
        platformVersion: deployment.placement.taskPlatformVersion,
        networkConfiguration: deployment.networkConfiguration,
        script: script ?? state.scenario.task?.({ startedBy: 'service', taskDefinition, serviceName: service.name }) ?? {},
        defaultRunMs: Infinity,
      },
      now,
    ),
  );
  addServiceEvent(service, now, `has started ${count} tasks: ${taskList(started)}.`);
  return started;
}

function stopSurplusTasks(state: SimState, service: ServiceRecord, deployment: DeploymentRecord, live: TaskRecord[], count: number, now: number): void {
  const notYetRunning = live.filter((task) => task.lastStatus !== 'RUNNING');
  const newestFirst = live.filter((task) => task.lastStatus === 'RUNNING').sort((a, b) => b.createdAt - a.createdAt);
  const victims = [...notYetRunning, ...newestFirst].slice(0, count);
  for (const task of victims) {
    stopTask(state, task, now, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${deployment.id})`);
  }
  addServiceEvent(service, now, `has stopped ${victims.length} running tasks: ${taskList(victims)}.`);
}

/** Keeps every deployment at its desired count; failed and superseded unfinished deployments launch nothing. */
function scaleDeployments(state: SimState, service: ServiceRecord, now: number): void {
  for (const deployment of service.deployments) {
    const primary = deployment.status === 'PRIMARY';
    const target = primary ? service.desiredCount : deployment.desiredCount;
    const live = tasksOfService(state, service).filter((task) => task.deploymentId === deployment.id && isLive(task));
    const mayLaunch = primary ? deployment.rolloutState !== 'FAILED' : deployment.rolloutState === 'COMPLETED' && !deployment.draining;
    if (live.length > target) stopSurplusTasks(state, service, deployment, live, live.length - target, now);
    else if (live.length < target && mayLaunch) launchServiceTasks(state, service, deployment, target - live.length, now);
  }
}

/** Once the primary deployment has held its desired count for stabilizeMs, older deployments are drained and removed. */
function settle(state: SimState, service: ServiceRecord, now: number): void {
  const primary = service.deployments[0];
  const tasks = tasksOfService(state, service);
  const own = tasks.filter((task) => task.deploymentId === primary.id && isLive(task));
  const healthy = primary.rolloutState !== 'FAILED' && own.length === service.desiredCount && own.every(isRunning);
  if (!healthy) {
    service.steadySince = undefined;
    service.steadyAnnounced = false;
    return;
  }
  service.steadySince ??= now;
  if (now - service.steadySince < state.timing.stabilizeMs) return;

  const older = service.deployments.slice(1);
  const toDrain = older.filter((deployment) => !deployment.draining);
  for (const deployment of toDrain) {
    deployment.draining = true;
    deployment.desiredCount = 0;
    deployment.updatedAt = now;
  }
  if (toDrain.length) scaleDeployments(state, service, now);
  const olderIds = new Set(older.map((deployment) => deployment.id));
  if (tasks.some((task) => olderIds.has(task.deploymentId ?? '') && task.lastStatus !== 'STOPPED')) return;

  service.deployments = [primary];
  if (primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = completedReason(primary.id);
    primary.updatedAt = now;
    state.transitions.push({ kind: 'deployment-completed', id: primary.id, time: now });
    service.lastCompleted = { id: primary.id, taskDefinitionArn: primary.taskDefinitionArn };
    addServiceEvent(service, now, `(deployment ${primary.id}) deployment completed.`);
  }
  if (!service.steadyAnnounced) {
    service.steadyAnnounced = true;
    addServiceEvent(service, now, 'has reached a steady state.');
  }
}

export function reconcileService(state: SimState, service: ServiceRecord, now: number): void {
  if (service.status !== 'ACTIVE') return;
  countFailedTasks(state, service, tasksOfService(state, service), now);
  tripCircuitBreakerIfNeeded(state, service, now);
  scaleDeployments(state, service, now);
  settle(state, service, now);
}
