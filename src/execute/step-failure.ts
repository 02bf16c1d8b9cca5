import { credentialRefusal } from '../aws/credential-errors';
import { awsSaid } from '../aws/failed-call';
import { whereNow } from './changes';
import { DeployError, InputError } from '../shared/errors';
import type { Ledger } from './ledger';

/** How to give ecs-ship credentials, on every platform it runs on. */
const NO_CREDENTIALS =
  'No AWS credentials were found, so nothing was changed. Provide them in one of the usual ways: the environment ' +
  '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN for temporary credentials), a profile ' +
  '(AWS_PROFILE naming one in ~/.aws/config or ~/.aws/credentials, SSO included), or OIDC: on GitHub, ' +
  'aws-actions/configure-aws-credentials with role-to-assume and `permissions: id-token: write`; on Bitbucket, ' +
  'AWS_OIDC_ROLE_ARN on a step with `oidc: true`.';

function isMissingCredentials(error: unknown): boolean {
  return (error as { name?: string })?.name === 'CredentialsProviderError';
}

/**
 * An error a step did not expect (an AWS error, a dropped connection) as the README promises it: which
 * step failed, what AWS said, and where the service is now. Errors that already say so pass through.
 */
export function stepFailure(step: string, error: unknown, record: Ledger): unknown {
  if (error instanceof InputError || error instanceof DeployError) return error;
  // Before the first change, missing credentials are a usage problem (exit 2): nothing was done.
  if (step === 'Preflight' && isMissingCredentials(error)) return new InputError([`${NO_CREDENTIALS} (AWS SDK: ${(error as Error).message})`]);
  // So are credentials AWS refuses: the run stops at its first call, before any change.
  const refusal = step === 'Preflight' ? credentialRefusal(error) : undefined;
  if (refusal) return new InputError([`${refusal} Nothing was changed.`]);
  return new DeployError(`${step} failed: ${awsSaid(error)}. ${whereNow(record)}`);
}
