// keep-revisions: after a successful deploy, the family's ACTIVE revisions beyond the newest N are
// deregistered — never one in use. Trouble here is a warning: the deploy itself has succeeded.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { awsSaid } from '../aws/failed-call';
import { deregisterTaskDefinition } from '../aws/task-definitions';
import { inputName } from '../inputs/spelling';
import { revisionKey, type PruneSelection } from '../plan/prune-selection';
import { familyMove, keptText, listRevisions, planPrune, type PruneRequest } from '../plan/prune-plan';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';


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

function pruneSummary(selection: PruneSelection, deregistered: string[]): string {
  return `Revisions of family "${selection.family}": deregistered ${listRevisions(deregistered)}.\n${keptText(selection)}`;
}

