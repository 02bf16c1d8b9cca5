import { invalidParameter } from '../errors';

// "Amazon ECS linear deployments require that your service use one of the following features:
// Application Load Balancer, Network Load Balancer, Service Connect", and so do canary deployments
// (ECS developer guide: required resources for linear and canary deployments). BLUE_GREEN may run
// without them ("headless"), and ROLLING needs none.

const NEED_TRAFFIC_CONTROL = ['LINEAR', 'CANARY'];

export interface TrafficControl {
  loadBalancers?: any[];
  serviceConnectConfiguration?: { enabled?: boolean };
}

export const hasTrafficControl = ({ loadBalancers, serviceConnectConfiguration }: TrafficControl) =>
  (loadBalancers?.length ?? 0) > 0 || serviceConnectConfiguration?.enabled === true;

/** Throws InvalidParameterException for a LINEAR or CANARY service with neither a load balancer nor Service Connect. */
export function requireTrafficControl(deploymentConfiguration: any, service: TrafficControl): void {
  const strategy = deploymentConfiguration?.strategy ?? 'ROLLING';
  if (!NEED_TRAFFIC_CONTROL.includes(strategy) || hasTrafficControl(service)) return;
  throw invalidParameter(`The ${strategy} deployment strategy requires the service to use an Application Load Balancer, a Network Load Balancer or Service Connect.`);
}
