// keep-revisions, planned: which of the family's ACTIVE revisions a prune would deregister, and which it
// keeps because they are the newest or in use. Only reads.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { servicesOfCluster } from '../aws/ecs-services';
import { awsSaid } from '../aws/failed-call';
import { activeRevisions } from '../aws/task-definitions';
import { inputName } from '../inputs/spelling';
import { familyOf, revisionKey, selectRevisions, type InUseRevision, type PruneSelection } from './prune-selection';

export interface PruneRequest {
  cluster: string;
  /** The family of the revision deployed. */
  family: string;
  keep: number;
  /** The revision the service now runs (undefined in a dry run that would register a new one). */
  deployed?: string;
  /** The revision the service ran before: what a rollback would go back to. */
  rollbackTarget: string;
  /** More revisions to keep, with why (the revisions scheduled tasks target, say). */
  alsoInUse?: InUseRevision[];
  /** Dry run: a new revision would be registered first, taking one of the `keep` places. */
  newRevisionPending?: boolean;
}

/** Read-only: what a prune would deregister and keep, as the cluster is now. */
export async function planPrune(ecs: ECSClient, request: PruneRequest): Promise<PruneSelection> {
  const [active, servicesUse] = await Promise.all([activeRevisions(ecs, request.family), revisionsServicesUse(ecs, request.cluster)]);
  const inUse: InUseRevision[] = [
    ...(request.deployed ? [{ arn: request.deployed, why: 'just deployed' }] : []),
    { arn: request.rollbackTarget, why: 'what a rollback would go back to' },
    ...servicesUse,
    ...(request.alsoInUse ?? []),
  ];
  return selectRevisions({ family: request.family, keep: request.keep, active, inUse, newRevisionPending: request.newRevisionPending });
}

/** What a dry run says of keep-revisions: what a prune after the deploy would deregister (none when it could not be found out), and the lines that say so. */
export interface PrunePreview {
  deregister: string[];
  said: { level: 'info' | 'warn'; text: string };
}

export async function previewPrune(request: PruneRequest, ecs: ECSClient): Promise<PrunePreview> {
  const moved = familyMove(request);
  if (moved) return { deregister: [], said: { level: 'info', text: `${inputName('keep-revisions')}: ${moved}, so a real run would deregister none.` } };
  try {
    const selection = await planPrune(ecs, request);
    const text = `After a successful deploy (${inputName('keep-revisions')}: ${request.keep}), a real run would deregister: ${listRevisions(selection.deregister)}.\n${keptText(selection)}`;
    return { deregister: selection.deregister, said: { level: 'info', text } };
  } catch (error) {
    return { deregister: [], said: { level: 'warn', text: `${inputName('keep-revisions')}: could not find out which revisions are in use (${awsSaid(error)}); a real run would deregister none.` } };
  }
}

/**
 * A service moved to another family (a promotion of staging's revision) does not own that family's old
 * revisions: another pipeline, with services elsewhere, does.
 */
export function familyMove({ family, rollbackTarget }: PruneRequest): string | undefined {
  const before = familyOf(rollbackTarget);
  return before && before !== family ? `the service moved from family "${before}" to "${family}", whose old revisions another pipeline may need` : undefined;
}

export function keptText(selection: PruneSelection): string {
  const inUse = selection.inUse.map(({ arn, why }) => `\n  ${revisionKey(arn)}: ${why}`).join('');
  return `Kept the newest ${selection.keep}${selection.newest.length ? ` (${listRevisions(selection.newest)})` : ''}${inUse ? `, and in use:${inUse}` : ''}`;
}

export function listRevisions(arns: string[]): string {
  return arns.length ? arns.map(revisionKey).join(', ') : 'none';
}

/** What each service of the cluster runs, and what each of its deployments runs or rolls to. */
async function revisionsServicesUse(ecs: ECSClient, cluster: string): Promise<InUseRevision[]> {
  const inUse: InUseRevision[] = [];
  for (const service of await servicesOfCluster(ecs, cluster)) {
    if (service.taskDefinition) inUse.push({ arn: service.taskDefinition, why: `service ${service.serviceName} runs it` });
    for (const deployment of service.deployments ?? []) {
      if (deployment.taskDefinition && deployment.taskDefinition !== service.taskDefinition) {
        inUse.push({ arn: deployment.taskDefinition, why: `a deployment of service ${service.serviceName} (${deployment.status}) uses it` });
      }
    }
  }
  return inUse;
}
