import type { Service } from '@aws-sdk/client-ecs';

// ECS runs LINEAR and CANARY deployments only on a service that uses an Application Load Balancer, a
// Network Load Balancer or Service Connect (ECS developer guide: required resources for linear and
// canary deployments); it refuses the update of any other.

const NEED_TRAFFIC_CONTROL = ['LINEAR', 'CANARY'];

/** What is wrong with the service's strategy, when ECS could not deploy it; undefined otherwise. */
export function strategyProblem(service: Service, name: string): string | undefined {
  const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
  if (!NEED_TRAFFIC_CONTROL.includes(strategy)) return undefined;
  const balanced = (service.loadBalancers?.length ?? 0) > 0;
  const connected = (service.deployments ?? []).some((deployment) => deployment.serviceConnectConfiguration?.enabled === true);
  if (balanced || connected) return undefined;
  return (
    `service: "${name}" deploys with the ${strategy} strategy, which ECS runs only on a service with an Application Load Balancer, a Network Load Balancer or Service Connect, and it has none: ECS would refuse the update. ` +
    `Expected a service with a load balancer or Service Connect, or one with the ROLLING or BLUE_GREEN strategy.`
  );
}
