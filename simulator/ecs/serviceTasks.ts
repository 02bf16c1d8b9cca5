import type { DeploymentRecord, ServiceRecord, SimState, TaskRecord } from '../state';
import type { TaskScript } from '../types';
import { addServiceEvent, isLive } from './deployments';
import { NO_CONTAINER_INSTANCES } from './placement';
import { findTaskDefinition } from './taskDefinitions';
import { createTask, stopTask, taskHealth } from './taskLifecycle';

// Starting and stopping a service's tasks, for the rolling update and the blue/green strategies alike.

const PLACEMENT_FAILURE_MESSAGE =
  `was unable to place a task because no container instance met all of its requirements. Reason: ${NO_CONTAINER_INSTANCES} ` +
  'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

const taskList = (tasks: TaskRecord[]) => tasks.map((task) => `(task ${task.id})`).join(' ');

export const hasContainerHealthCheck = (task: TaskRecord) => task.containers.some((container) => container.essential && container.healthCheck);

/** Running, and passing its container health checks where it has any. */
export function isHealthy(task: TaskRecord): boolean {
  if (!isLive(task) || task.lastStatus !== 'RUNNING') return false;
  return !hasContainerHealthCheck(task) || taskHealth(task) === 'HEALTHY';
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
export function stopTasks(state: SimState, service: ServiceRecord, victims: TaskRecord[], reason: string, now: number): void {
  if (victims.length === 0) return;
  for (const task of victims) stopTask(state, task, now, 'ServiceSchedulerInitiated', reason);
  addServiceEvent(service, now, `has stopped ${victims.length} running tasks: ${taskList(victims)}.`);
}
