import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { showPlan } from './dry-run';
import { DeployError } from './errors';
import { checkInputs } from './check-inputs';
import { prepareImage } from './image';
import { asRendered, describeKnownRevision, noteFamily, type KnownRevision } from './known-revision';
import { familyOf, type InUseRevision } from './prune-selection';
import { pruneRevisions, showPrunePlan } from './prune';
import { runMigration } from './migrate';
import { baseDefinition, describeDefinition, migrationContainer, Problems, renderDefinition, type Definition, type NamedContainer, type Plan } from './plan';
import { preflight, type Target } from './preflight';
import type { RunRecord } from './record';
import { registerOrReuse, type Registration } from './register';
import type { Reporter } from './reporter';
import { rollOut } from './rollout';
import { findScheduledTasks, pointScheduledTasks, readScheduledTasksInput, scheduledTasksRunning, type ScheduledTask } from './scheduled-tasks';
import { ServiceWatcher } from './service-watcher';
import { stepFailure } from './step-failure';
import { announceStrategy } from './strategy';
import { MIN_SECRET_LENGTH, redactingReporter, Secrets } from './secrets';
import { accountAndRegionOf, judgeVerification, verifyDefinition, type Verification } from './verify';

export interface DeployDeps {
  reporter: Reporter;
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  /** Filled in as the run goes; what the front end reports, even after a failure. */
  record: RunRecord;
  signal?: AbortSignal;
}

const MINUTE = 60_000;
/** How long to wait for someone else's deployment, or for a rollback, to settle. */
const SETTLE_LIMIT_MINUTES = 10;

/** Everything the run prints, and the error it throws, passes through the redaction of its secrets. */
export async function deploy(inputs: Inputs, deps: DeployDeps): Promise<void> {
  const secrets = new Secrets();
  try {
    await deployRedacted(inputs, { ...deps, reporter: redactingReporter(deps.reporter, secrets) });
  } catch (error) {
    throw secrets.redactError(error);
  }
}

async function deployRedacted(inputs: Inputs, deps: DeployDeps): Promise<void> {
  const { reporter, aws, env, record, signal } = deps;
  /** A titled phase that, when AWS fails it, says which step failed, what AWS said and where the service is now. */
  const phase = <T>(title: string, work: () => Promise<T>): Promise<T> =>
    reporter.phase(title, () => work().catch((error: unknown) => Promise.reject(signal?.aborted ? error : stepFailure(title, error, record))));
  const { plan, target, base, image, preview, verification, known, scheduled } = await phase('Preflight', async () => {
    const problems = new Problems();
    const { plan, image } = await checkInputs(inputs, env, problems);
    const selection = await problems.attempt(() => readScheduledTasksInput(inputs.scheduledTasks));
    for (const { name, value } of plan.secretVars) {
      reporter.secret(value);
      if (value.length < MIN_SECRET_LENGTH) reporter.warn(`${inputName('secret-vars')}: the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters, too short to be masked.`);
    }
    // What the inputs alone say is wrong stops the run before any AWS call.
    problems.throwIfAny();
    const target = await problems.attempt(() => preflight(aws.ecs, inputs.cluster, inputs.service));
    const known = inputs.taskDefinitionArn ? await problems.attempt(() => describeKnownRevision(aws.ecs, inputs.taskDefinitionArn)) : undefined;
    const base = inputs.taskDefinitionArn ? known?.definition : await baseDefinition(plan, target, aws.ecs);
    // Rendered with the image as given: what a dry run shows; a real run renders again with the built image.
    const preview = base && (await problems.attempt(() => (known ? knownPreview(known, plan, inputs) : renderPreview(base, plan, inputs, target))));
    // Named scheduled tasks that are not there are input errors, reported with the others before any change.
    const scheduled = selection && target && preview ? await problems.attempt(() => findScheduledTasks(selection, preview.definition.family!, target.clusterArn, { aws, reporter })) : undefined;
    problems.throwIfAny();
    reporter.info(`Service ${target!.service.serviceName} runs ${target!.service.taskDefinition}`);
    announceStrategy(target!.service.deploymentConfiguration, { wait: inputs.wait, timeoutMinutes: inputs.waitTimeoutMinutes }, reporter);
    if (known) noteFamily(known, target!, reporter);
    const verification = inputs.verify ? await verify(preview!, inputs, target!, aws, reporter) : undefined;
    return { plan, target: target!, base: base!, image, preview: preview!, verification, known, scheduled };
  });
  record.previousTaskDefinitionArn = target.service.taskDefinition;
  const watcher = new ServiceWatcher(target, { ecs: aws.ecs, reporter, record, signal });

  if (inputs.dryRun) {
    await phase('Plan (dry run: nothing is changed)', async () => {
      const running = plan.template || known ? await describeDefinition(aws.ecs, target.service.taskDefinition) : base;
      const deploys = await showPlan({ ecs: aws.ecs, reporter, inputs, target, running, ...preview, plan, verified: verification?.rows, known: known?.arn, scheduledTasks: scheduled });
      if (inputs.keepRevisions > 0) {
        const family = preview.definition.family!;
        const alsoInUse = await scheduledRevisions(scheduled, family, target, { aws, reporter });
        const prune = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, rollbackTarget: target.service.taskDefinition, alsoInUse };
        if (alsoInUse) await showPrunePlan({ ...prune, deployed: deploys, newRevisionPending: !deploys }, { ecs: aws.ecs, reporter });
      }
    });
    record.outcome = 'planned';
    return;
  }

  // A cancel that arrives while a step runs stops the run before the next step changes anything.
  signal?.throwIfAborted();
  let registration: Registration;
  let container: NamedContainer | undefined;
  if (known) {
    registration = knownRegistration(known, record);
    container = preview.container;
  } else {
    const built = await phase('Image', async () =>
      prepareImage(image, { ecr: await aws.ecr(), reporter, env, region: aws.region, accountId: unknownAccount, signal }),
    );
    record.image = built.reference;
    record.imageDigest = built.digest;
    record.imageBuilt = built.built;
    const rendered = renderDefinition(base, plan, inputs, target, built.reference);
    container = migrationContainer(rendered, plan, inputs);

    signal?.throwIfAborted();
    registration = await phase('Task definition', () => registerOrReuse(aws.ecs, rendered.definition, reporter, record));
    record.taskDefinitionArn = registration.arn;
    record.registered = registration.registered;
    recordRegisteredImage(record, registration, rendered.imageContainers, reporter);
  }

  const settleTimeoutMs = Math.min(inputs.waitTimeoutMinutes, SETTLE_LIMIT_MINUTES) * MINUTE;
  if (container) {
    const request = {
      taskDefinitionArn: registration.arn,
      command: plan.migrationCommand,
      container,
      timeoutMs: inputs.migrationTimeoutMinutes * MINUTE,
      stopOnCancel: inputs.stopMigrationOnCancel,
    };
    await phase('Migration', async () => {
      // A re-run of what is deployed: the migration ran when this revision was deployed.
      if (registration.arn === target.service.taskDefinition && !inputs.forceNewDeployment) {
        reporter.info(`The service already runs ${registration.arn}: the migration is skipped (it ran when that revision was deployed; ${inputName('force-new-deployment')} runs it again).`);
        record.migration = { result: 'skipped' };
        return;
      }
      // Never migrate the schema under someone else's rollout: the update that follows would have to wait for it, or refuse.
      await watcher.waitForOthers(settleTimeoutMs, 'migration');
      await runMigration(target, request, { ecs: aws.ecs, logs: aws.logs, reporter, record, signal });
    });
  }

  const rollout = {
    taskDefinitionArn: registration.arn,
    forceNewDeployment: inputs.forceNewDeployment,
    wait: inputs.wait,
    timeoutMs: inputs.waitTimeoutMinutes * MINUTE,
    maxTaskFailures: inputs.maxTaskFailures,
    rollback: inputs.rollback,
    bakeMs: inputs.bakeMinutes * MINUTE,
    settleTimeoutMs,
  };
  await phase('Rollout', () => rollOut(target, rollout, { ecs: aws.ecs, cloudWatch: aws.cloudWatch, reporter, record, watcher, signal }));
  // Only after a successful rollout: a failed one leaves them where they were, on the revision rolled back to.
  if (scheduled) await phase('Scheduled tasks', () => pointScheduledTasks(scheduled, registration.arn, { aws, reporter, record }));
  record.outcome = 'deployed';

  if (inputs.keepRevisions > 0) {
    const family = familyOf(registration.arn)!;
    await reporter.phase('Revisions', async () => {
      const alsoInUse = await scheduledRevisions(scheduled, family, target, { aws, reporter });
      if (!alsoInUse) return;
      const prune = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, deployed: registration.arn, rollbackTarget: target.service.taskDefinition, alsoInUse };
      await pruneRevisions(prune, { ecs: aws.ecs, reporter, record, signal });
    });
  }
}

/**
 * The revisions scheduled tasks run, which pruning keeps: those found in Preflight (now pointed at the
 * deployed one), or else looked up now. Undefined, and said why, when they cannot be looked up: then
 * nothing is deregistered, as a revision a schedule runs may be among the old ones.
 */
async function scheduledRevisions(scheduled: ScheduledTask[] | undefined, family: string, target: Target, deps: { aws: AwsClients; reporter: Reporter }): Promise<InUseRevision[] | undefined> {
  const why = (task: ScheduledTask) => `${task.kind === 'rule' ? 'EventBridge rule' : 'Scheduler schedule'} ${task.name} runs it`;
  if (scheduled) return scheduled.map((task) => ({ arn: task.taskDefinitionArn, why: why(task) }));
  try {
    const found = await scheduledTasksRunning(family, target.clusterArn, deps);
    return found.map((task) => ({ arn: task.taskDefinitionArn, why: why(task) }));
  } catch (error) {
    deps.reporter.warn(`${inputName('keep-revisions')}: the scheduled tasks that may run family "${family}" could not be looked up (${awsSaid(error)}); no revision is deregistered.`);
    return undefined;
  }
}

function renderPreview(base: Definition, plan: Plan, inputs: Inputs, target: Target | undefined) {
  const rendered = renderDefinition(base, plan, inputs, target, inputs.image);
  return { definition: rendered.definition, container: migrationContainer(rendered, plan, inputs), imageContainers: rendered.imageContainers };
}

function knownPreview(known: KnownRevision, plan: Plan, inputs: Inputs): ReturnType<typeof renderPreview> {
  const rendered = asRendered(known);
  return { ...rendered, container: migrationContainer(rendered, plan, inputs) };
}

/** A given revision is deployed as ECS has it: the report names the image of the container that would get one. */
function knownRegistration(known: KnownRevision, record: RunRecord): Registration {
  const [container] = asRendered(known).imageContainers;
  const images = Object.fromEntries((known.definition.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image]));
  record.taskDefinitionArn = known.arn;
  record.registered = false;
  record.taskDefinitionGiven = true;
  record.imageContainers = [container];
  record.image = images[container];
  record.imageDigest = record.image?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
  record.imageBuilt = false;
  return { arn: known.arn, registered: false, images };
}

/** Looks up what the rendered definition refers to; the containers this run builds an image for are not looked up. */
async function verify(preview: ReturnType<typeof renderPreview>, inputs: Inputs, target: Target, aws: AwsClients, reporter: Reporter): Promise<Verification> {
  const builtContainers = inputs.build && !inputs.taskDefinitionArn ? preview.imageContainers : [];
  const verification = await verifyDefinition(preview.definition, { aws, ...accountAndRegionOf(target.clusterArn), builtContainers });
  judgeVerification(verification, reporter);
  return verification;
}

/** What the report says was deployed is what the registered revision runs, as ECS has it. */
function recordRegisteredImage(record: RunRecord, registration: Registration, containers: string[], reporter: Reporter): void {
  const [first] = containers;
  const runs = registration.images[first];
  record.imageContainers = containers;
  if (runs === record.image) return;
  reporter.warn(`${registration.arn} runs ${runs ?? 'no image'} in container "${first}", not ${record.image}.`);
  record.image = runs;
  record.imageDigest = runs?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
}

async function unknownAccount(): Promise<string> {
  throw new DeployError('image: ECR returned no registry address for this account; give image as a full registry/repository URI.');
}
