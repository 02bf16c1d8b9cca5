import type { AwsClients } from '../aws/clients';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { checkInputs } from '../request/check-inputs';
import type { ImageRequest } from '../request/image-request';
import { asRendered, describeKnownRevision, noteFamily, type KnownRevision } from './known-revision';
import { Problems, type ParsedInputs } from '../request/parsed-inputs';
import type { Definition } from '../taskdef/types';
import { baseDefinition, migrationContainer, renderDefinition } from './render-definition';
import { preflight, type Target } from './preflight';
import type { Reporter } from '../shared/reporter';
import { findScheduledTasks, readScheduledTasksInput, type ScheduledTask } from './scheduled-task-lookup';
import { MIN_SECRET_LENGTH } from '../shared/secrets';
import { announceStrategy } from './strategy';
import { waitPointProblem } from './wait-point';
import { accountAndRegionOf, judgeVerification, verifyDefinition, type Verification } from './verify';

/** What preflight learnt of one service: enough to build, render, register and roll out without asking again. */
export interface ServicePreflight {
  parsed: ParsedInputs;
  target: Target;
  base: Definition;
  image: ImageRequest;
  preview: Preview;
  verification?: Verification;
  known?: KnownRevision;
  scheduled?: ScheduledTask[];
}

export type Preview = ReturnType<typeof renderPreview>;

export interface PrepareDeps {
  aws: AwsClients;
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
}

/** A whole app's other images: its `IMAGE_<NAME>` placeholders, as given before any build, and which of those this run builds. */
export interface AppImages {
  placeholders: Record<string, string>;
  built: string[];
  /** The placeholder of the service's own image (IMAGE_APP): it goes where the template says that or `${IMAGE}`. */
  own?: string;
}

/**
 * Checks the inputs, then what ECS has of the service: every problem at once (an InputError), before any
 * change.
 */
export async function preflightService(inputs: Inputs, deps: PrepareDeps, images: AppImages = { placeholders: {}, built: [] }): Promise<ServicePreflight> {
  const { aws, reporter, env } = deps;
  const problems = new Problems();
  const checked = await checkInputs(inputs, env, problems);
  const plan = withImages(checked.plan, images.placeholders, images.own);
  const selection = await problems.attempt(() => readScheduledTasksInput(inputs.scheduledTasks));
  for (const { name, value } of plan.secretVars) {
    reporter.secret(value);
    if (value.length < MIN_SECRET_LENGTH) reporter.warn(`${inputName('secret-vars')}: the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters, too short to be masked.`);
  }
  // What the inputs alone say is wrong stops the run before any AWS call.
  problems.throwIfAny();
  const target = await problems.attempt(() => preflight(aws.ecs, inputs.cluster, inputs.service));
  const unreachable = target && waitPointProblem(target.service.deploymentConfiguration, inputs.waitUntil, target.service.serviceName);
  if (unreachable) problems.list.push(unreachable);
  const knownArn = inputs.redeploy ? target?.service.taskDefinition : inputs.taskDefinitionArn;
  const known = knownArn ? await problems.attempt(() => describeKnownRevision(aws.ecs, knownArn)) : undefined;
  const base = inputs.taskDefinitionArn || inputs.redeploy ? known?.definition : await baseDefinition(plan, target, aws.ecs);
  // Rendered with the image as given: what a dry run shows; a real run renders again with the built image.
  const preview = base && (await problems.attempt(() => (known ? knownPreview(known, plan, inputs) : renderPreview(base, plan, inputs, target))));
  // Named scheduled tasks that are not there are input errors, reported with the others before any change.
  const scheduled = selection && target && preview ? await problems.attempt(() => findScheduledTasks(selection, preview.definition.family!, target.clusterArn, { aws, reporter })) : undefined;
  problems.throwIfAny();
  reporter.info(`Service ${target!.service.serviceName} runs ${target!.service.taskDefinition}`);
  announceStrategy(target!.service.deploymentConfiguration, { wait: inputs.wait && inputs.waitUntil === 'stable', timeoutMinutes: inputs.waitTimeoutMinutes }, reporter);
  if (known && !inputs.redeploy) noteFamily(known, target!, reporter);
  const verification = inputs.verify ? await verify(preview!, inputs, target!, { aws, reporter }, images.built) : undefined;
  return { parsed: plan, target: target!, base: base!, image: checked.image, preview: preview!, verification, known, scheduled };
}

/** The plan with a whole app's images, by placeholder, and the placeholder of the service's own. */
export function withImages(plan: ParsedInputs, references: Record<string, string>, own?: string): ParsedInputs {
  if (Object.keys(references).length === 0) return plan;
  return { ...plan, images: { references, own } };
}

function renderPreview(base: Definition, plan: ParsedInputs, inputs: Inputs, target: Target | undefined) {
  const rendered = renderDefinition(base, plan, inputs, target, inputs.image);
  return { definition: rendered.definition, container: migrationContainer(rendered, plan, inputs), imageContainers: rendered.imageContainers };
}

function knownPreview(known: KnownRevision, plan: ParsedInputs, inputs: Inputs): Preview {
  const rendered = asRendered(known);
  return { ...rendered, container: migrationContainer(rendered, plan, inputs) };
}

/** Looks up what the rendered definition refers to; the containers this run builds an image for are not looked up. */
async function verify(preview: Preview, inputs: Inputs, target: Target, { aws, reporter }: Omit<PrepareDeps, 'env'>, builtImages: string[]): Promise<Verification> {
  const own = inputs.build && !inputs.taskDefinitionArn && !inputs.redeploy ? preview.imageContainers : [];
  const others = (preview.definition.containerDefinitions ?? []).filter((c) => c.image && builtImages.includes(c.image)).map((c) => c.name!);
  const builtContainers = [...new Set([...own, ...others])];
  const verification = await verifyDefinition(preview.definition, { aws, ...accountAndRegionOf(target.clusterArn), builtContainers });
  judgeVerification(verification, reporter);
  return verification;
}
