import type { Ledger } from '../execute/ledger';
import type { DeployDeps } from '../execute/run-deps';
import type { RawInputs } from '../inputs/parse';

/** A command whose request is read: the ledger it writes, and the work that fills it in. */
export interface Started {
  ledger: Ledger;
  region: string;
  /** What the run was asked, for its report file (no secret values). */
  request?: unknown;
  execute(deps: DeployDeps): Promise<void>;
}

/** Reads a command's request (every problem at once, an InputError, before any AWS call) and says what it will do. */
export type Verb = (raw: RawInputs, env: NodeJS.ProcessEnv) => Promise<Started>;
