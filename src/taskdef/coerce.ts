import { TASK_DEFINITION_FIELDS, type FieldType } from './fields';
import { isPlainObject, type TaskDefinition } from './types';

export interface Coerced {
  definition: TaskDefinition;
  /** One line per field that could not be converted, e.g. `containerDefinitions[0].cpu must be an integer, got "x"`. */
  problems: string[];
}

/**
 * Gives the typed fields of fields.ts their API types: "8080" → 8080 for integers, "true" → true
 * for booleans, 8080 → "8080" for strings. Returns a new object; fields not listed are untouched.
 */
export function coerceFieldTypes(definition: TaskDefinition): Coerced {
  const problems: string[] = [];
  const coerced = coerce(definition, TASK_DEFINITION_FIELDS, '', problems) as TaskDefinition;
  return { definition: coerced, problems };
}

function coerce(value: unknown, type: FieldType, path: string, problems: string[]): unknown {
  if (Array.isArray(type)) {
    return Array.isArray(value) ? value.map((item, index) => coerce(item, type[0], `${path}[${index}]`, problems)) : value;
  }
  if (typeof type === 'object') {
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const fieldType = Object.hasOwn(type, key) ? type[key] : type['*'];
        const fieldPath = path ? `${path}.${key}` : key;
        return [key, fieldType === undefined ? item : coerce(item, fieldType, fieldPath, problems)];
      }),
    );
  }
  return coerceScalar(value, type, path, problems);
}

function coerceScalar(value: unknown, type: 'int' | 'bool' | 'string', path: string, problems: string[]): unknown {
  if (type === 'string') return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof value !== 'string') {
    if (type === 'int' && typeof value === 'number' && !Number.isInteger(value)) problems.push(`${path} must be an integer, got ${value}.`);
    return value;
  }
  const text = value.trim();
  if (type === 'int') {
    if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
    problems.push(`${path} must be an integer, got "${value}".`);
  } else {
    if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    problems.push(`${path} must be true or false, got "${value}".`);
  }
  return value;
}
