// What continue, rollback and status share: a record per service (an app's, or the one service's), each
// service's own reporter, every service's problems found before any change, and one failure that names
// each service's.
import { sharedReads } from '../aws/shared-reads';
import { awsSaid } from '../aws/failed-call';
import { newLedger, type Ledger, type ServiceOutcome } from '../execute/ledger';
import { phaseOf, redacted, type DeployDeps } from '../execute/run-deps';
import { timedReporter } from '../execute/phase-reporters';
import { prefixedReporter } from '../request/voice';
import { preflight, type Target } from '../plan/preflight';
import type { Inputs } from '../inputs/parse';
import type { SteerRequest } from '../request/steer-request';
import { DeployError, InputError } from '../shared/errors';

export type SteerVerb = NonNullable<Ledger['verb']>;

/** One service a verb acts on. */
export interface SteerUnit {
  name: string;
  inputs: Inputs;
  record: Ledger;
  deps: DeployDeps;
  /** One of a config file's services (its lines carry its name), not the one service of the inputs. */
  inApp: boolean;
  /** The app's record, where the services' outcomes go. */
  appRecord?: Ledger;
  target?: Target;
}

/** The run's record: the app's with one per service, or the one service's. */
export function steerRecord(request: SteerRequest, env: NodeJS.ProcessEnv, verb: SteerVerb): Ledger {
  const { cluster, service, awsRegion } = request.shared;
  if (!request.file) return { ...newLedger(cluster, service, awsRegion, env), verb };
  const record = { ...newLedger(cluster, request.services.map((s) => s.inputs.service).join(', '), awsRegion, env), verb };
  const services = request.services.map(({ name, inputs }) => ({
    name,
    record: { ...newLedger(inputs.cluster, inputs.service, inputs.awsRegion, env), verb, unanswered: record.unanswered },
    outcome: 'not started' as const,
  }));
  record.app = { file: request.file, environment: request.environment, services, images: [], phases: [] };
  return record;
}

/** Runs a verb over its services with redacted output, shared reads, and a timeline for an app. */
export function steer(request: SteerRequest, given: DeployDeps, work: (units: SteerUnit[], phase: ReturnType<typeof phaseOf>) => Promise<void>): Promise<void> {
  return redacted(given, async (redactedDeps) => {
    const deps = { ...redactedDeps, aws: { ...redactedDeps.aws, ecs: sharedReads(redactedDeps.aws.ecs) } };
    const app = deps.record.app;
    const reporter = app ? timedReporter(deps.reporter, app) : deps.reporter;
    const units = request.services.map(({ name, inputs }, i): SteerUnit => {
      const record = app ? app.services[i].record : deps.record;
      return { name, inputs, record, inApp: app !== undefined, appRecord: app && deps.record, deps: { ...deps, record, reporter: app ? prefixedReporter(reporter, name) : reporter } };
    });
    await work(units, phaseOf({ ...deps, reporter }));
    // A cancel that came while the last step ran is the run's end, as it is a deploy's.
    deps.signal?.throwIfAborted();
  });
}

/**
 * Every service's cluster and service checked, then `check` for each (what the verb needs to find): all
 * their problems at once, named by service when there are several, before any change.
 */
export async function preflightAll<T>(units: SteerUnit[], check: (unit: SteerUnit & { target: Target }) => Promise<T>): Promise<T[]> {
  const results = await Promise.allSettled(
    units.map(async (unit) => {
      unit.target = await preflight(unit.deps.aws.ecs, unit.inputs.cluster, unit.inputs.service);
      unit.record.previousTaskDefinitionArn = unit.target.service.taskDefinition;
      return check(unit as SteerUnit & { target: Target });
    }),
  );
  const unexpected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected) throw unexpected.reason;
  const named = (unit: SteerUnit, problem: string) => (unit.inApp ? `${unit.name}: ${problem}` : problem);
  const problems = results.flatMap((r, i) => (r.status === 'rejected' ? (r.reason as InputError).problems.map((p) => named(units[i], p)) : []));
  if (problems.length > 0) throw new InputError(problems);
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Runs `act` for every service at once; the services' outcomes go into the app's record. One that fails
 * fails the run with each service's outcome; a single service's failure is the run's own.
 */
/** How one service ended: its outcome (the word of the services output) and, in a sentence, what became of it. */
export interface Acted {
  outcome: ServiceOutcome;
  said: string;
}

export async function actOnAll(units: SteerUnit[], act: (unit: SteerUnit) => Promise<Acted>, failedWord: string): Promise<void> {
  if (!units[0].inApp) {
    await act(units[0]);
    return;
  }
  const app = units[0].appRecord?.app;
  const results = await Promise.allSettled(units.map(act));
  if (units[0].deps.signal?.aborted) throw units[0].deps.signal.reason;
  const lines = results.map((result, i) => {
    const entry = app?.services[i];
    if (result.status === 'fulfilled') {
      if (entry) entry.outcome = result.value.outcome;
      return `- ${units[i].name}: ${result.value.said}`;
    }
    const why = result.reason instanceof DeployError || result.reason instanceof InputError ? result.reason.message : `Unexpected error: ${awsSaid(result.reason)}`;
    if (entry) {
      entry.outcome = 'failed';
      entry.why = why;
    }
    return `- ${units[i].name}: failed: ${why}`;
  });
  const failed = results.map((r, i) => (r.status === 'rejected' ? units[i].name : '')).filter(Boolean);
  if (failed.length > 0) throw new DeployError([`${failedWord}: ${failed.join(', ')} failed.`, ...lines].join('\n'));
}
