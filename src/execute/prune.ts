// keep-revisions: after a successful deploy, the family's ACTIVE revisions beyond the newest N are
// deregistered — never one in use. Trouble here is a warning: the deploy itself has succeeded.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { servicesOfCluster } from '../aws/ecs-services';
import { awsSaid } from '../aws/failed-call';
import { activeRevisions, deregisterTaskDefinition } from '../aws/task-definitions';
import { inputName } from '../inputs/spelling';
import { familyOf, revisionKey, selectRevisions, type InUseRevision, type PruneSelection } from '../plan/prune-selection';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';

export type { InUseRevision, PruneSelection } from '../plan/prune-selection';

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

interface PruneDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: Ledger;
  signal?: AbortSignal;
}

/** Deregisters what planPrune selects; never throws: every problem is a warning, and the record says what went. */
export async function pruneRevisions(request: PruneRequest, { ecs, reporter, record, signal }: PruneDeps): Promise<void> {
  const pruned: NonNullable<Ledger['pruned']> = { keep: request.keep, deregistered: [], keptInUse: [], failed: [] };
  record.pruned = pruned;
  const moved = familyMove(request);
  if (moved) {
    pruned.skipped = moved;
    reporter.info(`${inputName('keep-revisions')}: ${moved}, so none was deregistered.`);
    return;
  }
  let selection: PruneSelection;
  try {
    selection = await planPrune(ecs, request);
  } catch (error) {
    pruned.skipped = `could not find out which revisions are in use (${awsSaid(error)})`;
    reporter.warn(`${inputName('keep-revisions')}: ${pruned.skipped}, so none was deregistered.`);
    return;
  }
  pruned.keptInUse = selection.inUse;
  for (const arn of selection.deregister) {
    if (signal?.aborted) break;
    try {
      await deregisterTaskDefinition(ecs, arn);
      pruned.deregistered.push(arn);
      reporter.info(`Deregistered ${revisionKey(arn)}`);
    } catch (error) {
      pruned.failed.push({ arn, reason: awsSaid(error) });
      reporter.warn(`${inputName('keep-revisions')}: could not deregister ${revisionKey(arn)}: ${awsSaid(error)}. It stays ACTIVE.`);
    }
  }
  reporter.info(pruneSummary(selection, pruned.deregistered));
}

/** Dry run: what a real run would deregister after its deploy. */
/** What a prune after the deploy would deregister, said and returned (none when it could not be found out). */
export async function showPrunePlan(request: PruneRequest, { ecs, reporter }: { ecs: ECSClient; reporter: Reporter }): Promise<string[]> {
  const moved = familyMove(request);
  if (moved) {
    reporter.info(`${inputName('keep-revisions')}: ${moved}, so a real run would deregister none.`);
    return [];
  }
  try {
    const selection = await planPrune(ecs, request);
    reporter.info(`After a successful deploy (${inputName('keep-revisions')}: ${request.keep}), a real run would deregister: ${list(selection.deregister)}.\n${keptText(selection)}`);
    return selection.deregister;
  } catch (error) {
    reporter.warn(`${inputName('keep-revisions')}: could not find out which revisions are in use (${awsSaid(error)}); a real run would deregister none.`);
    return [];
  }
}

/**
 * A service moved to another family (a promotion of staging's revision) does not own that family's old
 * revisions: another pipeline, with services elsewhere, does.
 */
function familyMove({ family, rollbackTarget }: PruneRequest): string | undefined {
  const before = familyOf(rollbackTarget);
  return before && before !== family ? `the service moved from family "${before}" to "${family}", whose old revisions another pipeline may need` : undefined;
}

function pruneSummary(selection: PruneSelection, deregistered: string[]): string {
  return `Revisions of family "${selection.family}": deregistered ${list(deregistered)}.\n${keptText(selection)}`;
}

function keptText(selection: PruneSelection): string {
  const inUse = selection.inUse.map(({ arn, why }) => `\n  ${revisionKey(arn)}: ${why}`).join('');
  return `Kept the newest ${selection.keep}${selection.newest.length ? ` (${list(selection.newest)})` : ''}${inUse ? `, and in use:${inUse}` : ''}`;
}

function list(arns: string[]): string {
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
