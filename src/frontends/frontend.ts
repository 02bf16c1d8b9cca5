import type { Ledger } from '../execute/ledger';
import type { Reporter } from '../shared/reporter';
import type { RawInputs } from '../inputs/parse';
import type { Spelling } from '../inputs/spelling';

/** A front end reads inputs its platform's way, reports its platform's way, and nothing else. */
export interface FrontEnd {
  /** How its people write an input: the wording of every message of the run. */
  spelling: Spelling;
  raw: RawInputs;
  reporter: Reporter;
  /** Where the run's JSON report goes when report-file is not given; none: no report. */
  defaultReportFile?: string;
  succeed(record: Ledger, outputs: Record<string, string>): Promise<void>;
  /** record is undefined when the inputs could not even be read. */
  fail(message: string, record: Ledger | undefined, outputs: Record<string, string>): Promise<void>;
}
