import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { isThrottling } from './throttle';

// ECS's record of each deployment (since 2024): what it is doing, why it stopped, what it rolled back to.

/**
 * The account, the role or the endpoint does not offer the records — it refuses them, or fails them with a
 * server error even after the SDK's retries (an ECS emulator without them): a deploy then judges from
 * DescribeServices alone.
 */
export function recordsUnavailable(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return /^(AccessDenied(Exception)?|UnauthorizedOperation|UnknownOperationException|UnsupportedFeatureException|InvalidAction)$/.test(name) || failsOnTheServer(error);
}

/** A 5xx answer that is not throttling, after the SDK's retries. */
export function failsOnTheServer(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 && !isThrottling(error);
}

/**
 * The record of the deployment an UpdateService started: the service's current one as the answer names it,
 * when that is not the one it had before (`before`); otherwise the newest one created since the update was
 * sent (ECS may list a new record a moment after the update), or the answer's.
 */
export async function recordOfUpdate(ecs: ECSClient, answer: Service | undefined, since: Date, before: string | undefined): Promise<string | undefined> {
  if (!answer?.serviceArn) return undefined;
  if (answer.currentServiceDeployment && answer.currentServiceDeployment !== before) return answer.currentServiceDeployment;
  const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: answer.clusterArn, service: answer.serviceArn, createdAt: { after: since } }));
  const newest = [...(listed.serviceDeployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  return newest?.serviceDeploymentArn ?? answer.currentServiceDeployment;
}

export async function describeRecord(ecs: ECSClient, arn: string): Promise<ServiceDeployment> {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const record = out.serviceDeployments?.[0];
  if (!record) throw new Error(`ECS has no record of service deployment ${arn} (${out.failures?.[0]?.reason ?? 'MISSING'})`);
  return record;
}

/** Stops a deployment in progress so that ECS rolls the service back to the service revision it ran before. */
export async function stopWithRollback(ecs: ECSClient, arn: string): Promise<void> {
  await stopServiceDeployment(ecs, arn, 'ROLLBACK');
}

/** ROLLBACK: ECS restores the service revision it ran before; ABORT: the deployment stops where it is. */
export async function stopServiceDeployment(ecs: ECSClient, arn: string, stopType: 'ROLLBACK' | 'ABORT'): Promise<void> {
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType }));
}

/** Answers the PAUSE hook `hookId` of a paused deployment: CONTINUE lets it go on, ROLLBACK rolls it back. */
export async function continueServiceDeployment(ecs: ECSClient, arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK' = 'CONTINUE'): Promise<void> {
  await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }));
}

/** The service's deployments as ECS records them (newest first), of the given statuses or all; at most `max`. */
export async function serviceDeploymentsOf(ecs: ECSClient, cluster: string, service: string, status?: ServiceDeploymentStatus[], max = 20): Promise<ServiceDeploymentBrief[]> {
  const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status, maxResults: max }));
  return [...(listed.serviceDeployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/** A service revision: the task definition and settings a deployment ran or rolls to. */
export async function describeServiceRevision(ecs: ECSClient, arn: string): Promise<ServiceRevision | undefined> {
  return (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] }))).serviceRevisions?.[0];
}
