// The outcome of a run, from its ledger and how it ended: the only source of the exit code, the outputs
// and the message every front end shows (its summary and ✔/✖ lines read the same ledger).
import { inFlight } from '../execute/changes';
import type { Ledger } from '../execute/ledger';
import { inputName, spellProblem } from '../inputs/spelling';
import { Cancelled, DeployError, InputError } from '../shared/errors';
import { outputsOf } from './outputs';

export interface Outcome {
  /** 0 done (or planned), 1 failed, 2 bad input, 130/143 cancelled. */
  code: number;
  /** Why it failed or what a cancel left in flight; undefined when it succeeded. */
  message?: string;
  outputs: Record<string, string>;
}

/** Settles the ledger's outcome and says what the front end reports. `error` is how the run ended, if it failed. */
export function outcomeOf(ledger: Ledger | undefined, error?: unknown): Outcome {
  if (error === undefined && ledger) return { code: 0, outputs: outputsOf(ledger) };
  const message = error instanceof Cancelled && ledger ? `${error.message} ${cancelReport(ledger)}` : describe(error);
  if (ledger) {
    ledger.outcome = error instanceof Cancelled ? 'cancelled' : 'failed';
    ledger.message = message;
  }
  return { code: exitCode(error), message, outputs: ledger ? outputsOf(ledger) : {} };
}

export function exitCode(error: unknown): number {
  if (error === undefined) return 0;
  if (error instanceof Cancelled) return error.signalName === 'SIGINT' ? 130 : 143;
  return error instanceof InputError ? 2 : 1;
}

/** What a cancel left behind: the calls in flight, or the migration it stopped. */
function cancelReport(ledger: Ledger): string {
  const parts = inFlight(ledger);
  if (ledger.task?.result === 'stopped' && parts.length === 0) return `Task ${(ledger.task.taskArns ?? [ledger.task.taskArn]).join(', ')} was stopped (${inputName('stop-task-on-cancel')}).`;
  const migration = ledger.app ? ledger.app.services.find((s) => s.record.migration)?.record.migration : ledger.migration;
  if (migration?.result === 'stopped' && parts.length === 0) {
    return `Migration task ${migration.taskArn} was stopped (${inputName('stop-migration-on-cancel')}); ${ledger.app ? 'no service was' : 'the service was not'} updated.`;
  }
  return parts.length ? `In flight: ${parts.join('; ')}.` : 'Nothing was in flight.';
}

export function describe(error: unknown): string {
  if (error instanceof InputError) return InputError.format(error.problems.map(spellProblem));
  if (error instanceof DeployError) return error.message;
  const e = error as { name?: string; message?: string };
  return `Unexpected ${e?.name ?? 'error'}: ${e?.message ?? String(error)}`;
}
