import { appSummaryLines, appSummaryMarkdown } from './app-facts';
import type { Ledger } from '../execute/ledger';
import { serviceSummaryLines, serviceSummaryMarkdown } from './service-facts';

/** The final account as log lines, the same facts on every platform. */
export function summaryLines(record: Ledger): string[] {
  return record.app ? appSummaryLines(record) : serviceSummaryLines(record);
}

/** The GitHub job summary. */
export function summaryMarkdown(record: Ledger): string {
  return record.app ? appSummaryMarkdown(record) : serviceSummaryMarkdown(record);
}

/** The ✔ line of a run that succeeded, for the CLI and the pipe: `deployed` is the front end's own words for a deploy. */
export function successLine(record: Ledger, deployed: string): string {
  if (record.outcome === 'planned') return 'Dry run: nothing was changed.';
  if (record.outcome === 'returned') return `Returned before the end of the deployment (wait-until): ${returnedWhere(record)}.`;
  if (record.verb) return record.doneLine ?? VERB_LINES[record.verb];
  return deployed;
}

const VERB_LINES = { continue: 'Continued: the deployment completed.', rollback: 'Rolled back.', status: 'Status read: nothing was changed.', run: 'The task exited 0.', build: 'Built.' } as const;

/** Each service that returned early, and where its deployment stands. */
function returnedWhere(record: Ledger): string {
  const entries = record.app ? record.app.services.map((s) => ({ name: s.name, record: s.record })) : [{ name: record.service, record }];
  return entries
    .filter(({ record: r }) => r.rollout?.state === 'PAUSED' || r.rollout?.state === 'AT_STAGE')
    .map(({ name, record: r }) => `${name} ${r.rollout!.state === 'PAUSED' ? `paused at ${r.rollout!.lifecycleStage} (hook ${r.rollout!.hookId})` : `at ${r.rollout!.lifecycleStage}`}`)
    .join(', ');
}
