import { InputError } from '../core/errors';
import type { TaskDefinition } from './types';
import { listPlaceholders } from './render';

type Container = Record<string, any>;

/**
 * The container called `containerName`, or the first essential one when no name is given
 * (ECS containers are essential unless they say `essential: false`).
 */
export function selectContainer(definition: TaskDefinition, containerName?: string, inputName = 'container-name'): Container {
  const containers: Container[] = definition.containerDefinitions ?? [];
  const names = containers.map((container) => String(container.name)).join(', ');
  if (containerName) {
    const named = containers.find((container) => container.name === containerName);
    if (!named) throw new InputError([`${inputName}: no container named "${containerName}" in the task definition. Expected one of: ${names}.`]);
    return named;
  }
  const essential = containers.find((container) => container.essential !== false);
  if (!essential) throw new InputError([`${inputName}: the task definition has no essential container, so name one. Expected one of: ${names}.`]);
  return essential;
}

/** A deep copy of the task definition with `image` in the selected container. */
export function setImage(definition: TaskDefinition, image: string, containerName?: string): TaskDefinition {
  const index = definition.containerDefinitions.indexOf(selectContainer(definition, containerName));
  const copy = structuredClone(definition);
  copy.containerDefinitions[index].image = image;
  return copy;
}

/**
 * The containers a template gives the image through `${IMAGE}`: those whose `image` is exactly `${IMAGE}`.
 * `${IMAGE}` anywhere else (an environment value, say) is only a placeholder and places nothing.
 * An `image` that uses `${IMAGE}` as a part ("${IMAGE}-debug") is a problem: the reference would break.
 */
export function imagePlaceholderContainers(template: TaskDefinition, inputName = 'task-definition'): number[] {
  const containers: Container[] = template.containerDefinitions ?? [];
  const placed: number[] = [];
  const problems: string[] = [];
  containers.forEach((container, index) => {
    const image = container.image;
    if (typeof image !== 'string' || !listPlaceholders(image).includes('IMAGE')) return;
    if (image.trim() === '${IMAGE}') placed.push(index);
    else problems.push(`${inputName}: containerDefinitions[${index}].image is "${image}"; \${IMAGE} is the whole image reference, so write it alone.`);
  });
  if (problems.length > 0) throw new InputError(problems);
  return placed;
}
