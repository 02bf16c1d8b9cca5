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
