// The steps of deploying one service, after its preflight; a one-service deploy and a whole app compose them.
import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { showPlan } from '../plan/print-plan';
import { asRendered, type KnownRevision } from '../plan/known-revision';
import { runMigration, waitForOtherMigrations } from './migrate';
import { describeDefinition, migrationContainer, renderDefinition } from '../plan/render-definition';
import type { NamedContainer } from '../taskdef/types';
import type { Target } from '../plan/preflight';
import { withImages, type PreparedService } from '../plan/plan-service';
import { familyOf, revisionKey, type InUseRevision } from '../plan/prune-selection';
import { pruneRevisions, showPrunePlan } from './prune';
import type { Ledger } from './ledger';
import { registerOrReuse, type Registration } from './register';
import type { Reporter } from '../shared/reporter';
import type { RolloutRequest } from './deployment/rollout-request';
import { pointScheduledTasks } from './scheduled-tasks';
import { scheduledTasksRunning, type ScheduledTask } from '../plan/scheduled-task-lookup';
import type { ServiceWatcher } from './deployment/service-watcher';

export interface StepDeps {
  reporter: Reporter;
  aws: AwsClients;
  record: Ledger;
  signal?: AbortSignal;
}

export const MINUTE = 60_000;
/** How long to wait for someone else's deployment, or for a rollback, to settle. */
const SETTLE_LIMIT_MINUTES = 10;

/** The revision to deploy, and the container the migration overrides (undefined: no migration). */
export interface Revision {
  registration: Registration;
  container?: NamedContainer;
}

/** The dry run's plan: the diff, the steps, and what keep-revisions would deregister. */
export async function showServicePlan(prepared: PreparedService, inputs: Inputs, deps: StepDeps): Promise<void> {
  const { plan, target, base, preview, verification, known, scheduled } = prepared;
  const { aws, reporter } = deps;
  const running = plan.template || known ? await describeDefinition(aws.ecs, target.service.taskDefinition) : base;
  const { reuse: deploys, changes } = await showPlan({ ecs: aws.ecs, reporter, inputs, target, running, ...preview, plan, verified: verification?.rows, known: known?.arn, scheduledTasks: scheduled });
  deps.record.planned = changes;
  if (inputs.keepRevisions === 0) return;
  const family = preview.definition.family!;
  const alsoInUse = await scheduledRevisions(scheduled, family, target, deps);
  const prune = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, rollbackTarget: target.service.taskDefinition, alsoInUse };
  if (!alsoInUse) return;
  const deregister = await showPrunePlan({ ...prune, deployed: deploys, newRevisionPending: !deploys }, { ecs: aws.ecs, reporter });
  changes.push(...deregister.map((arn) => ({ service: target.service.serviceName, action: 'DeregisterTaskDefinition' as const, target: revisionKey(arn) })));
}

/** Renders the definition with the image (and a whole app's other images), then registers it, or reuses an identical revision. */
export async function registerRevision(prepared: PreparedService, inputs: Inputs, image: { reference: string; placeholders?: Record<string, string> }, deps: StepDeps): Promise<Revision> {
  const { record, reporter } = deps;
  const plan = withImages(prepared.plan, image.placeholders ?? {}, prepared.plan.images?.own);
  const rendered = renderDefinition(prepared.base, plan, inputs, prepared.target, image.reference);
  const container = migrationContainer(rendered, plan, inputs);
  const registration = await registerOrReuse(deps.aws.ecs, rendered.definition, reporter, record);
  record.taskDefinitionArn = registration.arn;
  record.registered = registration.registered;
  recordRegisteredImage(record, registration, rendered.imageContainers, reporter);
  return { registration, container };
}

/** A given revision is deployed as ECS has it: the report names the image of the container that would get one. */
export function knownRevision(prepared: PreparedService, inputs: Inputs, record: Ledger): Revision {
  const known = prepared.known as KnownRevision;
  const [container] = asRendered(known).imageContainers;
  const images = Object.fromEntries((known.definition.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image]));
  record.taskDefinitionArn = known.arn;
  record.registered = false;
  record.taskDefinitionGiven = true;
  record.redeployed = inputs.redeploy || undefined;
  record.imageContainers = [container];
  record.image = images[container];
  record.imageDigest = record.image?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
  record.imageBuilt = false;
  return { registration: { arn: known.arn, registered: false, images }, container: prepared.preview.container };
}

/** What the report says was deployed is what the registered revision runs, as ECS has it. */
function recordRegisteredImage(record: Ledger, registration: Registration, containers: string[], reporter: Reporter): void {
  const [first] = containers;
  const runs = registration.images[first];
  record.imageContainers = containers;
  if (runs === record.image) return;
  reporter.warn(`${registration.arn} runs ${runs ?? 'no image'} in container "${first}", not ${record.image}.`);
  record.image = runs;
  record.imageDigest = runs?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
}

export function settleTimeoutMs(inputs: Inputs): number {
  return Math.min(inputs.waitTimeoutMinutes, SETTLE_LIMIT_MINUTES) * MINUTE;
}

/** The migration, with the new revision, in the service's network; skipped on a re-run of what is deployed. */
export async function migrate(target: Target, revision: Revision & { container: NamedContainer }, inputs: Inputs, watcher: ServiceWatcher, deps: StepDeps & { command: string[] }): Promise<void> {
  const { registration, container } = revision;
  if (registration.arn === target.service.taskDefinition && !inputs.forceNewDeployment) {
    deps.reporter.info(`The service already runs ${registration.arn}: the migration is skipped (it ran when that revision was deployed; ${inputName('force-new-deployment')} runs it again).`);
    deps.record.migration = { result: 'skipped' };
    return;
  }
  // Never migrate the schema under someone else's rollout: the update that follows would have to wait for it, or refuse.
  await waitForOtherMigrations(target, settleTimeoutMs(inputs), { ecs: deps.aws.ecs, reporter: deps.reporter, signal: deps.signal });
  await watcher.waitForOthers(settleTimeoutMs(inputs), 'migration');
  const request = {
    taskDefinitionArn: registration.arn,
    command: deps.command,
    container,
    timeoutMs: inputs.migrationTimeoutMinutes * MINUTE,
    stopOnCancel: inputs.stopMigrationOnCancel,
  };
  await runMigration(target, request, { ecs: deps.aws.ecs, logs: deps.aws.logs, reporter: deps.reporter, record: deps.record, signal: deps.signal });
}

export function rolloutRequest(inputs: Inputs, taskDefinitionArn: string): RolloutRequest {
  return {
    taskDefinitionArn,
    forceNewDeployment: inputs.forceNewDeployment || inputs.redeploy,
    wait: inputs.wait,
    timeoutMs: inputs.waitTimeoutMinutes * MINUTE,
    maxTaskFailures: inputs.maxTaskFailures,
    rollback: inputs.rollback,
    bakeMs: inputs.bakeMinutes * MINUTE,
    settleTimeoutMs: settleTimeoutMs(inputs),
  };
}

/**
 * After a successful rollout: scheduled tasks follow the new revision; keep-revisions prunes the family,
 * keeping `alsoInUse` too (in a whole app: what each of its services runs and would roll back to).
 */
export async function afterRollout(
  prepared: PreparedService,
  inputs: Inputs,
  arn: string,
  deps: StepDeps & { phase: <T>(title: string, work: () => Promise<T>) => Promise<T> },
  alsoInUse: InUseRevision[] = [],
): Promise<void> {
  const { scheduled, target } = prepared;
  // Only after a successful rollout: a failed one leaves them where they were, on the revision rolled back to.
  if (scheduled) await deps.phase('Scheduled tasks', () => pointScheduledTasks(scheduled, arn, deps));
  if (inputs.keepRevisions === 0) return;
  const family = familyOf(arn)!;
  await deps.reporter.phase('Revisions', async () => {
    const scheduledUse = await scheduledRevisions(scheduled, family, target, deps);
    if (!scheduledUse) return;
    const prune = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, deployed: arn, rollbackTarget: target.service.taskDefinition, alsoInUse: [...scheduledUse, ...alsoInUse] };
    await pruneRevisions(prune, { ecs: deps.aws.ecs, reporter: deps.reporter, record: deps.record, signal: deps.signal });
  });
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
