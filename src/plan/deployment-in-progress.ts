// What a service has going on, as ECS's records and DescribeServices tell it: the deployment in progress
// (and the PAUSE hook it waits on), or the last one and the revision the service ran before it.
import type { ECSClient, ServiceDeployment } from '@aws-sdk/client-ecs';
import { describeRecord, describeServiceRevision, serviceDeploymentsOf } from '../aws/service-deployments';
import { pausedHook } from './wait-point';
import type { Target } from './preflight';

/** A service deployment ECS is still going through, by its status. */
const UNDER_WAY = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'] as const;

export interface InProgress {
  /** Its deployment in DescribeServices (the PRIMARY one). */
  deploymentId: string;
  recordArn: string;
  record: ServiceDeployment;
  /** The revision it deploys. */
  taskDefinition: string;
  /** The revision the service ran before it (where a rollback goes), when known. */
  previous?: string;
  /** The PAUSE hook ECS waits on, when it is paused. */
  hookId?: string;
}

/** The service's deployment ECS is still going through, or undefined. */
export async function deploymentInProgress(ecs: ECSClient, target: Target): Promise<InProgress | undefined> {
  const { service } = target;
  const [brief] = await serviceDeploymentsOf(ecs, target.clusterArn, service.serviceArn, [...UNDER_WAY], 1);
  if (!brief?.serviceDeploymentArn) return undefined;
  const record = await describeRecord(ecs, brief.serviceDeploymentArn);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const sourceArn = record.sourceServiceRevisions?.[0]?.arn;
  const source = sourceArn ? await describeServiceRevision(ecs, sourceArn) : undefined;
  const older = service.deployments?.find((d) => d.status === 'ACTIVE')?.taskDefinition;
  return {
    deploymentId: primary?.id ?? '',
    recordArn: brief.serviceDeploymentArn,
    record,
    taskDefinition: primary?.taskDefinition ?? service.taskDefinition,
    previous: source?.taskDefinition ?? older,
    hookId: pausedHook(record),
  };
}

export interface LastDeployment {
  /** ECS's record of the last deployment that brought the service to what it runs. */
  recordArn: string;
  /** The revision the service ran before it, from the record's source revision. */
  previous: string;
}

/**
 * The service's last successful deployment that changed its revision, and the revision it ran before
 * (from the record's source revision); undefined when ECS's records (90 days) have none.
 */
export async function lastDeployment(ecs: ECSClient, target: Target): Promise<LastDeployment | undefined> {
  const briefs = await serviceDeploymentsOf(ecs, target.clusterArn, target.service.serviceArn, ['SUCCESSFUL']);
  for (const brief of briefs) {
    const record = await describeRecord(ecs, brief.serviceDeploymentArn!);
    const sourceArn = record.sourceServiceRevisions?.[0]?.arn;
    const source = sourceArn ? await describeServiceRevision(ecs, sourceArn) : undefined;
    if (source?.taskDefinition && source.taskDefinition !== target.service.taskDefinition) return { recordArn: brief.serviceDeploymentArn!, previous: source.taskDefinition };
  }
  return undefined;
}

/** "ecs-svc/123 (arn…) IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT": a deployment in a sentence. */
export function describeInProgress(found: InProgress): string {
  const stage = found.record.lifecycleStage ? ` at ${found.record.lifecycleStage}` : '';
  return `deployment ${found.deploymentId} (${found.recordArn}) is ${found.record.status}${stage}`;
}
