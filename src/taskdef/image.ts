import { InputError } from '../shared/errors';
import type { Lookup, TaskDefinition } from './types';
import { listPlaceholders } from './render';
import { didYouMean } from '../inputs/did-you-mean';

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
    if (!named) throw new InputError([`${inputName}: no container named "${containerName}" in the task definition.${didYouMean(containerName, containers.map((c) => String(c.name)))} Expected one of: ${names}.`]);
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

/** A run's images by placeholder name: IMAGE (the service's own) and, in a whole app, each IMAGE_<NAME>. */
export type RunImages = Record<string, string>;

/** A container whose image the template names by placeholder, and the placeholder it resolves to. */
export interface PlacedImage {
  container: string;
  placeholder: string;
}

const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * The containers a template gives an image: those whose `image` is an image placeholder alone (`${IMAGE}`,
 * `${IMAGE_APP}`), or a var whose whole value is one (`${web_image}` with `web_image: ${IMAGE_APP}`).
 * An image placeholder that is only a part of an `image` ("${IMAGE}-debug") is a problem: the reference would break.
 */
export function placedImages(template: TaskDefinition, images: RunImages, lookup: Lookup, inputName = 'task-definition'): PlacedImage[] {
  const containers: Container[] = template.containerDefinitions ?? [];
  const placed: PlacedImage[] = [];
  const problems: string[] = [];
  containers.forEach((container, index) => {
    const image = container.image;
    if (typeof image !== 'string') return;
    const placeholder = imagePlaceholderOf(image, images, lookup);
    if (placeholder) placed.push({ container: String(container.name), placeholder });
    else {
      const part = listPlaceholders(image).find((name) => Object.hasOwn(images, name));
      if (part) problems.push(`${inputName}: containerDefinitions[${index}].image is "${image}"; \${${part}} is the whole image reference, so write it alone.`);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return placed;
}

function imagePlaceholderOf(image: string, images: RunImages, lookup: Lookup): string | undefined {
  const name = WHOLE_PLACEHOLDER.exec(image.trim())?.[1];
  if (!name) return undefined;
  if (Object.hasOwn(images, name)) return name;
  const throughVar = WHOLE_PLACEHOLDER.exec(lookup(name)?.trim() ?? '')?.[1];
  return throughVar && Object.hasOwn(images, throughVar) ? throughVar : undefined;
}

const IMAGE_IN_TEXT = /\$\{(IMAGE(?:_[A-Za-z0-9_]+)?)\}/g;

/** The template's placeholders: the run's images by name, and vars whose values refer to them resolved. */
export function lookupWithImages(lookup: Lookup, images: RunImages): Lookup {
  return (name) => {
    if (Object.hasOwn(images, name)) return images[name];
    return lookup(name)?.replace(IMAGE_IN_TEXT, (whole, placeholder: string) => (Object.hasOwn(images, placeholder) ? images[placeholder] : whole));
  };
}
