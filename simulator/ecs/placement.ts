import { invalidParameter } from '../errors';
import type { ClusterRecord } from '../state';

export const NO_CONTAINER_INSTANCES = 'No Container Instances were found in your cluster.';
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

export interface Placement {
  /** As requested or defaulted, echoed on services and deployments. */
  launchType?: string;
  capacityProviderStrategy?: any[];
  platformVersion?: string;
  /** What the tasks report. */
  taskLaunchType: string;
  capacityProviderName?: string;
  taskPlatformVersion?: string;
}

interface PlacementRequest {
  launchType?: string;
  capacityProviderStrategy?: any[];
  platformVersion?: string;
}

export function resolvePlacement(cluster: ClusterRecord, request: PlacementRequest, taskDefinition: any): Placement {
  if (request.launchType && request.capacityProviderStrategy?.length) {
    throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported.');
  }
  const strategy = request.capacityProviderStrategy?.length
    ? request.capacityProviderStrategy
    : request.launchType
      ? undefined
      : cluster.defaultCapacityProviderStrategy.length
        ? cluster.defaultCapacityProviderStrategy
        : undefined;

  let placement: Placement;
  if (strategy) {
    for (const item of strategy) {
      if (!FARGATE_PROVIDERS.includes(item.capacityProvider) && !cluster.capacityProviders.includes(item.capacityProvider)) {
        throw invalidParameter(
          'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
        );
      }
    }
    const chosen = strategy.find((item) => (item.base ?? 0) > 0 || (item.weight ?? 0) > 0) ?? strategy[0];
    placement = {
      capacityProviderStrategy: strategy,
      taskLaunchType: FARGATE_PROVIDERS.includes(chosen.capacityProvider) ? 'FARGATE' : 'EC2',
      capacityProviderName: chosen.capacityProvider,
    };
  } else {
    const launchType = request.launchType ?? 'EC2';
    placement = { launchType, taskLaunchType: launchType };
  }

  if (placement.taskLaunchType === 'FARGATE') {
    if (!taskDefinition.compatibilities?.includes('FARGATE')) {
      throw invalidParameter('Task definition does not support launch_type FARGATE.');
    }
    placement.platformVersion = request.platformVersion ?? 'LATEST';
    placement.taskPlatformVersion = placement.platformVersion === 'LATEST' ? '1.4.0' : placement.platformVersion;
  }
  return placement;
}

export function validateNetworkConfiguration(taskDefinition: any, networkConfiguration: any): void {
  const awsvpc = networkConfiguration?.awsvpcConfiguration;
  if (taskDefinition.networkMode === 'awsvpc') {
    if (!awsvpc) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    if (!awsvpc.subnets?.length) throw invalidParameter('subnets can not be empty.');
  } else if (awsvpc) {
    throw invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
  }
}
