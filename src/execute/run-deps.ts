// What every step of a run works with, and the wrappers every phase goes through.
import type { AwsClients } from '../aws/clients';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';
import { stepFailure } from './step-failure';
import { redactingReporter, Secrets } from '../shared/secrets';

export interface DeployDeps {
  reporter: Reporter;
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  /** Filled in as the run goes; what the front end reports, even after a failure. */
  record: Ledger;
  signal?: AbortSignal;
  /** The run's secrets: what the run prints, and its report file, are redacted with them. */
  secrets?: Secrets;
}

/** Everything the run prints, and the error it throws, passes through the redaction of its secrets. */
export async function redacted(deps: DeployDeps, work: (deps: DeployDeps) => Promise<void>): Promise<void> {
  const secrets = deps.secrets ?? new Secrets();
  try {
    await work({ ...deps, reporter: redactingReporter(deps.reporter, secrets) });
  } catch (error) {
    throw secrets.redactError(error);
  }
}

/** A titled phase that, when AWS fails it, says which step failed, what AWS said and where the service is now. */
export function phaseOf(deps: Pick<DeployDeps, 'reporter' | 'record' | 'signal'>) {
  return <T>(title: string, work: () => Promise<T>): Promise<T> =>
    deps.reporter.phase(title, () => work().catch((error: unknown) => Promise.reject(deps.signal?.aborted ? error : stepFailure(title, error, deps.record))));
}
