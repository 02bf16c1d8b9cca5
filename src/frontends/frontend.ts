import type { DeployRecord } from '../core/deploy';
import type { Reporter } from '../core/reporter';
import type { RawInputs } from '../inputs/parse';

/** A front end reads inputs its platform's way, reports its platform's way, and nothing else. */
export interface FrontEnd {
  raw: RawInputs;
  reporter: Reporter;
  succeed(record: DeployRecord): Promise<void>;
  fail(message: string): Promise<void>;
}
