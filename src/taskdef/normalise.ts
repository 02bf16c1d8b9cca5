import { coerceFieldTypes } from './coerce';
import { diffLines } from './diff';
import { stripOutputOnlyFields } from './load';
import { isPlainObject, type TaskDefinition } from './types';

type Json = Record<string, any>;

/**
 * A canonical form for deciding "unchanged": a template and the revision DescribeTaskDefinition
 * returns for it (with its tags) normalise to the same value. Output-only fields, values ECS fills
 * in by default, empty lists/maps and nulls are dropped; name/value lists are sorted; keys are sorted.
 */
export function normaliseForCompare(definition: TaskDefinition): Json {
  const { definition: typed } = coerceFieldTypes(stripOutputOnlyFields(definition));
  const normalised: Json = { ...typed };
  if (Array.isArray(typed.containerDefinitions)) {
    normalised.containerDefinitions = typed.containerDefinitions.map((container: unknown) =>
      isPlainObject(container) ? normaliseContainer(container, typed.networkMode) : container,
    );
  }
  if (Array.isArray(typed.volumes)) normalised.volumes = typed.volumes.map(normaliseVolume);
  normalised.tags = sortBy(typed.tags, 'key');
  if (normalised.enableFaultInjection === false) delete normalised.enableFaultInjection;
  return canonical(normalised) as Json;
}

export function sameTaskDefinition(a: TaskDefinition, b: TaskDefinition): boolean {
  return JSON.stringify(normaliseForCompare(a)) === JSON.stringify(normaliseForCompare(b));
}

/** The diff of two task definitions as they are compared: normalised, pretty-printed JSON. Empty when the same. */
export function diffTaskDefinitions(before: TaskDefinition, after: TaskDefinition, context = 3): string {
  const pretty = (definition: TaskDefinition) => JSON.stringify(normaliseForCompare(definition), null, 2);
  return diffLines(pretty(before), pretty(after), context);
}

const HEALTH_CHECK_DEFAULTS: Json = { interval: 30, timeout: 5, retries: 3 };

function normaliseContainer(container: Json, networkMode: unknown): Json {
  const result: Json = { ...container };
  if (result.essential === true) delete result.essential;
  if (result.cpu === 0) delete result.cpu;
  result.environment = sortBy(container.environment, 'name');
  result.secrets = sortBy(container.secrets, 'name');
  if (Array.isArray(container.portMappings)) {
    result.portMappings = container.portMappings.map((mapping: unknown) => (isPlainObject(mapping) ? normalisePortMapping(mapping, networkMode) : mapping));
  }
  if (isPlainObject(container.healthCheck)) result.healthCheck = withoutDefaults(container.healthCheck, HEALTH_CHECK_DEFAULTS);
  result.mountPoints = mapObjects(container.mountPoints, (mount) => withoutDefaults(mount, { readOnly: false }));
  result.volumesFrom = mapObjects(container.volumesFrom, (from) => withoutDefaults(from, { readOnly: false }));
  return result;
}

function normalisePortMapping(mapping: Json, networkMode: unknown): Json {
  const result = withoutDefaults(mapping, { protocol: 'tcp' });
  // awsvpc and host mode publish the container port itself; bridge mode uses 0 for "any port".
  const publishesContainerPort = networkMode === 'awsvpc' || networkMode === 'host';
  const defaultHostPort = publishesContainerPort ? result.containerPort : 0;
  if (result.hostPort === defaultHostPort) delete result.hostPort;
  return result;
}

function normaliseVolume(volume: unknown): unknown {
  if (!isPlainObject(volume) || !isPlainObject(volume.efsVolumeConfiguration)) return volume;
  return { ...volume, efsVolumeConfiguration: withoutDefaults(volume.efsVolumeConfiguration, { rootDirectory: '/', transitEncryption: 'DISABLED' }) };
}

function withoutDefaults(object: Json, defaults: Json): Json {
  const result = { ...object };
  for (const [key, value] of Object.entries(defaults)) if (result[key] === value) delete result[key];
  return result;
}

function mapObjects(list: unknown, map: (item: Json) => Json): unknown {
  return Array.isArray(list) ? list.map((item) => (isPlainObject(item) ? map(item) : item)) : list;
}

function sortBy(list: unknown, key: string): unknown {
  if (!Array.isArray(list)) return list;
  const sortKey = (item: unknown) => (isPlainObject(item) ? String(item[key]) : '');
  return [...list].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

/** Sorted keys; null, undefined, empty lists and empty maps removed (items inside lists are kept). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainObject(value)) return value;
  const entries = Object.keys(value)
    .sort()
    .map((key) => [key, canonical(value[key])] as const)
    .filter(([, item]) => !isEmpty(item));
  return Object.fromEntries(entries);
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}
