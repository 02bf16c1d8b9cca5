import type { ECSClient } from '@aws-sdk/client-ecs';
import { describeTaskDefinition } from '../aws/task-definitions';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { lookupWithImages, placedImages, selectContainer, setImage, type PlacedImage, type RunImages } from '../taskdef/image';
import { parseImageReference } from '../image/reference';
import { fromDescribeOutput } from '../taskdef/load';
import { renderTemplate } from '../taskdef/template';
import type { Definition, NamedContainer } from '../taskdef/types';
import type { ParsedInputs } from '../request/parsed-inputs';
import { InputError } from '../shared/errors';
import type { Target } from './preflight';

/** What the new revision starts from: the template, or the definition the service runs now. */
export async function baseDefinition(plan: ParsedInputs, target: Target | undefined, ecs: ECSClient): Promise<Definition | undefined> {
  if (plan.template) return plan.template;
  return target && describeDefinition(ecs, target.service.taskDefinition);
}

/** The definition to register, and the containers that get the new image. */
export interface Rendered {
  definition: Definition;
  imageContainers: string[];
}

/**
 * The definition to register, with the new image; every problem is reported at once.
 * A template that gives containers an image placeholder as their image (`${IMAGE}`, a whole app's
 * `${IMAGE_<NAME>}`, or a var whose value is one) places the images there; only a template that places
 * none gets the image in container-name, by default the first essential container (so does the running
 * definition, taken as ECS stores it: only a template has placeholders).
 */
export function renderDefinition(base: Definition, plan: ParsedInputs, inputs: Inputs, target: Target | undefined, image: string): Rendered {
  const images: RunImages = { ...plan.images?.references, IMAGE: image };
  const placed = plan.template ? placedImages(base, images, plan.lookup) : [];
  const rendered = (plan.template ? renderTemplate(base, inputs.taskDefinition, lookupWithImages(plan.lookup, images)) : base) as Definition;
  const { definition, imageContainers } = placed.length > 0 ? placedByTemplate(rendered, placed, plan.images?.own) : placedInto(rendered, image, inputs.containerName);
  const problems = [
    ...unknownContainers(definition, inputs),
    ...placementConflict(imageContainers, placed.length > 0, inputs),
    ...fargateProblems(definition, target),
    ...(plan.template ? imageReferenceProblems(definition, images) : []),
  ];
  if (problems.length > 0) throw new InputError(problems);
  return { definition, imageContainers };
}

/** The service's image goes where the template says `${IMAGE}` or its own `${IMAGE_<NAME>}`; the report names those containers. */
function placedByTemplate(rendered: Definition, placed: PlacedImage[], own: string | undefined): Rendered {
  const ownContainers = placed.filter((p) => p.placeholder === 'IMAGE' || p.placeholder === own).map((p) => p.container);
  return { definition: rendered, imageContainers: ownContainers.length > 0 ? ownContainers : placed.map((p) => p.container) };
}

function placedInto(rendered: Definition, image: string, containerName: string): Rendered {
  const name = String(selectContainer(rendered, containerName || undefined).name);
  return { definition: setImage(rendered, image, name) as Definition, imageContainers: [name] };
}

/** After rendering, every container's image must be an image reference: ECS would only fail to pull it, minutes later. */
function imageReferenceProblems(definition: Definition, images: RunImages): string[] {
  return (definition.containerDefinitions ?? []).flatMap((container) => {
    const image = String(container.image ?? '');
    const gets = `task-definition: container "${container.name}" gets the image "${image}"`;
    if (image.includes('${')) {
      const known = Object.keys(images).map((name) => `\${${name}}`).join(', ');
      return [`${gets}, a placeholder that names no image of this run. Expected one of ${known}.`];
    }
    try {
      parseImageReference(image);
      return [];
    } catch (error) {
      return [`${gets}, which is not an image reference (${(error as Error).message}).`];
    }
  });
}

/** container-name chooses the container only when the template does not place the image itself. */
function placementConflict(imageContainers: string[], byTemplate: boolean, inputs: Inputs): string[] {
  const name = inputs.containerName;
  if (!byTemplate || !name || imageContainers.includes(name)) return [];
  const where = imageContainers.map((c) => `"${c}"`).join(', ');
  return [`container-name: "${name}" does not get the image: the template puts \${IMAGE} in the image of container ${where}. Expected one of those, or no ${inputName('container-name')}.`];
}

function unknownContainers(definition: Definition, inputs: Inputs): string[] {
  const names = (definition.containerDefinitions ?? []).map((c) => c.name);
  const named: Array<[string, string]> = [
    ['container-name', inputs.containerName],
    ['migration-container', inputs.migrationCommand ? inputs.migrationContainer : ''],
  ];
  return named
    .filter(([, name]) => name && !names.includes(name))
    .map(([input, name]) => `${input}: "${name}" is not a container of the task definition (containers: ${names.join(', ')}).`);
}

function fargateProblems(definition: Definition, target: Target | undefined): string[] {
  const fargate = definition.requiresCompatibilities?.includes('FARGATE') || target?.service.launchType === 'FARGATE';
  if (!fargate) return [];
  const problems: string[] = [];
  const missing = (['cpu', 'memory'] as const).filter((field) => !definition[field]);
  if (missing.length) problems.push(`task-definition: a Fargate task definition needs task-level ${missing.join(' and ')}.`);
  if (definition.networkMode !== 'awsvpc') problems.push(`task-definition: a Fargate task definition needs networkMode "awsvpc" (got "${definition.networkMode ?? 'none given'}").`);
  return problems;
}

export async function describeDefinition(ecs: ECSClient, arn: string): Promise<Definition> {
  const described = await describeTaskDefinition(ecs, arn);
  return fromDescribeOutput(described) as Definition;
}

/**
 * The container whose command the migration overrides and whose exit code decides (by default the one
 * that gets the image); undefined when there is no migration (then migration-container is not looked at).
 */
export function migrationContainer({ definition, imageContainers }: Rendered, plan: ParsedInputs, inputs: Inputs): NamedContainer | undefined {
  if (plan.migrationCommand.length === 0) return undefined;
  const input = inputs.migrationContainer ? 'migration-container' : 'container-name';
  return selectContainer(definition, inputs.migrationContainer || inputs.containerName || imageContainers[0], input) as NamedContainer;
}
