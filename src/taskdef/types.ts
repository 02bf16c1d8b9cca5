import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

/** A task definition as RegisterTaskDefinition takes it, before the SDK types it (tags included). */
export type TaskDefinition = Record<string, any>;

/** Where placeholder values come from; undefined means the name is not defined. */
export type Lookup = (name: string) => string | undefined;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A task definition to register, as the SDK types it and as a template gives it. */
export type Definition = RegisterTaskDefinitionCommandInput & TaskDefinition;
export type NamedContainer = ContainerDefinition & { name: string };
