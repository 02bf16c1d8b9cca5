// The plan of a deploy, computed once from the request and what AWS has now: the images to build or
// reuse, for each service the revision it will run (given, reused or registered: rendered here) and
// whether it is migrated and updated, and the housekeeping after. The dry run prints it; a real run
// carries it out (execute/).
import type { AwsClients } from '../aws/clients';
import { imagePlaceholder } from '../config/app-config';
import type { Inputs } from '../inputs/parse';
import type { App, AppService } from '../request/read-request';
import type { Voice } from '../request/voice';
import { InputError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import type { Definition, NamedContainer } from '../taskdef/types';
import { planImage, unknownAccount, type ImagePlan } from './image-plan';
import { latestRevision } from './latest-revision';
import { sameTaskDefinition } from '../taskdef/normalise';
import type { PlannedChange } from './planned-change';
import { revisionKey } from './prune-selection';
import { previewPrune, type PrunePreview } from './prune-plan';
import { describeDefinition, migrationContainer, renderDefinition } from './render-definition';
import { scheduledTasksRunning, type ScheduledTask } from './scheduled-task-lookup';
import { taskDefinitionOf } from './scheduled-task-names';
import { preflightService, withImages, type ServicePreflight } from './service-preflight';
import { awsSaid } from '../aws/failed-call';
import { inputName } from '../inputs/spelling';

/** An image of the run (a config file's by its key; the single service's by the service's name), and what the run does for it. */
export interface PlannedImage {
  name: string;
  /** `IMAGE_<NAME>` in a config file's templates. */
  placeholder?: string;
  plan: ImagePlan;
}

/** The revision a service will run. */
export type RevisionPlan =
  /** Given (task-definition-arn), or the one it runs (redeploy): deployed as ECS has it. */
  | { kind: 'known'; arn: string }
  /** The family's latest ACTIVE revision equals what would be registered. */
  | { kind: 'reuse'; arn: string; definition: Definition; imageContainers: string[] }
  /** A new revision; `awaitsBuild`: it refers to an image this run builds, so its digest is filled in once built. */
  | { kind: 'register'; definition: Definition; imageContainers: string[]; awaitsBuild: boolean };

export interface ServicePlan {
  service: AppService;
  inputs: Inputs;
  preflight: ServicePreflight;
  revision: RevisionPlan;
  /** The service's own image (its `${IMAGE}`), when the run has one for it. */
  image?: PlannedImage;
  /** Set on the migration's service: the container whose command the migration overrides. */
  migrationContainer?: NamedContainer;
  /** The migration runs with this service's revision (it is the migration's service, and the revision is new to it or forced). */
  migrate: boolean;
  /** UpdateService: the revision is new to the service, or a new deployment is forced. */
  update: boolean;
  /** The scheduled tasks that a successful rollout points at the revision. */
  scheduledMoves: ScheduledTask[];
  /** Dry run: the definition the service runs now, for the diff, and what keep-revisions would deregister. */
  preview?: { running: Definition; prune?: PrunePreview };
  /** The changes a real run makes for this service, in order. */
  changes: PlannedChange[];
}

export interface DeployPlan {
  dryRun: boolean;
  /** Each image a service uses, in dependency order (each after those it uses). */
  images: PlannedImage[];
  services: ServicePlan[];
  /** The changes of the whole run, in the order a real run makes them (registrations first). */
  changes: PlannedChange[];
}

/** What a service's planning works with: its own reporter (prefixed in a whole app). */
export interface PlanUnit {
  service: AppService;
  reporter: Reporter;
}

export interface PlanDeps {
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  signal?: AbortSignal;
}

const CHANGE_ORDER: Array<PlannedChange['action']> = ['RegisterTaskDefinition', 'RunTask', 'UpdateService', 'PutTargets', 'UpdateSchedule', 'DeregisterTaskDefinition', 'BatchDeleteImage'];

/** Preflight of every service (every problem of all of them at once), then the images, then each service's decisions. */
export async function planDeploy(app: App, units: PlanUnit[], deps: PlanDeps, voice: Voice): Promise<DeployPlan> {
  const preflights = await preflightAll(app, units, deps, voice);
  const images = await planImages(app, preflights, deps, voice);
  const services = await Promise.all(units.map((unit, i) => planService(app, unit, preflights[i], images, deps)));
  const changes = services.flatMap((s) => s.changes).sort((a, b) => CHANGE_ORDER.indexOf(a.action) - CHANGE_ORDER.indexOf(b.action));
  return { dryRun: app.shared.dryRun, images, services, changes };
}

/** Together, so that their reads of ECS are shared; every problem of every service is reported at once. */
async function preflightAll(app: App, units: PlanUnit[], deps: PlanDeps, voice: Voice): Promise<ServicePreflight[]> {
  const placeholders = Object.fromEntries(app.images.map((image) => [image.placeholder, image.request.image]));
  const built = app.images.filter((image) => image.request.build).map((image) => image.request.image);
  const results = await Promise.allSettled(
    units.map(({ service, reporter }) =>
      preflightService(service.inputs, { aws: deps.aws, env: deps.env, reporter }, { placeholders, built, own: service.image && imagePlaceholder(service.image) }),
    ),
  );
  const unexpected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected) throw unexpected.reason;
  const problems = results.flatMap((r, i) => (r.status === 'rejected' ? (r.reason as InputError).problems.map((problem) => voice.named(units[i].service.name, problem)) : []));
  if (problems.length > 0) throw new InputError(problems);
  return results.map((r) => (r as PromiseFulfilledResult<ServicePreflight>).value);
}

/**
 * Each image the services use, once: the single service's own (by its name), or a config file's images the
 * services' definitions refer to and those they are built from, in dependency order.
 */
async function planImages(app: App, preflights: ServicePreflight[], deps: PlanDeps, voice: Voice): Promise<PlannedImage[]> {
  const imageDeps = async () => ({ ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal });
  if (voice.single) {
    const [preflight] = preflights;
    return preflight.known ? [] : [{ name: app.services[0].name, plan: await planImage(preflight.image, await imageDeps()) }];
  }
  const needed = imagesUsed(app, preflights);
  const planned: PlannedImage[] = [];
  for (const image of app.images.filter((i) => needed.has(i.name))) {
    planned.push({ name: image.name, placeholder: image.placeholder, plan: await planImage(image.request, await imageDeps()) });
  }
  return planned;
}

/** The services' own images, the images their definitions refer to, and the images those are built from. */
function imagesUsed(app: App, preflights: ServicePreflight[]): Set<string> {
  const used = new Set<string>();
  const add = (name: string) => {
    if (used.has(name)) return;
    used.add(name);
    for (const other of app.images.find((i) => i.name === name)?.uses ?? []) add(other);
  };
  app.services.forEach((service, i) => {
    const preflight = preflights[i];
    if (preflight.known) return;
    if (service.image) add(service.image);
    const inDefinition = new Set((preflight.preview.definition.containerDefinitions ?? []).map((c) => c.image));
    for (const image of app.images) if (inDefinition.has(image.request.image)) add(image.name);
  });
  return used;
}

/** The reference a definition gets for an image: the input as is, the reused digest, or (to be built) the commit's tag until its digest is known. */
export function plannedReference(image: ImagePlan): string {
  return image.kind === 'build' ? image.tagged : image.reference;
}

async function planService(app: App, unit: PlanUnit, preflight: ServicePreflight, images: PlannedImage[], deps: PlanDeps): Promise<ServicePlan> {
  const { service } = unit;
  const { inputs } = service;
  const own = images.find((image) => image.name === (app.file === undefined ? service.name : service.image));
  const revision = await planRevision(preflight, inputs, own, images, deps);
  const arn = revision.kind === 'register' ? undefined : revision.arn;
  const update = arn !== preflight.target.service.taskDefinition || inputs.forceNewDeployment || inputs.redeploy;
  const container = app.migration === service.name ? migrationContainerOf(preflight, revision, inputs) : undefined;
  const scheduledMoves = (preflight.scheduled ?? []).filter((task) => taskDefinitionOf(task.taskDefinitionArn).revision !== undefined && task.taskDefinitionArn !== arn);
  const plan: ServicePlan = { service, inputs, preflight, revision, image: own, migrationContainer: container, migrate: container !== undefined && update, update, scheduledMoves, changes: [] };
  if (app.shared.dryRun) plan.preview = await dryRunPreview(plan, deps, unit.reporter);
  plan.changes = changesOf(plan);
  return plan;
}

/** The known revision as it is; else the definition rendered with the planned images, reused when the family's latest revision equals it. */
async function planRevision(preflight: ServicePreflight, inputs: Inputs, own: PlannedImage | undefined, images: PlannedImage[], deps: PlanDeps): Promise<RevisionPlan> {
  if (preflight.known) return { kind: 'known', arn: preflight.known.arn };
  const placeholders = Object.fromEntries(images.filter((i) => i.placeholder).map((i) => [i.placeholder!, plannedReference(i.plan)]));
  const parsed = withImages(preflight.parsed, placeholders, preflight.parsed.images?.own);
  const { definition, imageContainers } = renderDefinition(preflight.base, parsed, inputs, preflight.target, own ? plannedReference(own.plan) : inputs.image);
  const toBuild = new Set(images.filter((i) => i.plan.kind === 'build').map((i) => plannedReference(i.plan)));
  const awaitsBuild = (definition.containerDefinitions ?? []).some((c) => c.image !== undefined && toBuild.has(c.image));
  if (awaitsBuild) return { kind: 'register', definition, imageContainers, awaitsBuild };
  const latest = await latestRevision(deps.aws.ecs, definition.family!);
  if (latest && sameTaskDefinition(latest.definition, definition)) return { kind: 'reuse', arn: latest.arn, definition, imageContainers };
  return { kind: 'register', definition, imageContainers, awaitsBuild };
}

function migrationContainerOf(preflight: ServicePreflight, revision: RevisionPlan, inputs: Inputs): NamedContainer | undefined {
  if (revision.kind === 'known') return preflight.preview.container;
  return migrationContainer({ definition: revision.definition, imageContainers: revision.imageContainers }, preflight.parsed, inputs);
}

/** In order: the registration, the migration, the update, the scheduled tasks, and (dry run) the revisions keep-revisions would deregister. */
function changesOf(plan: ServicePlan): PlannedChange[] {
  const service = plan.preflight.target.service.serviceName!;
  const { revision } = plan;
  const moving = plan.scheduledMoves;
  const rules = [...new Set(moving.filter((task) => task.kind === 'rule').map((task) => task.name))];
  return [
    ...(revision.kind === 'register' ? [{ service, action: 'RegisterTaskDefinition' as const, target: `family ${revision.definition.family}` }] : []),
    ...(plan.migrate ? [{ service, action: 'RunTask' as const, target: `the migration in container ${plan.migrationContainer!.name}` }] : []),
    ...(plan.update ? [{ service, action: 'UpdateService' as const, target: service }] : []),
    ...rules.map((rule) => ({ service, action: 'PutTargets' as const, target: `rule ${rule}` })),
    ...moving.filter((task) => task.kind === 'schedule').map((task) => ({ service, action: 'UpdateSchedule' as const, target: `schedule ${task.name}` })),
    ...(plan.preview?.prune?.deregister ?? []).map((arn) => ({ service, action: 'DeregisterTaskDefinition' as const, target: revisionKey(arn) })),
  ];
}

/** What only a dry run reads: the definition the service runs now (for the diff), and what keep-revisions would deregister. */
async function dryRunPreview(plan: ServicePlan, deps: PlanDeps, reporter: Reporter): Promise<ServicePlan['preview']> {
  const { preflight, revision, inputs } = plan;
  const { target } = preflight;
  const running = preflight.parsed.template || preflight.known ? await describeDefinition(deps.aws.ecs, target.service.taskDefinition) : preflight.base;
  if (inputs.keepRevisions === 0) return { running };
  const deployed = revision.kind === 'register' ? undefined : revision.arn;
  const family = revision.kind === 'known' ? preflight.known!.family : revision.definition.family!;
  const alsoInUse = await scheduledRevisions(preflight, family, deps, reporter);
  if (!alsoInUse) return { running };
  const request = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, rollbackTarget: target.service.taskDefinition, alsoInUse, deployed, newRevisionPending: !deployed };
  return { running, prune: await previewPrune(request, deps.aws.ecs) };
}

/**
 * The revisions scheduled tasks run, which pruning keeps: those found in Preflight, or else looked up now.
 * Undefined, and said why, when they cannot be looked up: then nothing is deregistered, as a revision a
 * schedule runs may be among the old ones.
 */
export async function scheduledRevisions(preflight: Pick<ServicePreflight, 'scheduled' | 'target'>, family: string, deps: Pick<PlanDeps, 'aws'>, reporter: Reporter) {
  const why = (task: ScheduledTask) => `${task.kind === 'rule' ? 'EventBridge rule' : 'Scheduler schedule'} ${task.name} runs it`;
  if (preflight.scheduled) return preflight.scheduled.map((task) => ({ arn: task.taskDefinitionArn, why: why(task) }));
  try {
    const found = await scheduledTasksRunning(family, preflight.target.clusterArn, { aws: deps.aws, reporter });
    return found.map((task) => ({ arn: task.taskDefinitionArn, why: why(task) }));
  } catch (error) {
    reporter.warn(`${inputName('keep-revisions')}: the scheduled tasks that may run family "${family}" could not be looked up (${awsSaid(error)}); no revision is deregistered.`);
    return undefined;
  }
}
