import { readCommand } from './inputs/command';
import { inWording } from './inputs/spelling';
import { VERBS } from './verbs/commands';
import { createClients, type AwsClients } from './aws/clients';
import { readWhereServicesAre } from './outcome/final-read';
import { sleep } from './aws/poll';
import { callsCancelWaitsFor } from './execute/changes';
import { Cancelled, InputError } from './shared/errors';
import { describe, exitCode, outcomeOf } from './outcome/outcome';
import type { Ledger } from './execute/ledger';
import type { FrontEnd } from './frontends/frontend';
import { resolve } from 'node:path';
import { INPUTS } from './inputs/schema';
import { inputName } from './inputs/spelling';
import { reportDocument, writeReportFile } from './outcome/report-file';
import { Secrets } from './shared/secrets';

/** How long a failed run's account may wait for its final read of where the services are. */
const FINAL_READ_MS = 5_000;
/** The runner sends SIGINT, then SIGTERM 7.5 s later: report what is in flight well before that. */
const CANCEL_GRACE_MS = 4_000;
/**
 * How much longer a cancel waits for the answer to a call whose result it must undo (a RunTask with
 * stop-migration-on-cancel): the runner kills the job 10 s after its SIGINT.
 */
const CANCEL_UNDO_MS = 4_000;

/** Runs one deploy through a front end; resolves to the exit code: 0 deployed, 1 failed, 2 bad input, 130/143 cancelled. */
export function run(frontEnd: FrontEnd, env: NodeJS.ProcessEnv): Promise<number> {
  return inWording({ spelling: frontEnd.spelling }, () => runInWording(frontEnd, env));
}

async function runInWording(frontEnd: FrontEnd, env: NodeJS.ProcessEnv): Promise<number> {
  let record: Ledger | undefined;
  const account: Account = { startedAt: new Date(), secrets: new Secrets() };
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancel.signal.aborted) return;
    cancel.abort(new Cancelled(signal));
    // Whatever the SDK is in the middle of, the report goes out in time.
    setTimeout(() => void reportCancelled().then((code) => process.exit(code)), CANCEL_GRACE_MS).unref();
  };
  let deploying: Promise<void> | undefined;
  /** A call whose answer starts something the cancel must stop is waited for a little longer (the deploy stops it and ends itself). */
  const reportCancelled = async () => {
    const waits = record ? callsCancelWaitsFor(record) : [];
    if (waits.length > 0 && deploying) {
      for (const call of waits) frontEnd.reporter.warn(call.cancelWaits!);
      await Promise.race([deploying.catch(() => undefined), sleep(CANCEL_UNDO_MS)]);
    }
    return finish(cancel.signal.reason);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  let aws: AwsClients | undefined;
  let finished: Promise<number> | undefined;
  const finish = (error?: unknown) => (finished ??= report(frontEnd, record, account, error));
  try {
    const command = readCommand(frontEnd.raw);
    account.verb = command;
    const started = await VERBS[command](frontEnd.raw, env);
    account.request = started.request;
    record = started.ledger;
    aws = createClients(started.region, env);
    deploying = started.execute({ reporter: frontEnd.reporter, aws, env, record, signal: cancel.signal, secrets: account.secrets });
    await deploying;
    return await finish();
  } catch (error) {
    if (cancel.signal.aborted) return finish(cancel.signal.reason);
    if (record && aws && !(error instanceof InputError)) await boundedFinalRead(record, aws);
    return finish(error);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Where the services are, read for a failed run's account; never holds the run (or its exit) up for longer than FINAL_READ_MS. */
async function boundedFinalRead(record: Ledger, aws: AwsClients): Promise<void> {
  const bound = new AbortController();
  await Promise.race([readWhereServicesAre(record, aws.ecs).catch(() => undefined), sleep(FINAL_READ_MS, bound.signal).catch(() => undefined)]);
  bound.abort();
}

/**
 * Reports the outcome; when even that fails, says so plainly. The deploy's outcome decides the exit code,
 * not the report's.
 */
async function report(frontEnd: FrontEnd, record: Ledger | undefined, account: Account, error?: unknown): Promise<number> {
  try {
    return await reportOutcome(frontEnd, record, account, error);
  } catch (failure) {
    const outcome = error ? `The deploy failed: ${describe(error)}` : 'The deploy itself completed.';
    process.stderr.write(`ecs-ship: warning: could not report the outcome (${(failure as Error)?.message ?? failure}). ${outcome}\n`);
    return error ? exitCode(error) : 0;
  }
}

async function reportOutcome(frontEnd: FrontEnd, record: Ledger | undefined, account: Account, error?: unknown): Promise<number> {
  const { code, message, outputs: fromLedger } = outcomeOf(record, error);
  const outputs = { ...fromLedger, ...writeReport(frontEnd, record ?? failedBeforeLedger(message!), account, code) };
  if (code === 0) await frontEnd.succeed(record!, outputs);
  else {
    await frontEnd.fail(message!, record, outputs);
    frontEnd.reporter.debug((error as Error)?.stack ?? String(error));
  }
  return code;
}

/** What the report file needs besides the ledger: when the run began, what it was asked, its secrets. */
interface Account {
  startedAt: Date;
  secrets: Secrets;
  verb?: string;
  request?: unknown;
}

/**
 * The JSON report (report-file, or the front end's default place), from the ledger the outcome was read
 * from: its path is the report-file output. One that cannot be written is a warning; the run's outcome
 * decides the exit code.
 */
function writeReport(frontEnd: FrontEnd, ledger: Ledger, account: Account, code: number): Record<string, string> {
  const given = (frontEnd.raw(INPUTS.find((spec) => spec.name === 'report-file')!) ?? '').trim();
  const path = given ? resolve(given) : frontEnd.defaultReportFile;
  if (!path) return {};
  const document = reportDocument(ledger, { verb: account.verb ?? 'unknown', startedAt: account.startedAt, endedAt: new Date(), exitCode: code, request: account.request });
  try {
    writeReportFile(path, document, account.secrets);
    return { 'report-file': path };
  } catch (failure) {
    frontEnd.reporter.warn(`Could not write the report to ${path} (${inputName('report-file')}): ${(failure as Error).message}. The log has the same account.`);
    return {};
  }
}

/** A run stopped before it had a ledger (its inputs could not be read): the report says so, with the message. */
function failedBeforeLedger(message: string): Ledger {
  return { cluster: '', service: '', region: '', outcome: 'failed', message, unanswered: [] };
}
