// The whole app in one run: every service prepared, each image built once, each revision registered,
// one migration, then every service rolled out in parallel — and all of them rolled back when one fails.
import { awsSaid } from '../aws/failed-call';
import { imagePlaceholder } from '../config/app-config';
import { sharedReads } from '../aws/shared-reads';
import type { AppRecord } from '../core/app-record';
import { phaseOf, redacted, unknownAccount, type DeployDeps } from '../core/deploy';
import { DeployError, InputError } from '../core/errors';
import { prepareImage, type ImageResult } from '../core/image';
import { prepareService, type PreparedService } from '../core/prepare-service';
import { rollBack } from '../core/rollback';
import { rollOut } from '../core/rollout';
import { ServiceWatcher } from '../core/service-watcher';
import { afterRollout, knownRevision, migrate, registerRevision, rolloutRequest, showServicePlan, type Revision } from '../core/service-steps';
import { shortArn } from '../core/report';
import { stepFailure } from '../core/step-failure';
import { inputName } from '../inputs/spelling';
import type { App, AppService } from './app-inputs';
import { withImageReferences } from './image-references';
import { prefixedReporter, timedReporter } from './app-reporter';

/** One service of the run, with what it needs at each step. */
interface Unit {
  service: AppService;
  entry: AppRecord['services'][number];
  deps: DeployDeps;
  prepared?: PreparedService;
  watcher?: ServiceWatcher;
  revision?: Revision;
}

export function deployApp(app: App, deps: DeployDeps): Promise<void> {
  return redacted(deps, (redactedDeps) => deployAppRedacted(app, redactedDeps));
}

async function deployAppRedacted(app: App, given: DeployDeps): Promise<void> {
  // The services' watchers read ECS together: one DescribeServices for up to 10 of them.
  const deps = { ...given, aws: { ...given.aws, ecs: sharedReads(given.aws.ecs) } };
  const appRecord = deps.record.app!;
  const reporter = timedReporter(deps.reporter, appRecord);
  const top = { ...deps, reporter };
  const phase = phaseOf(top);
  const units: Unit[] = app.services.map((service, i) => ({
    service,
    entry: appRecord.services[i],
    deps: { ...deps, reporter: prefixedReporter(reporter, service.name), record: appRecord.services[i].record },
  }));
  const placeholders = Object.fromEntries(app.images.map((image) => [image.placeholder, image.request.image]));
  const built = app.images.filter((image) => image.request.build).map((image) => image.request.image);

  await phase('Preflight', () => prepareAll(units, { placeholders, built }));
  for (const unit of units) {
    unit.entry.record.previousTaskDefinitionArn = unit.prepared!.target.service.taskDefinition;
    unit.watcher = new ServiceWatcher(unit.prepared!.target, { ecs: deps.aws.ecs, reporter: unit.deps.reporter, record: unit.entry.record, signal: deps.signal });
  }

  if (app.shared.dryRun) {
    for (const unit of units) await phase(`Plan ${unit.service.name} (dry run: nothing is changed)`, () => showServicePlan(unit.prepared!, unit.service.inputs, unit.deps));
    for (const unit of units) unit.entry.outcome = 'planned';
    deps.record.outcome = 'planned';
    return;
  }

  deps.signal?.throwIfAborted();
  const images = app.shared.redeploy ? new Map<string, ImageResult>() : await buildImages(app, units, { ...top, phase });
  deps.signal?.throwIfAborted();
  // Revisions that run already (redeploy, task-definition-arn) are taken as they are: no phase, no empty header.
  const registering = units.some((unit) => !unit.prepared!.known);
  await (registering ? phase('Task definitions', () => registerAll(units, images, app)) : registerAll(units, images, app));

  const migrating = units.find((unit) => unit.service.name === app.migration && unit.revision?.container);
  if (migrating) {
    const { prepared, revision, service, watcher } = migrating;
    await phase('Migration', () => migrate(prepared!.target, { ...revision!, container: revision!.container! }, service.inputs, watcher!, { ...migrating.deps, command: prepared!.plan.migrationCommand }));
  } else if (app.migrationLeftOut && !app.shared.redeploy) {
    reporter.info(`No migration: it runs with ${app.migrationLeftOut}'s revision, and ${app.migrationLeftOut} is not among the services deployed.`);
  }

  await phase(`Rollout ${units.map((u) => u.service.name).join(', ')}`, () => rollOutAll(units, app));
  // Services may share a family: each one's pruning keeps what every service of the run runs and would roll back to.
  const appInUse = units.flatMap(({ service, revision, prepared }) => [
    { arn: revision!.registration.arn, why: `service ${service.name} runs it` },
    { arn: prepared!.target.service.taskDefinition!, why: `what a rollback of ${service.name} would go back to` },
  ]);
  for (const unit of units) {
    await afterRollout(unit.prepared!, unit.service.inputs, unit.revision!.registration.arn, { ...unit.deps, phase: (title, work) => phase(`${title}: ${unit.service.name}`, work) }, appInUse);
  }
  deps.record.outcome = 'deployed';
}

/** Every service's preflight at once, and every problem of all of them. */
async function prepareAll(units: Unit[], images: { placeholders: Record<string, string>; built: string[] }): Promise<void> {
  // Together, so that their reads of ECS are shared.
  const results = await Promise.allSettled(
    units.map(async (unit) => (unit.prepared = await prepareService(unit.service.inputs, unit.deps, { ...images, own: unit.service.image && imagePlaceholder(unit.service.image) }))),
  );
  const unexpected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected) throw unexpected.reason;
  const problems = results.flatMap((r, i) => (r.status === 'rejected' ? (r.reason as InputError).problems.map((problem) => `${units[i].service.name}: ${problem}`) : []));
  if (problems.length > 0) throw new InputError(problems);
}

/** Each image the services use, once, in dependency order; an image's build args get the references of those built before it. */
async function buildImages(app: App, units: Unit[], deps: DeployDeps & { phase: ReturnType<typeof phaseOf> }): Promise<Map<string, ImageResult>> {
  const results = new Map<string, ImageResult>();
  const needed = imagesUsed(app, units);
  // The images are in dependency order (parseAppConfig): each after those it uses.
  for (const image of app.images.filter((i) => needed.has(i.name))) {
    const references = Object.fromEntries([...results].map(([name, result]) => [app.images.find((i) => i.name === name)!.placeholder, result.reference]));
    const request = withImageReferences(image.request, references);
    const result = await deps.phase(`Image ${image.name}`, async () =>
      prepareImage(request, { ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal }),
    );
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

async function registerAll(units: Unit[], images: Map<string, ImageResult>, app: App): Promise<void> {
  const placeholders = Object.fromEntries(app.images.filter((i) => images.has(i.name)).map((i) => [i.placeholder, images.get(i.name)!.reference]));
  for (const unit of units) {
    const { prepared, entry, service } = unit;
    const record = entry.record;
    if (prepared!.known) {
      unit.revision = knownRevision(prepared!, service.inputs, record);
      continue;
    }
    const own = service.image ? images.get(service.image) : undefined;
    const reference = own?.reference ?? service.inputs.image;
    record.image = reference;
    record.imageDigest = own?.digest;
    record.imageBuilt = own?.built;
    unit.revision = await registerRevision(prepared!, service.inputs, { reference, placeholders }, unit.deps).catch((error: unknown) => Promise.reject(stepFailure(`Task definition of ${service.name}`, error, record)));
  }
}

/**
 * Updates every service at once and follows them together. When one fails, the others this run changed
 * are rolled back too (rollback-scope all), or kept (failed); the message gives each service's outcome.
 */
async function rollOutAll(units: Unit[], app: App): Promise<void> {
  const results = await Promise.allSettled(
    units.map((unit) => {
      const { prepared, watcher, revision, service, deps, entry } = unit;
      const request = rolloutRequest(service.inputs, revision!.registration.arn);
      entry.outcome = 'running';
      return rollOut(prepared!.target, request, { ecs: deps.aws.ecs, cloudWatch: deps.aws.cloudWatch, reporter: deps.reporter, record: deps.record, watcher: watcher!, signal: deps.signal });
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
  const { entry, deps, service, watcher } = unit;
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
    await rollBack({ reason, previous: record.previousTaskDefinitionArn!, deployment, ended: true }, request, { ecs: deps.aws.ecs, cloudWatch: deps.aws.cloudWatch, reporter: deps.reporter, record, watcher: watcher!, signal: deps.signal });
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

function serviceFact(entry: Unit['entry']): string {
  const { record, why } = entry;
  if (why) return `: ${why}`;
  const runs = record.rollout?.rolledBackTo ?? record.taskDefinitionArn ?? record.previousTaskDefinitionArn;
  return runs ? `, runs ${runs}` : '';
}

function describe(error: unknown): string {
  if (error instanceof DeployError || error instanceof InputError) return error.message;
  return `Unexpected error: ${awsSaid(error)}`;
}
