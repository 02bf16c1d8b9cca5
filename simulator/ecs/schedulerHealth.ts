import type { ServiceRecord, SimState, TaskRecord } from '../state';
import { hasContainerHealthCheck, isHealthy } from './serviceTasks';

// When the service scheduler takes a task for healthy, and when it acts on an unhealthy one (ECS developer
// guide, rolling update; API reference: DeploymentConfiguration.minimumHealthyPercent,
// Service.healthCheckGracePeriodSeconds). Load balancers' target health is not modelled: a target counts as
// healthy at once.

/** Without a load balancer, how long a task with no container health check runs before it counts as healthy. */
const WAIT_WITHOUT_HEALTH_CHECK_SECONDS = 40;

const hasLoadBalancer = (service: ServiceRecord) => (service.extra.loadBalancers?.length ?? 0) > 0;

/**
 * Whether the task counts towards minimumHealthyPercent at `now`: once its essential containers' health
 * checks pass; without any, once RUNNING behind a load balancer, and 40 ECS seconds after RUNNING otherwise.
 */
export function countsAsHealthy(state: SimState, service: ServiceRecord, task: TaskRecord, now: number): boolean {
  if (!isHealthy(task)) return false;
  if (hasContainerHealthCheck(task) || hasLoadBalancer(service) || task.seededSteady) return true;
  return now - task.startedAt! >= WAIT_WITHOUT_HEALTH_CHECK_SECONDS * state.timing.secondMs;
}

/** The scheduler ignores unhealthy health checks for healthCheckGracePeriodSeconds (default 0) after the task started. */
export function inHealthCheckGracePeriod(state: SimState, service: ServiceRecord, task: TaskRecord, now: number): boolean {
  const graceSeconds = service.extra.healthCheckGracePeriodSeconds ?? 0;
  return now - task.startedAt! < graceSeconds * state.timing.secondMs;
}
