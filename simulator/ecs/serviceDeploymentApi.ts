import { AwsError, invalidParameter, serviceNotFound } from '../errors';
import { epochSeconds } from '../ids';
import { withoutUndefined } from '../objects';
import type { ServiceDeploymentRecord, SimState } from '../state';
import { requireCluster } from './clusters';
import { continueHook } from './lifecycleHooks';
import { paginate } from './pagination';
import { countsOf, isFinished } from './serviceDeployments';
import { findService } from './services';
import { findTaskDefinition } from './taskDefinitions';

// ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions, StopServiceDeployment and
// ContinueServiceDeployment,
// shaped as the API reference's ServiceDeploymentBrief, ServiceDeployment and ServiceRevision.

const MAX_DESCRIBED = 20;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : epochSeconds(ms));

export const serviceDeploymentNotFound = () =>
  new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist. Use ListServiceDeployments to find its ARN.');

const usesTraffic = (sd: ServiceDeploymentRecord) => sd.strategy !== 'ROLLING';

export function serviceDeploymentView(state: SimState, sd: ServiceDeploymentRecord): any {
  const service = state.services.get(`${sd.clusterName}/${sd.serviceName}`);
  const counts = countsOf(state, service, sd);
  const summary = (arn: string, production?: number, test?: number) =>
    withoutUndefined({
      arn,
      requestedTaskCount: counts[arn]?.requestedTaskCount ?? 0,
      runningTaskCount: counts[arn]?.runningTaskCount ?? 0,
      pendingTaskCount: counts[arn]?.pendingTaskCount ?? 0,
      requestedProductionTrafficWeight: usesTraffic(sd) ? production : undefined,
      requestedTestTrafficWeight: usesTraffic(sd) ? test : undefined,
    });
  const sourceShare = (weight: number) => (sd.sourceRevisionArns.length ? (100 - weight) / sd.sourceRevisionArns.length : 0);
  return withoutUndefined({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: state.clusterArn(sd.clusterName),
    createdAt: seconds(sd.createdAt),
    startedAt: seconds(sd.startedAt),
    finishedAt: seconds(sd.finishedAt),
    stoppedAt: seconds(sd.stoppedAt),
    updatedAt: seconds(sd.updatedAt),
    sourceServiceRevisions: sd.sourceRevisionArns.map((arn) => summary(arn, sourceShare(sd.productionWeight), sourceShare(sd.testWeight))),
    targetServiceRevision: summary(sd.targetRevisionArn, sd.productionWeight, sd.testWeight),
    status: sd.status,
    statusReason: sd.statusReason,
    lifecycleStage: sd.lifecycleStage,
    lifecycleHookDetails: sd.hooks.length
      ? sd.hooks.map((hook) =>
          withoutUndefined({
            hookId: hook.hookId,
            targetType: hook.targetType,
            targetArn: hook.targetArn,
            status: hook.status,
            expiresAt: seconds(hook.expiresAt),
            timeoutAction: hook.timeoutAction,
          }),
        )
      : undefined,
    deploymentConfiguration: sd.deploymentConfiguration,
    rollback: sd.rollback && { reason: sd.rollback.reason, startedAt: seconds(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn },
    deploymentCircuitBreaker: sd.circuitBreaker,
    alarms: sd.alarms,
  });
}

function briefView(state: SimState, sd: ServiceDeploymentRecord): any {
  return withoutUndefined({
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: state.clusterArn(sd.clusterName),
    startedAt: seconds(sd.startedAt),
    createdAt: seconds(sd.createdAt),
    finishedAt: seconds(sd.finishedAt ?? sd.stoppedAt),
    targetServiceRevisionArn: sd.targetRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  });
}

function requireArnList(input: any, key: string): string[] {
  const arns = input[key];
  if (!Array.isArray(arns) || arns.length === 0) throw invalidParameter(`${key} must be specified.`);
  if (arns.length > MAX_DESCRIBED) throw invalidParameter(`${key} cannot have more than ${MAX_DESCRIBED} elements.`);
  return arns;
}

/** CreatedAt's before/after travel as epoch seconds. */
const withinCreatedAt = (sd: ServiceDeploymentRecord, range: any) =>
  (range?.before === undefined || sd.createdAt < range.before * 1000) && (range?.after === undefined || sd.createdAt > range.after * 1000);

export function requireServiceDeployment(state: SimState, arn: unknown): ServiceDeploymentRecord {
  if (typeof arn !== 'string' || !arn) throw invalidParameter('serviceDeploymentArn must be specified.');
  const sd = state.serviceDeployments.get(arn);
  if (!sd) throw serviceDeploymentNotFound();
  return sd;
}

export const serviceDeploymentHandlers = {
  ListServiceDeployments(state: SimState, input: any) {
    const cluster = requireCluster(state, input.cluster);
    if (!input.service) throw invalidParameter('service must be specified.');
    const service = findService(state, cluster.name, input.service);
    if (!service || service.status === 'INACTIVE') throw serviceNotFound();
    const statuses: string[] | undefined = input.status?.length ? input.status : undefined;
    const matching = state
      .serviceDeploymentsOf(service.clusterName, service.name)
      .filter((sd) => !statuses || statuses.includes(sd.status))
      .filter((sd) => withinCreatedAt(sd, input.createdAt))
      .reverse();
    const page = paginate(
      matching.map((sd) => sd.arn),
      input,
      'serviceDeployments',
      20,
    );
    page.serviceDeployments = page.serviceDeployments.map((arn: string) => briefView(state, state.serviceDeployments.get(arn)!));
    return page;
  },

  DescribeServiceDeployments(state: SimState, input: any) {
    const serviceDeployments: any[] = [];
    const failures: any[] = [];
    for (const arn of requireArnList(input, 'serviceDeploymentArns')) {
      const sd = state.serviceDeployments.get(arn);
      if (sd) serviceDeployments.push(serviceDeploymentView(state, sd));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  },

  DescribeServiceRevisions(state: SimState, input: any) {
    const serviceRevisions: any[] = [];
    const failures: any[] = [];
    for (const arn of requireArnList(input, 'serviceRevisionArns')) {
      const revision = state.serviceRevisions.get(arn);
      if (!revision) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      const { placement } = revision;
      serviceRevisions.push(
        withoutUndefined({
          serviceRevisionArn: revision.arn,
          serviceArn: revision.serviceArn,
          clusterArn: state.clusterArn(revision.clusterName),
          taskDefinition: revision.taskDefinitionArn,
          capacityProviderStrategy: placement.capacityProviderStrategy,
          launchType: placement.launchType,
          platformVersion: placement.platformVersion,
          platformFamily: placement.taskLaunchType === 'FARGATE' ? 'Linux' : undefined,
          loadBalancers: revision.loadBalancers,
          serviceRegistries: [],
          networkConfiguration: revision.networkConfiguration,
          containerImages: containerImagesOf(state, revision.taskDefinitionArn),
          guardDutyEnabled: false,
          createdAt: epochSeconds(revision.createdAt),
        }),
      );
    }
    return { serviceRevisions, failures };
  },

  ContinueServiceDeployment(state: SimState, input: any, now: number) {
    const sd = requireServiceDeployment(state, input.serviceDeploymentArn);
    continueHook(sd, input.hookId, input.action, now);
    return { serviceDeploymentArn: sd.arn };
  },

  StopServiceDeployment(state: SimState, input: any, now: number) {
    const sd = requireServiceDeployment(state, input.serviceDeploymentArn);
    const stopType = input.stopType ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') throw invalidParameter(`Invalid stopType: ${stopType}. Valid values are ABORT and ROLLBACK.`);
    if (isFinished(sd)) throw new AwsError('ConflictException', `The service deployment is ${sd.status} and can no longer be stopped.`);
    // A deployment already stopping or rolling back carries on with that.
    if (sd.status !== 'PENDING' && sd.status !== 'IN_PROGRESS') return { serviceDeploymentArn: sd.arn };
    const service = state.services.get(`${sd.clusterName}/${sd.serviceName}`)!;
    if (stopType === 'ROLLBACK' && !sd.sourceRevisionArns.length && !service.lastCompleted?.serviceRevisionArn) {
      throw invalidParameter('The service deployment has no previous service revision to roll back to.');
    }
    sd.status = stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
    sd.stageSince = now;
    sd.updatedAt = now;
    sd.startedAt ??= now;
    sd.stopRequest = stopType;
    // ABORT leaves the service where it is: the scheduler neither starts nor stops the deployment's tasks.
    if (stopType === 'ABORT') for (const deployment of service.deployments) if (deployment.serviceDeploymentArn === sd.arn) deployment.halted = true;
    return { serviceDeploymentArn: sd.arn };
  },
};

function containerImagesOf(state: SimState, taskDefinitionArn: string): any[] {
  const record = findTaskDefinition(state, taskDefinitionArn);
  return ((record?.description.containerDefinitions as any[]) ?? []).map((container) => ({ containerName: container.name, image: container.image }));
}
