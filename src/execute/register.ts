import type { ContainerDefinition, ECSClient, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { awsAnswered } from '../aws/failed-call';
import { registerTaskDefinition } from '../aws/task-definitions';
import { latestRevision } from '../plan/latest-revision';
import { sameTaskDefinition } from '../taskdef/normalise';
import { sendChange } from './changes';
import { DeployError } from '../shared/errors';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';
import type { PlannedImage, ServicePlan } from '../plan/deploy-plan';
import { asRendered } from '../plan/known-revision';
import { renderDefinition } from '../plan/render-definition';
import { withImages } from '../plan/service-preflight';
import type { Voice } from '../request/voice';
import type { ImageResult } from './images';
import type { DeployDeps } from './run-deps';
import type { Registration, ServiceRun } from './service-run';
import { stepFailure } from './step-failure';

/** Registers the rendered definition, unless the family's latest ACTIVE revision is the same. */
export async function registerOrReuse(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput, reporter: Reporter, record: Ledger): Promise<Registration> {
  const latest = await latestRevision(ecs, definition.family!);
  if (latest && sameTaskDefinition(latest.definition, definition)) return reused(latest.arn, imagesOf(latest.definition), reporter);
  return register(ecs, definition, reporter, record);
}

function reused(arn: string, images: Registration['images'], reporter: Reporter): Registration {
  reporter.info(`Task definition unchanged: reusing ${arn}`);
  return { arn, registered: false, images };
}

async function register(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput, reporter: Reporter, record: Ledger): Promise<Registration> {
  const call = {
    action: 'RegisterTaskDefinition' as const,
    inFlight: `RegisterTaskDefinition of family ${definition.family} was sent and not answered yet, so ECS may register a new revision (the service does not use it)`,
    noAnswer: `ECS may have registered a new revision of family ${definition.family} all the same (the service does not use it)`,
  };
  try {
    const registered = await sendChange(record, call, () => registerTaskDefinition(ecs, definition));
    const arn = registered.taskDefinitionArn!;
    reporter.info(`Registered ${arn}`);
    return { arn, registered: true, images: imagesOf(registered) };
  } catch (error) {
    // Only an answer is a refusal; a call that got none is reported by the step as such.
    if (!awsAnswered(error)) throw error;
    throw new DeployError(`task-definition: ECS refused to register family "${definition.family}": ${(error as Error).message}`);
  }
}

/**
 * The register phase: each service's planned revision — the known one as it is, the equal one reused, or
 * the rendered one registered (rendered again first when it refers to an image this run built, whose
 * digest the plan could not know). The ledger says what each service will run, as ECS has it.
 */
export async function registerRevisions(runs: ServiceRun[], images: Map<string, ImageResult>, imagePlans: PlannedImage[], voice: Voice): Promise<void> {
  const placeholders = Object.fromEntries(imagePlans.filter((i) => i.placeholder && images.has(i.name)).map((i) => [i.placeholder!, images.get(i.name)!.reference]));
  for (const run of runs) {
    const { plan, deps } = run;
    const { revision } = plan;
    if (revision.kind === 'known') {
      run.registration = knownRevision(plan, deps.record);
      continue;
    }
    const own = plan.image && images.get(plan.image.name);
    const record = deps.record;
    record.image = own?.reference ?? plan.inputs.image;
    record.imageDigest = own?.digest;
    record.imageBuilt = own?.built;
    const registering = registerPlanned(plan, record.image, placeholders, deps);
    const registration = await (voice.single ? registering : registering.catch((error: unknown) => Promise.reject(stepFailure(`Task definition of ${plan.service.name}`, error, record))));
    record.taskDefinitionArn = registration.arn;
    record.registered = registration.registered;
    recordRegisteredImage(record, registration, revision.imageContainers, deps.reporter);
    run.registration = registration;
  }
}

async function registerPlanned(plan: ServicePlan, reference: string, placeholders: Record<string, string>, deps: DeployDeps): Promise<Registration> {
  const { revision, preflight, inputs } = plan;
  const { ecs } = deps.aws;
  if (revision.kind === 'reuse') return reused(revision.arn, imagesOf(revision.definition), deps.reporter);
  if (revision.kind !== 'register') throw new Error(`registerPlanned: a ${revision.kind} revision is not registered`);
  if (!revision.awaitsBuild) return register(ecs, revision.definition, deps.reporter, deps.record);
  const parsed = withImages(preflight.parsed, placeholders, preflight.parsed.images?.own);
  const { definition } = renderDefinition(preflight.base, parsed, inputs, preflight.target, reference);
  return registerOrReuse(ecs, definition, deps.reporter, deps.record);
}

/** A given revision is deployed as ECS has it: the report names the image of the container that would get one. */
function knownRevision(plan: ServicePlan, record: Ledger): Registration {
  const known = plan.preflight.known!;
  const [container] = asRendered(known).imageContainers;
  const images = imagesOf(known.definition);
  record.taskDefinitionArn = known.arn;
  record.registered = false;
  record.taskDefinitionGiven = true;
  record.redeployed = plan.inputs.redeploy || undefined;
  record.imageContainers = [container];
  record.image = images[container];
  record.imageDigest = record.image?.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
  record.imageBuilt = false;
  return { arn: known.arn, registered: false, images };
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

function imagesOf(definition: { containerDefinitions?: ContainerDefinition[] }): Registration['images'] {
  return Object.fromEntries((definition.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image]));
}
