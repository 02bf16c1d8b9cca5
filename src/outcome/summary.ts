import { appSummaryLines, appSummaryMarkdown } from './app-facts';
import type { RunRecord } from '../execute/ledger';
import { serviceSummaryLines, serviceSummaryMarkdown } from './service-facts';

/** The final account as log lines, the same facts on every platform. */
export function summaryLines(record: RunRecord): string[] {
  return record.app ? appSummaryLines(record) : serviceSummaryLines(record);
}

/** The GitHub job summary. */
export function summaryMarkdown(record: RunRecord): string {
  return record.app ? appSummaryMarkdown(record) : serviceSummaryMarkdown(record);
}
