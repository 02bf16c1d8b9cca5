import { epochSeconds, newDeploymentId, newUuid } from '../ids';
import { withoutUndefined } from '../objects';
import type { DeploymentRecord, ServiceRecord, ServiceRevisionRecord, SimState, TaskRecord } from '../state';

const MAX_SERVICE_EVENTS = 100;

const inProgressReason = (id: string) => `ECS deployment ${id} in progress.`;
export const completedReason = (id: string) => `ECS deployment ${id} completed.`;
export const CIRCUIT_BREAKER_FAILED_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
export const rollingBackReason = (failedId: string) => `ECS deployment circuit breaker: rolling back to deploymentId ${failedId}.`;

/** ECS's circuit breaker threshold: half the desired count, rounded up, clamped to 3..200. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

export function newDeployment(service: ServiceRecord, taskDefinitionArn: string, now: number): DeploymentRecord {
  const id = newDeploymentId();
  return {
    id,
    status: 'PRIMARY',
    taskDefinitionArn,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    placement: service.placement,
    networkConfiguration: service.networkConfiguration,
    serviceConnectConfiguration: service.serviceConnectConfiguration,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: inProgressReason(id),
    isRollback: false,
  };
}

/** Makes `deployment` the PRIMARY one; earlier deployments stay ACTIVE until the new one has settled. */
export function promoteDeployment(service: ServiceRecord, deployment: DeploymentRecord): void {
  for (const existing of service.deployments) existing.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = deployment.taskDefinitionArn;
  service.steadySince = undefined;
  service.steadyAnnounced = false;
}

/** A new PRIMARY deployment, marked as a rollback, back on `revision`'s task definition, placement and network. */
export function rollBackService(service: ServiceRecord, revision: ServiceRevisionRecord, now: number): DeploymentRecord {
  service.placement = revision.placement;
  service.networkConfiguration = revision.networkConfiguration;
  const rollback = newDeployment(service, revision.taskDefinitionArn, now);
  rollback.isRollback = true;
  rollback.serviceRevisionArn = revision.arn;
  promoteDeployment(service, rollback);
  return rollback;
}

export function addServiceEvent(service: ServiceRecord, now: number, message: string): void {
  service.events.unshift({ id: newUuid(), createdAt: now, message: `(service ${service.name}) ${message}` });
  service.events.length = Math.min(service.events.length, MAX_SERVICE_EVENTS);
}

export function tasksOfService(state: SimState, service: ServiceRecord): TaskRecord[] {
  return state.tasksOfCluster(service.clusterName).filter((task) => task.serviceName === service.name);
}

export const isLive = (task: TaskRecord) => task.desiredStatus === 'RUNNING';
export const isRunning = (task: TaskRecord) => task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING';

export function deploymentView(service: ServiceRecord, deployment: DeploymentRecord, tasks: TaskRecord[]): any {
  const own = tasks.filter((task) => task.deploymentId === deployment.id);
  const placement = deployment.placement;
  return withoutUndefined({
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.taskDefinitionArn,
    desiredCount: deployment.status === 'PRIMARY' ? service.desiredCount : deployment.desiredCount,
    pendingCount: own.filter((task) => isLive(task) && task.lastStatus !== 'RUNNING').length,
    runningCount: own.filter(isRunning).length,
    failedTasks: deployment.failedTasks,
    createdAt: epochSeconds(deployment.createdAt),
    updatedAt: epochSeconds(deployment.updatedAt),
    capacityProviderStrategy: placement.capacityProviderStrategy,
    launchType: placement.launchType,
    platformVersion: placement.platformVersion,
    platformFamily: placement.taskLaunchType === 'FARGATE' ? 'Linux' : undefined,
    networkConfiguration: deployment.networkConfiguration,
    serviceConnectConfiguration: deployment.serviceConnectConfiguration,
    rolloutState: service.reportsRolloutState ? deployment.rolloutState : undefined,
    rolloutStateReason: service.reportsRolloutState ? deployment.rolloutStateReason : undefined,
  });
}
