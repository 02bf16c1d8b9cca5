// The one deploy flow: every service prepared, each image built once, each revision registered, one
// migration, then every service rolled out in parallel — and all of them rolled back when one fails.
// One service from the inputs (no config file) is an app of one, told in its own words (see Voice).
import { awsSaid } from '../aws/failed-call';
import { imagePlaceholder } from '../config/app-config';
import { sharedReads } from '../aws/shared-reads';
import type { AppLedger } from '../execute/ledger';
import { phaseOf, redacted, unknownAccount, type DeployDeps } from '../execute/run-deps';
import { DeployError, InputError } from '../shared/errors';
import { prepareImage, type ImageResult } from '../execute/images';
import { prepareService, type PreparedService } from '../plan/plan-service';
import type { Reporter } from '../shared/reporter';
import { rollBack } from '../execute/deployment/rollback';
import { rollOut } from '../execute/rollout';
import { ServiceWatcher } from '../execute/deployment/service-watcher';
import { afterRollout, knownRevision, migrate, registerRevision, rolloutRequest, showServicePlan, type Revision } from '../execute/service-steps';
import { shortArn } from '../outcome/service-facts';
import { stepFailure } from '../execute/step-failure';
import { inputName } from '../inputs/spelling';
import { readRequest, type App, type AppService } from '../request/read-request';
import { appLedger } from '../execute/new-ledger';
import { newLedger } from '../execute/ledger';
import { requestSummary } from '../request/request-summary';
import { pruneImages, showImagePrunePlan } from '../execute/image-housekeeping';
import { ecrRepositories, type ImagePruneRequest } from '../plan/image-prune-plan';
import { familyOf } from '../plan/prune-selection';
import type { Verb } from './verb';
import { withImageReferences } from '../execute/image-references';
import { prefixedReporter, timedReporter } from '../execute/phase-reporters';

type Entry = AppLedger['services'][number];

/** One service of the run, with what it needs at each step. */
interface Unit {
  service: AppService;
  entry: Entry;
  deps: DeployDeps;
  prepared?: PreparedService;
  watcher?: ServiceWatcher;
  revision?: Revision;
}

type Phase = ReturnType<typeof phaseOf>;

/**
 * How the run speaks: a config file's services by name (`[worker] …`, "Rollout web, worker", one line per
 * service when one fails), or the single service of a run without one, as a one-service deploy always has.
 */
interface Voice {
  single: boolean;
  serviceReporter(reporter: Reporter, name: string): Reporter;
  /** "Image" for one service, "Image app" for an image of the file. */
  title(base: string, name: string): string;
}

function voiceOf(app: App): Voice {
  const single = app.file === undefined;
  return {
    single,
    serviceReporter: (reporter, name) => (single ? reporter : prefixedReporter(reporter, name)),
    title: (base, name) => (single ? base : `${base} ${name}`),
  };
}

/** deploy: the request read once (the config file's app, or one service from the inputs), then the one flow. */
export const deploy: Verb = async (raw, env) => {
  const app = await readRequest(raw, env);
  const { cluster, service, awsRegion } = app.shared;
  const ledger = app.file ? appLedger(app, env) : newLedger(cluster, service, awsRegion, env);
  return { ledger, region: awsRegion, request: requestSummary(app), execute: (deps) => deployApp(app, deps) };
};

export function deployApp(app: App, deps: DeployDeps): Promise<void> {
  return redacted(deps, (redactedDeps) => deployAppRedacted(app, redactedDeps));
}

async function deployAppRedacted(app: App, given: DeployDeps): Promise<void> {
  // The services' watchers read ECS together: one DescribeServices for up to 10 of them.
  const deps = { ...given, aws: { ...given.aws, ecs: sharedReads(given.aws.ecs) } };
  const voice = voiceOf(app);
  const ofApp = deps.record.app;
  const reporter = ofApp ? timedReporter(deps.reporter, ofApp) : deps.reporter;
  const top = { ...deps, reporter };
  const phase = phaseOf(top);
  const entries: Entry[] = ofApp?.services ?? [{ name: app.services[0].name, record: deps.record, outcome: 'not started' }];
  const units: Unit[] = app.services.map((service, i) => ({
    service,
    entry: entries[i],
    deps: { ...deps, reporter: voice.serviceReporter(reporter, service.name), record: entries[i].record },
  }));
  const placeholders = Object.fromEntries(app.images.map((image) => [image.placeholder, image.request.image]));
  const built = app.images.filter((image) => image.request.build).map((image) => image.request.image);

  await phase('Preflight', () => prepareAll(units, { placeholders, built }, voice));
  for (const unit of units) {
    unit.entry.record.previousTaskDefinitionArn = unit.prepared!.target.service.taskDefinition;
    unit.watcher = new ServiceWatcher(unit.prepared!.target, { ecs: deps.aws.ecs, reporter: unit.deps.reporter, record: unit.entry.record, signal: deps.signal });
  }

  if (app.shared.dryRun) {
    for (const unit of units) {
      await phase(`${voice.single ? 'Plan' : `Plan ${unit.service.name}`} (dry run: nothing is changed)`, () => showServicePlan(unit.prepared!, unit.service.inputs, unit.deps));
      unit.entry.outcome = 'planned';
    }
    if (app.shared.keepImages > 0) {
      const changes = await phase('Images (dry run: nothing is deleted)', () => showImagePrunePlan(imagePruneRequest(app, units, true), units[0].service.name, top));
      (units[0].entry.record.planned ??= []).push(...changes);
    }
    deps.record.outcome = 'planned';
    return;
  }

  // A cancel that arrives while a step runs stops the run before the next step changes anything.
  deps.signal?.throwIfAborted();
  const images = await buildImages(app, units, { ...top, phase }, voice);
  deps.signal?.throwIfAborted();
  // Revisions that run already (redeploy, task-definition-arn) are taken as they are: no phase, no empty header.
  const registering = units.some((unit) => !unit.prepared!.known);
  const register = () => registerAll(units, images, app, voice);
  await (registering ? phase(voice.single ? 'Task definition' : 'Task definitions', register) : register());

  const migrating = units.find((unit) => unit.service.name === app.migration && unit.revision?.container);
  if (migrating) {
    const { prepared, revision, service, watcher } = migrating;
    await phase('Migration', () => migrate(prepared!.target, { ...revision!, container: revision!.container! }, service.inputs, watcher!, { ...migrating.deps, command: prepared!.plan.migrationCommand }));
  } else if (app.migrationLeftOut && !app.shared.redeploy) {
    reporter.info(`No migration: it runs with ${app.migrationLeftOut}'s revision, and ${app.migrationLeftOut} is not among the services deployed.`);
  }

  if (voice.single) await phase('Rollout', () => rollOutOne(units[0]));
  else await phase(`Rollout ${units.map((u) => u.service.name).join(', ')}`, () => rollOutAll(units, app));
  // Services may share a family: each one's pruning keeps what every service of the run runs and would roll back to.
  const appInUse = voice.single
    ? []
    : units.flatMap(({ service, revision, prepared }) => [
        { arn: revision!.registration.arn, why: `service ${service.name} runs it` },
        { arn: prepared!.target.service.taskDefinition!, why: `what a rollback of ${service.name} would go back to` },
      ]);
  for (const unit of units) {
    const unitPhase = <T>(title: string, work: () => Promise<T>) => phase(voice.single ? title : `${title}: ${unit.service.name}`, work);
    await afterRollout(unit.prepared!, unit.service.inputs, unit.revision!.registration.arn, { ...unit.deps, phase: unitPhase }, appInUse);
  }
  if (app.shared.keepImages > 0) await phase('Images', () => pruneImages(imagePruneRequest(app, units), top));
  deps.record.outcome = 'deployed';
}

/**
 * keep-images: the repositories of the images the run deploys, and the families whose ACTIVE revisions
 * keep theirs; a dry run takes them from the plan, where a build's image is still its repository.
 */
function imagePruneRequest(app: App, units: Unit[], dryRun = false): ImagePruneRequest {
  const images = units.flatMap(({ revision, prepared }) =>
    dryRun || !revision ? (prepared!.preview.definition.containerDefinitions ?? []).map((c) => c.image ?? '') : Object.values(revision.registration.images).map((image) => image ?? ''),
  );
  const families = units.map(({ revision, prepared }) => (dryRun || !revision ? prepared!.preview.definition.family! : familyOf(revision.registration.arn)!));
  const builds = app.images.length ? app.images.filter((i) => i.request.build).map((i) => i.request.image) : units.filter((u) => u.service.inputs.build).map((u) => u.service.inputs.image);
  const pendingPush = dryRun ? ecrRepositories(builds, app.shared.awsRegion).map((r) => r.name) : undefined;
  return { cluster: app.shared.cluster, region: app.shared.awsRegion, keep: app.shared.keepImages, families: [...new Set(families)], images: images.filter(Boolean), pendingPush };
}

/** Every service's preflight at once, and every problem of all of them (each named by its service when there are several). */
async function prepareAll(units: Unit[], images: { placeholders: Record<string, string>; built: string[] }, voice: Voice): Promise<void> {
  // Together, so that their reads of ECS are shared.
  const results = await Promise.allSettled(
    units.map(async (unit) => (unit.prepared = await prepareService(unit.service.inputs, unit.deps, { ...images, own: unit.service.image && imagePlaceholder(unit.service.image) }))),
  );
  const unexpected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected) throw unexpected.reason;
  const named = (unit: Unit, problem: string) => (voice.single ? problem : `${unit.service.name}: ${problem}`);
  const problems = results.flatMap((r, i) => (r.status === 'rejected' ? (r.reason as InputError).problems.map((problem) => named(units[i], problem)) : []));
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Each image the services use, once, in dependency order; an image's build args get the references of
 * those built before it. One service from the inputs has its own image, built (or reused) under "Image".
 */
async function buildImages(app: App, units: Unit[], deps: DeployDeps & { phase: Phase }, voice: Voice): Promise<Map<string, ImageResult>> {
  const results = new Map<string, ImageResult>();
  const imageDeps = async () => ({ ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal });
  if (voice.single) {
    const [{ prepared, service }] = units;
    if (!prepared!.known) results.set(service.name, await deps.phase('Image', async () => prepareImage(prepared!.image, await imageDeps())));
    return results;
  }
  const needed = imagesUsed(app, units);
  // The images are in dependency order (parseAppConfig): each after those it uses.
  for (const image of app.images.filter((i) => needed.has(i.name))) {
    const references = Object.fromEntries([...results].map(([name, result]) => [app.images.find((i) => i.name === name)!.placeholder, result.reference]));
    const request = withImageReferences(image.request, references);
    const result = await deps.phase(voice.title('Image', image.name), async () => prepareImage(request, await imageDeps()));
    results.set(image.name, result);
    deps.record.app!.images.push({ name: image.name, reference: result.reference, digest: result.digest, built: result.built });
    deps.signal?.throwIfAborted();
  }
  return results;
}

/** The services' own images, the images their definitions refer to, and the images those are built from. */
function imagesUsed(app: App, units: Unit[]): Set<string> {
  const used = new Set<string>();
  const add = (name: string) => {
    if (used.has(name)) return;
    used.add(name);
    for (const other of app.images.find((i) => i.name === name)?.uses ?? []) add(other);
  };
  for (const unit of units) {
    if (unit.prepared!.known) continue;
    if (unit.service.image) add(unit.service.image);
    const inDefinition = new Set((unit.prepared!.preview.definition.containerDefinitions ?? []).map((c) => c.image));
    for (const image of app.images) if (inDefinition.has(image.request.image)) add(image.name);
  }
  return used;
}

/** Images by name: a config file's by its images key, the single service's by its own name. */
async function registerAll(units: Unit[], images: Map<string, ImageResult>, app: App, voice: Voice): Promise<void> {
  const placeholders = Object.fromEntries(app.images.filter((i) => images.has(i.name)).map((i) => [i.placeholder, images.get(i.name)!.reference]));
  for (const unit of units) {
    const { prepared, entry, service } = unit;
    const record = entry.record;
    if (prepared!.known) {
      unit.revision = knownRevision(prepared!, service.inputs, record);
      continue;
    }
    const own = images.get(voice.single ? service.name : (service.image ?? ''));
    const reference = own?.reference ?? service.inputs.image;
    record.image = reference;
    record.imageDigest = own?.digest;
    record.imageBuilt = own?.built;
    const registering = registerRevision(prepared!, service.inputs, { reference, placeholders }, unit.deps);
    unit.revision = await (voice.single ? registering : registering.catch((error: unknown) => Promise.reject(stepFailure(`Task definition of ${service.name}`, error, record))));
  }
}

function rolloutDeps(unit: Unit) {
  const { deps, watcher } = unit;
  return { ecs: deps.aws.ecs, cloudWatch: deps.aws.cloudWatch, logs: deps.aws.logs, reporter: deps.reporter, record: deps.record, watcher: watcher!, signal: deps.signal };
}

/** The single service: its rollout's own failure is the run's. */
async function rollOutOne(unit: Unit): Promise<void> {
  unit.entry.outcome = 'running';
  await rollOut(unit.prepared!.target, rolloutRequest(unit.service.inputs, unit.revision!.registration.arn), rolloutDeps(unit));
  unit.entry.outcome = unit.entry.record.rollout?.state === 'UNCHANGED' ? 'unchanged' : 'deployed';
}

/**
 * Updates every service at once and follows them together. When one fails, the others this run changed
 * are rolled back too (rollback-scope all), or kept (failed); the message gives each service's outcome.
 */
async function rollOutAll(units: Unit[], app: App): Promise<void> {
  const results = await Promise.allSettled(
    units.map((unit) => {
      unit.entry.outcome = 'running';
      return rollOut(unit.prepared!.target, rolloutRequest(unit.service.inputs, unit.revision!.registration.arn), rolloutDeps(unit));
    }),
  );
  if (units[0].deps.signal?.aborted) throw units[0].deps.signal.reason;
  results.forEach((result, i) => {
    const { entry } = units[i];
    if (result.status === 'rejected') {
      entry.outcome = entry.record.rollout?.rolledBackTo ? 'rolled back' : 'failed';
      entry.why = describe(result.reason);
    } else {
      entry.outcome = entry.record.rollout?.state === 'UNCHANGED' ? 'unchanged' : 'deployed';
    }
  });
  const failed = units.filter((u) => u.entry.why !== undefined);
  if (failed.length === 0) return;
  const names = failed.map((u) => u.service.name).join(', ');
  const scope = app.shared.rollbackScope;
  if (scope === 'all') {
    const changed = units.filter((u) => u.entry.outcome === 'deployed');
    await Promise.all(changed.map((unit) => rollBackBecause(unit, `${names} failed (${inputName('rollback-scope')} all)`)));
  }
  throw new DeployError(appFailure(units, names, scope), failed.map((u) => `${u.service.name}: ${u.entry.why}`));
}

/** A service whose rollout succeeded goes back to the revision it ran before, because another one failed. */
async function rollBackBecause(unit: Unit, reason: string): Promise<void> {
  const { entry, service } = unit;
  const record = entry.record;
  const rollout = record.rollout!;
  const request = rolloutRequest(service.inputs, record.taskDefinitionArn!);
  if (!request.rollback) {
    entry.why = `kept on ${record.taskDefinitionArn}: ${inputName('rollback')} is false`;
    return;
  }
  entry.outcome = 'running';
  try {
    const deployment = { id: rollout.deploymentId!, recordArn: rollout.serviceDeploymentArn };
    await rollBack({ reason, previous: record.previousTaskDefinitionArn!, deployment, ended: true }, request, rolloutDeps(unit));
  } catch (error) {
    entry.outcome = rollout.rolledBackTo ? 'rolled back' : 'failed';
    entry.why = rollout.rolledBackTo ? `it deployed, then went back to ${shortArn(rollout.rolledBackTo)} because ${reason}` : describe(error);
  }
}

function appFailure(units: Unit[], names: string, scope: 'all' | 'failed'): string {
  const what = scope === 'all' ? 'every service this run changed was rolled back' : `only the failed ones were rolled back (${inputName('rollback-scope')} failed)`;
  const lines = units.map(({ service, entry }) => `- ${service.name}: ${entry.outcome}${serviceFact(entry)}`);
  const migrated = units.find((u) => u.entry.record.migration?.result === 'succeeded');
  const rolledBack = units.filter((u) => u.entry.outcome === 'rolled back').map((u) => u.service.name);
  if (migrated && rolledBack.length > 0) {
    lines.push(`The migration is not undone: ${rolledBack.join(', ')} now run${rolledBack.length === 1 ? 's' : ''} the previous revision against the migrated schema.`);
  }
  return [`The deploy failed: ${names} failed, so ${what}.`, ...lines].join('\n');
}

function serviceFact(entry: Entry): string {
  const { record, why } = entry;
  if (why) return `: ${why}`;
  const runs = record.rollout?.rolledBackTo ?? record.taskDefinitionArn ?? record.previousTaskDefinitionArn;
  return runs ? `, runs ${runs}` : '';
}

function describe(error: unknown): string {
  if (error instanceof DeployError || error instanceof InputError) return error.message;
  return `Unexpected error: ${awsSaid(error)}`;
}
