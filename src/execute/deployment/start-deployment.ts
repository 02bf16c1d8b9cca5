// The one change a rollout makes: UpdateService, and the deployment (and ECS's record of it) it started.
import { updateService } from '../../aws/ecs-services';
import { recordOfUpdate } from '../../aws/service-deployments';
import { DeployError } from '../../shared/errors';
import { sendChange } from '../changes';
import type { RolloutDeps } from './rollout-request';
import type { Started } from './service-watcher';

/** Points the service at `taskDefinition`; the watcher finds ECS's record of the deployment where it can read records. */
export async function startDeployment(taskDefinition: string, forceNewDeployment: boolean, deps: Pick<RolloutDeps, 'ecs' | 'reporter' | 'record' | 'watcher'>): Promise<Started> {
  const { ecs, reporter, watcher } = deps;
  const { clusterArn, service } = watcher.target;
  const call = {
    action: 'UpdateService' as const,
    inFlight: `UpdateService of service ${service.serviceName} to ${taskDefinition} was sent and not answered yet, so the service may be starting a deployment of it`,
    noAnswer: `ECS did not say whether service ${service.serviceName} was updated to ${taskDefinition}; it may be deploying it`,
  };
  const before = watcher.lastRead.currentServiceDeployment;
  const sentAt = new Date(Date.now() - 1000);
  const updated = await sendChange(deps.record, call, () => updateService(ecs, { cluster: clusterArn, service: service.serviceArn, taskDefinition, forceNewDeployment }));
  const primary = updated?.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) throw new DeployError(`UpdateService answered without a PRIMARY deployment for ${service.serviceName}.`);
  const recordArn = await watcher.readRecord(() => recordOfUpdate(ecs, updated, sentAt, before));
  reporter.info(`Updated service ${service.serviceName} to ${taskDefinition}: deployment ${primary.id}${recordArn ? ` (service deployment ${recordArn})` : ''}`);
  return { id: primary.id, recordArn };
}
