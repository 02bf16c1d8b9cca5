import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeCluster, describeServices } from '../aws/ecs-services';
import { InputError } from '../shared/errors';
import { strategyProblem } from './traffic-control';

export interface Target {
  clusterArn: string;
  service: Service & { serviceArn: string; serviceName: string; taskDefinition: string };
}

/** The cluster and the service must exist and be ACTIVE before anything is built, registered or run. */
export async function preflight(ecs: ECSClient, cluster: string, service: string): Promise<Target> {
  const clusters = await describeCluster(ecs, cluster);
  const found = clusters.clusters?.[0];
  if (!found || found.status !== 'ACTIVE') {
    const why = found ? `is ${found.status}` : `was not found (${clusters.failures?.[0]?.reason ?? 'MISSING'})`;
    throw new InputError([`cluster: "${cluster}" ${why} in ${await ecs.config.region()}. Expected an ACTIVE ECS cluster name or ARN.`]);
  }
  const services = await describeServices(ecs, cluster, [service]);
  const svc = services.services?.[0];
  if (!svc || svc.status !== 'ACTIVE') {
    const why = svc ? `is ${svc.status}` : `was not found (${services.failures?.[0]?.reason ?? 'MISSING'})`;
    throw new InputError([`service: "${service}" ${why} in cluster "${found.clusterName}". Expected an ACTIVE ECS service name or ARN.`]);
  }
  const controller = svc.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new InputError([
      `service: "${service}" uses the ${controller} deployment controller, which ECS does not let UpdateService deploy to. Expected a service with the ECS (rolling update) controller.`,
    ]);
  }
  const strategy = strategyProblem(svc, service);
  if (strategy) throw new InputError([strategy]);
  if (!svc.serviceArn || !svc.serviceName || !svc.taskDefinition) {
    throw new InputError([`service: "${service}" has no task definition yet; ecs-ship updates existing services.`]);
  }
  return { clusterArn: found.clusterArn!, service: svc as Target['service'] };
}
