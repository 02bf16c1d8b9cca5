import { invalidParameter, serviceNotActive, serviceNotFound } from '../errors';
import { epochSeconds } from '../ids';
import { withoutUndefined } from '../objects';
import type { ClusterRecord, ServiceRecord, SimState } from '../state';
import { requireCluster } from './clusters';
import { deploymentView, newDeployment, promoteDeployment, tasksOfService } from './deployments';
import { paginate } from './pagination';
import { beginServiceDeployment, currentServiceDeployment, revisionCounts } from './serviceDeployments';
import { validateDeploymentConfiguration } from './strategies';
import { requireTrafficControl } from './trafficControl';
import { resolvePlacement, validateNetworkConfiguration } from './placement';
import { findTaskDefinition, requireRunnableTaskDefinition } from './taskDefinitions';

const DEFAULT_DEPLOYMENT_CONFIGURATION = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};

/** Optional CreateService fields ECS echoes on the service. */
const ECHOED_FIELDS = ['healthCheckGracePeriodSeconds', 'loadBalancers', 'serviceRegistries', 'propagateTags', 'enableECSManagedTags', 'enableExecuteCommand', 'tags'];

const serviceNameOf = (reference: string) => reference.slice(reference.lastIndexOf('/') + 1);

function validateDesiredCount(desiredCount: unknown): void {
  if (desiredCount !== undefined && (!Number.isInteger(desiredCount) || (desiredCount as number) < 0)) {
    throw invalidParameter('desiredCount must be a non-negative integer.');
  }
}

export interface NewServiceSpec {
  cluster: ClusterRecord;
  name: string;
  taskDefinitionArn: string;
  desiredCount: number;
  placementRequest: { launchType?: string; capacityProviderStrategy?: any[]; platformVersion?: string };
  networkConfiguration?: any;
  serviceConnectConfiguration?: any;
  deploymentConfiguration?: any;
  reportsRolloutState?: boolean;
  deploymentController?: { type?: string };
  extra?: Record<string, any>;
}

/** Validates and stores a new service with one IN_PROGRESS PRIMARY deployment. */
export function createServiceRecord(state: SimState, spec: NewServiceSpec, now: number): ServiceRecord {
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(spec.name)) {
    throw invalidParameter('Service name must be 1-255 letters, numbers, hyphens or underscores.');
  }
  const key = `${spec.cluster.name}/${spec.name}`;
  const existing = state.services.get(key);
  if (existing && existing.status !== 'INACTIVE') throw invalidParameter('Creation of service was not idempotent.');
  const taskDefinition = requireRunnableTaskDefinition(state, spec.taskDefinitionArn).description;
  validateDesiredCount(spec.desiredCount);
  validateNetworkConfiguration(taskDefinition, spec.networkConfiguration);
  validateDeploymentConfiguration(spec.deploymentConfiguration);
  const service: ServiceRecord = {
    name: spec.name,
    arn: state.serviceArn(spec.cluster.name, spec.name),
    clusterName: spec.cluster.name,
    status: 'ACTIVE',
    desiredCount: spec.desiredCount,
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    placement: resolvePlacement(spec.cluster, spec.placementRequest, taskDefinition),
    networkConfiguration: spec.networkConfiguration,
    serviceConnectConfiguration: spec.serviceConnectConfiguration,
    deploymentConfiguration: { ...DEFAULT_DEPLOYMENT_CONFIGURATION, ...spec.deploymentConfiguration },
    deployments: [],
    events: [],
    createdAt: now,
    reportsRolloutState: spec.reportsRolloutState ?? true,
    deploymentController: spec.deploymentController?.type ?? 'ECS',
    steadyAnnounced: false,
    extra: spec.extra ?? {},
  };
  // Deleting a service deletes its service deployments.
  for (const sd of state.serviceDeploymentsOf(spec.cluster.name, spec.name)) state.serviceDeployments.delete(sd.arn);
  const first = newDeployment(service, service.taskDefinitionArn, now);
  service.deployments.push(first);
  state.services.set(key, service);
  beginServiceDeployment(state, service, first, now);
  return service;
}

export function findService(state: SimState, clusterName: string, reference: string): ServiceRecord | undefined {
  return state.services.get(`${clusterName}/${serviceNameOf(reference)}`);
}

/** DescribeServices-shaped view of a service. */
export function serviceView(state: SimState, service: ServiceRecord, include: string[] = []): any {
  const tasks = tasksOfService(state, service);
  const deployments = service.deployments.map((deployment) => deploymentView(service, deployment, tasks));
  const { tags, ...echoed } = service.extra;
  const counts = revisionCounts(state, service);
  const revisions = [...new Set(service.deployments.map((d) => d.serviceRevisionArn))].filter((arn): arn is string => arn !== undefined);
  // An endpoint without service deployments (an older region, an emulator) has no fields that name them either.
  const records = !state.scenario.unsupportedActions?.includes('DescribeServiceDeployments');
  return withoutUndefined({
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: state.clusterArn(service.clusterName),
    loadBalancers: [],
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: deployments.reduce((sum, d) => sum + d.runningCount, 0),
    pendingCount: deployments.reduce((sum, d) => sum + d.pendingCount, 0),
    launchType: service.placement.launchType,
    capacityProviderStrategy: service.placement.capacityProviderStrategy,
    platformVersion: service.placement.platformVersion,
    platformFamily: service.placement.taskLaunchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments,
    events: service.events.map((event) => ({ id: event.id, createdAt: epochSeconds(event.createdAt), message: event.message })),
    createdAt: epochSeconds(service.createdAt),
    currentServiceDeployment: records ? currentServiceDeployment(state, service)?.arn : undefined,
    currentServiceRevisions: records ? revisions.map((arn) => {
      const deployment = service.deployments.find((d) => d.serviceRevisionArn === arn)!;
      return {
        arn,
        requestedTaskCount: deployment.status === 'PRIMARY' ? service.desiredCount : (counts.get(arn)?.live ?? 0),
        runningTaskCount: counts.get(arn)?.running ?? 0,
        pendingTaskCount: counts.get(arn)?.pending ?? 0,
      };
    }) : undefined,
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: service.deploymentController },
    createdBy: `arn:aws:iam::${state.config.accountId}:role/ecs-ship-simulator`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    ...echoed,
    ...(include.includes('TAGS') ? { tags: tags ?? [] } : {}),
  });
}

function updateService(state: SimState, input: any, now: number) {
  const cluster = requireCluster(state, input.cluster);
  const service = input.service ? findService(state, cluster.name, input.service) : undefined;
  if (!service) throw serviceNotFound();
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  if (input.taskDefinition && service.deploymentController !== 'ECS') {
    throw invalidParameter(`Unable to update task definition on services with a ${service.deploymentController} deployment controller.`);
  }

  const taskDefinition = input.taskDefinition
    ? requireRunnableTaskDefinition(state, input.taskDefinition).description
    : findTaskDefinition(state, service.taskDefinitionArn)!.description;
  validateDesiredCount(input.desiredCount);
  const networkConfiguration = input.networkConfiguration ?? service.networkConfiguration;
  validateNetworkConfiguration(taskDefinition, networkConfiguration);
  const placementChanged = input.capacityProviderStrategy !== undefined || input.platformVersion !== undefined;
  const placement = placementChanged
    ? resolvePlacement(
        cluster,
        {
          launchType: input.capacityProviderStrategy?.length ? undefined : service.placement.launchType,
          capacityProviderStrategy: input.capacityProviderStrategy ?? service.placement.capacityProviderStrategy,
          platformVersion: input.platformVersion ?? service.placement.platformVersion,
        },
        taskDefinition,
      )
    : service.placement;

  const loadBalancers = input.loadBalancers ?? service.extra.loadBalancers;
  const serviceConnectConfiguration = input.serviceConnectConfiguration ?? service.serviceConnectConfiguration;
  requireTrafficControl({ ...service.deploymentConfiguration, ...input.deploymentConfiguration }, { loadBalancers, serviceConnectConfiguration });
  const trafficChanged =
    JSON.stringify(loadBalancers ?? []) !== JSON.stringify(service.extra.loadBalancers ?? []) ||
    JSON.stringify(serviceConnectConfiguration) !== JSON.stringify(service.serviceConnectConfiguration);
  const needsDeployment =
    input.forceNewDeployment === true ||
    trafficChanged ||
    taskDefinition.taskDefinitionArn !== service.taskDefinitionArn ||
    JSON.stringify(networkConfiguration) !== JSON.stringify(service.networkConfiguration) ||
    JSON.stringify(placement) !== JSON.stringify(service.placement);

  if (input.deploymentConfiguration) validateDeploymentConfiguration({ ...service.deploymentConfiguration, ...input.deploymentConfiguration });
  if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
  if (input.deploymentConfiguration) {
    service.deploymentConfiguration = { ...service.deploymentConfiguration, ...input.deploymentConfiguration };
  }
  if (input.healthCheckGracePeriodSeconds !== undefined) service.extra.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  if (input.enableExecuteCommand !== undefined) service.extra.enableExecuteCommand = input.enableExecuteCommand;
  service.networkConfiguration = networkConfiguration;
  service.placement = placement;
  if (input.loadBalancers !== undefined) service.extra.loadBalancers = input.loadBalancers;
  service.serviceConnectConfiguration = serviceConnectConfiguration;
  if (needsDeployment) {
    const deployment = newDeployment(service, taskDefinition.taskDefinitionArn, now);
    promoteDeployment(service, deployment);
    beginServiceDeployment(state, service, deployment, now);
  }
  return { service: serviceView(state, service) };
}

export const serviceHandlers = {
  CreateService(state: SimState, input: any, now: number) {
    const cluster = requireCluster(state, input.cluster);
    if (!input.serviceName) throw invalidParameter('serviceName must be specified.');
    requireTrafficControl(input.deploymentConfiguration, input);
    const extra: Record<string, any> = {};
    for (const field of ECHOED_FIELDS) if (input[field] !== undefined) extra[field] = input[field];
    const service = createServiceRecord(
      state,
      {
        cluster,
        name: input.serviceName,
        taskDefinitionArn: input.taskDefinition,
        desiredCount: input.desiredCount ?? 0,
        placementRequest: input,
        networkConfiguration: input.networkConfiguration,
        serviceConnectConfiguration: input.serviceConnectConfiguration,
        deploymentConfiguration: input.deploymentConfiguration,
        deploymentController: input.deploymentController,
        extra,
      },
      now,
    );
    return { service: serviceView(state, service) };
  },

  UpdateService: updateService,

  DescribeServices(state: SimState, input: any) {
    const cluster = requireCluster(state, input.cluster);
    const references: string[] = input.services ?? [];
    if (references.length === 0) throw invalidParameter('Services cannot be empty.');
    if (references.length > 10) throw invalidParameter('Services cannot have more than 10 elements.');
    const services: any[] = [];
    const failures: any[] = [];
    for (const reference of references) {
      const service = findService(state, cluster.name, reference);
      if (service) services.push(serviceView(state, service, input.include));
      else failures.push({ arn: state.serviceArn(cluster.name, serviceNameOf(reference)), reason: 'MISSING' });
    }
    return { services, failures };
  },

  ListServices(state: SimState, input: any) {
    const cluster = requireCluster(state, input.cluster);
    const arns = state
      .servicesOfCluster(cluster.name)
      .filter((service) => service.status !== 'INACTIVE')
      .filter((service) => !input.launchType || service.placement.launchType === input.launchType)
      .map((service) => service.arn);
    return paginate(arns, input, 'serviceArns', 10);
  },
};
