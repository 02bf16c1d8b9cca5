import { InputError } from '../shared/errors';
import { coerceFieldTypes } from './coerce';
import { isPlainObject, type Lookup, type TaskDefinition } from './types';
import { varsSources } from '../inputs/spelling';

// `$${` is the escape for a literal `${`; it is matched first so its `${` is never a placeholder.
// Anything else (`${1}`, `${A:-b}`, a lone `$`) is left as written.
const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string (keys included) of an already parsed template, then gives
 * typed fields their API types (`containerPort: "${PORT}"` → 8080, see fields.ts).
 * Working on the parsed tree means values need no JSON or YAML escaping: quotes, colons,
 * `#` and newlines in a value cannot break the document. Every unresolved name is reported at once.
 * Returns a new object.
 */
export function renderTaskDefinition(definition: TaskDefinition, lookup: Lookup, inputName = 'task-definition'): TaskDefinition {
  const missing = new Set<string>();
  const rendered = mapStrings(definition, (text) => substitute(text, lookup, missing)) as TaskDefinition;
  throwIfMissing(missing, inputName);
  const { definition: typed, problems } = coerceFieldTypes(rendered);
  if (problems.length > 0) throw new InputError(problems.map((problem) => `${inputName}: ${problem}`));
  return typed;
}

export function renderString(text: string, lookup: Lookup, inputName = 'task-definition'): string {
  const missing = new Set<string>();
  const rendered = substitute(text, lookup, missing);
  throwIfMissing(missing, inputName);
  return rendered;
}

/** Names of the placeholders used anywhere in a value, sorted; escaped `$${…}` does not count. */
export function listPlaceholders(value: unknown): string[] {
  const names = new Set<string>();
  mapStrings(value, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) if (match[1]) names.add(match[1]);
    return text;
  });
  return [...names].sort();
}

/** The first source that defines a name wins: pass them as vars, vars-file, environment. */
export function buildLookup(sources: Array<Record<string, string | undefined>>): Lookup {
  return (name) => {
    for (const source of sources) {
      // hasOwn: a name such as `constructor` must not find Object.prototype's.
      if (Object.hasOwn(source, name) && source[name] !== undefined) return source[name];
    }
    return undefined;
  };
}

function substitute(text: string, lookup: Lookup, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (name === undefined) return '${';
    const value = lookup(name);
    if (value === undefined) missing.add(name);
    return value ?? match;
  });
}

function throwIfMissing(missing: Set<string>, inputName: string): void {
  if (missing.size === 0) return;
  const names = [...missing].sort().map((name) => `\${${name}}`);
  const noun = names.length === 1 ? 'placeholder' : 'placeholders';
  throw new InputError([
    `${inputName}: unresolved ${noun} ${names.join(', ')} (define them in ${varsSources()} or the environment; write $\${NAME} for a literal \${NAME})`,
  ]);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isPlainObject(value)) {
    // fromEntries keeps a key such as __proto__ as a plain own property.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
  }
  return value;
}
