import type { AwsClients } from '../aws/clients';
import type { Inputs } from '../inputs/parse';
import { DeployError } from './errors';
import { prepareImage } from './image';
import { prepareService } from './prepare-service';
import type { RunRecord } from './record';
import type { Reporter } from './reporter';
import { rollOut } from './rollout';
import { ServiceWatcher } from './service-watcher';
import { afterRollout, knownRevision, migrate, registerRevision, rolloutRequest, showServicePlan, type Revision } from './service-steps';
import { stepFailure } from './step-failure';
import { redactingReporter, Secrets } from './secrets';

export interface DeployDeps {
  reporter: Reporter;
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  /** Filled in as the run goes; what the front end reports, even after a failure. */
  record: RunRecord;
  signal?: AbortSignal;
}

export function deploy(inputs: Inputs, deps: DeployDeps): Promise<void> {
  return redacted(deps, (redactedDeps) => deployRedacted(inputs, redactedDeps));
}

/** Everything the run prints, and the error it throws, passes through the redaction of its secrets. */
export async function redacted(deps: DeployDeps, work: (deps: DeployDeps) => Promise<void>): Promise<void> {
  const secrets = new Secrets();
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

async function deployRedacted(inputs: Inputs, deps: DeployDeps): Promise<void> {
  const { reporter, aws, env, record, signal } = deps;
  const phase = phaseOf(deps);
  const prepared = await phase('Preflight', () => prepareService(inputs, deps));
  const { target, known } = prepared;
  record.previousTaskDefinitionArn = target.service.taskDefinition;
  const watcher = new ServiceWatcher(target, { ecs: aws.ecs, reporter, record, signal });

  if (inputs.dryRun) {
    await phase('Plan (dry run: nothing is changed)', () => showServicePlan(prepared, inputs, deps));
    record.outcome = 'planned';
    return;
  }

  // A cancel that arrives while a step runs stops the run before the next step changes anything.
  signal?.throwIfAborted();
  let revision: Revision;
  if (known) {
    revision = knownRevision(prepared, inputs, record);
  } else {
    const built = await phase('Image', async () =>
      prepareImage(prepared.image, { ecr: await aws.ecr(), reporter, env, region: aws.region, accountId: unknownAccount, signal }),
    );
    record.image = built.reference;
    record.imageDigest = built.digest;
    record.imageBuilt = built.built;
    signal?.throwIfAborted();
    revision = await phase('Task definition', () => registerRevision(prepared, inputs, { reference: built.reference }, deps));
  }

  const { container } = revision;
  if (container) await phase('Migration', () => migrate(target, { ...revision, container }, inputs, watcher, { ...deps, command: prepared.plan.migrationCommand }));

  const arn = revision.registration.arn;
  await phase('Rollout', () => rollOut(target, rolloutRequest(inputs, arn), { ecs: aws.ecs, cloudWatch: aws.cloudWatch, reporter, record, watcher, signal }));
  await afterRollout(prepared, inputs, arn, { ...deps, phase });
  record.outcome = 'deployed';
}

export async function unknownAccount(): Promise<string> {
  throw new DeployError('image: ECR returned no registry address for this account; give image as a full registry/repository URI.');
}
