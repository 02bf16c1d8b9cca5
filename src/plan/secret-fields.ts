// The dry-run diff shows two definitions: the running one holds the values secret vars had when it was
// registered, which the run's redaction (it knows only today's values) would print. Fields that a
// template fills from a secret var are replaced by *** on both sides before the diff is drawn.
import { listPlaceholders } from '../taskdef/render';
import { isPlainObject } from '../taskdef/types';

type Path = Array<string | number>;
/** A step of a path that finds the same entry in another definition: by `name` in a list of named objects, else by position. */
type Step = string | number | { name: string };

const HIDDEN = '***';
const HIDDEN_CHANGED = '*** (changed)';

/** The paths of the template's strings that use a secret var. */
export function secretFieldPaths(template: unknown, secretNames: string[], path: Path = []): Path[] {
  if (typeof template === 'string') return listPlaceholders(template).some((name) => secretNames.includes(name)) ? [path] : [];
  if (Array.isArray(template)) return template.flatMap((item, i) => secretFieldPaths(item, secretNames, [...path, i]));
  if (isPlainObject(template)) return Object.entries(template).flatMap(([key, item]) => secretFieldPaths(item, secretNames, [...path, key]));
  return [];
}

export interface RedactedPair<T> {
  running: T;
  rendered: T;
  /** Every value those fields hold in the running definition: never to be printed either. */
  runningValues: string[];
}

/** Copies of both definitions with each secret field hidden: `***`, or `*** (changed)` on the rendered side when the running value differs. */
export function redactSecretFields<T extends object>(running: T, rendered: T, paths: Path[]): RedactedPair<T> {
  const result = { running: structuredClone(running), rendered: structuredClone(rendered), runningValues: [] as string[] };
  for (const path of paths) {
    const steps = locate(rendered, path);
    const before = get(result.running, steps);
    const after = get(result.rendered, steps);
    if (before.found) {
      if (typeof before.value === 'string' || typeof before.value === 'number') result.runningValues.push(String(before.value));
      set(result.running, steps, HIDDEN);
    }
    if (after.found) set(result.rendered, steps, before.found && before.value !== after.value ? HIDDEN_CHANGED : HIDDEN);
  }
  return result;
}

function locate(definition: unknown, path: Path): Step[] {
  const steps: Step[] = [];
  let node = definition;
  for (const key of path) {
    const item = (node as any)?.[key];
    steps.push(typeof key === 'number' && isPlainObject(item) && typeof item.name === 'string' ? { name: item.name } : key);
    node = item;
  }
  return steps;
}

function child(node: unknown, step: Step): { found: boolean; value?: unknown; key?: string | number } {
  if (typeof step === 'object') {
    const index = Array.isArray(node) ? node.findIndex((item) => isPlainObject(item) && item.name === step.name) : -1;
    return index === -1 ? { found: false } : { found: true, value: (node as unknown[])[index], key: index };
  }
  const container = node as Record<string | number, unknown> | undefined;
  return container !== null && typeof container === 'object' && Object.hasOwn(container, step) ? { found: true, value: container[step], key: step } : { found: false };
}

function get(root: unknown, steps: Step[]): { found: boolean; value?: unknown } {
  let node: { found: boolean; value?: unknown } = { found: true, value: root };
  for (const step of steps) {
    node = child(node.value, step);
    if (!node.found) return node;
  }
  return node;
}

function set(root: unknown, steps: Step[], value: string): void {
  const parent = get(root, steps.slice(0, -1));
  const last = child(parent.value, steps[steps.length - 1]);
  if (parent.found && last.found) (parent.value as Record<string | number, unknown>)[last.key!] = value;
}
