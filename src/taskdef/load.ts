import { parseDocument, visit, type Document } from 'yaml';
import { InputError } from '../shared/errors';
import { readTextFile } from '../inputs/text-file';
import { duplicateKeyProblem, jsonDuplicateKeys, yamlDuplicateKeys, type DuplicateKey } from './duplicate-keys';
import { isPlainObject, type TaskDefinition } from './types';
import { yamlProblems } from '../inputs/yaml-problems';

const INPUT = 'task-definition';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const OUTPUT_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** Reads the template file (synchronously: inputs are checked before anything else runs). */
export function loadTemplate(path: string): string {
  return readTextFile(path, INPUT);
}

/**
 * Parses a template (JSON or YAML 1.2, told apart by content) into a RegisterTaskDefinition input.
 * A pasted `describe-task-definition` result is unwrapped and stripped of output-only fields.
 * Top-level `x-…` keys are dropped: as in Compose files, they hold YAML anchors to reuse.
 * `source` names the template (usually its path) in problems.
 */
export function parseTaskDefinition(text: string, source: string): TaskDefinition {
  const definition = unwrapDescribeOutput(parseText(text, source));
  validateTaskDefinition(definition, source);
  return withoutExtensionFields(stripOutputOnlyFields(definition));
}

function withoutExtensionFields(definition: TaskDefinition): TaskDefinition {
  return Object.fromEntries(Object.entries(definition).filter(([key]) => !key.startsWith('x-')));
}

/**
 * The register input equivalent to a DescribeTaskDefinition result ({ taskDefinition, tags }),
 * e.g. when the service's current revision is the starting point.
 */
export function fromDescribeOutput(output: unknown): TaskDefinition {
  const definition = unwrapDescribeOutput(output);
  if (!isPlainObject(definition)) throw new TypeError('fromDescribeOutput: expected a DescribeTaskDefinition result');
  return stripOutputOnlyFields(definition);
}

export function stripOutputOnlyFields(definition: TaskDefinition): TaskDefinition {
  const stripped: TaskDefinition = { ...definition };
  for (const field of OUTPUT_ONLY_FIELDS) delete stripped[field];
  return stripped;
}

/** Checks the shape every later step relies on; all problems at once. */
export function validateTaskDefinition(definition: unknown, source: string): asserts definition is TaskDefinition {
  const problem = (text: string) => `${INPUT}: ${source}: ${text}`;
  if (!isPlainObject(definition)) {
    throw new InputError([problem(`expected a task definition (a JSON object or YAML mapping), got ${describeKind(definition)}.`)]);
  }
  const problems: string[] = [];
  if (!isNonEmptyString(definition.family)) problems.push(problem('"family" is missing or not a non-empty string.'));
  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push(problem('"containerDefinitions" is missing or not a non-empty list.'));
  } else {
    containers.forEach((container, index) => {
      const at = `containerDefinitions[${index}]`;
      if (!isPlainObject(container)) {
        problems.push(problem(`${at} is not an object.`));
        return;
      }
      if (!isNonEmptyString(container.name)) problems.push(problem(`${at} has no "name" (a non-empty string).`));
      if (!isNonEmptyString(container.image)) problems.push(problem(`${at} has no "image" (a non-empty string).`));
    });
  }
  if (problems.length > 0) throw new InputError(problems);
}

function unwrapDescribeOutput(parsed: unknown): unknown {
  if (!isPlainObject(parsed) || !isPlainObject(parsed.taskDefinition) || 'containerDefinitions' in parsed) return parsed;
  const unwrapped: TaskDefinition = { ...parsed.taskDefinition };
  if (Array.isArray(parsed.tags) && parsed.tags.length > 0) unwrapped.tags = parsed.tags;
  return unwrapped;
}

function parseText(text: string, source: string): unknown {
  if (!/^\s*[{[]/.test(text)) return parseYaml(text, source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (jsonError) {
    // Not strict JSON; YAML flow syntax still reads JSON with trailing commas or comments.
    try {
      return parseYaml(text, source);
    } catch (yamlError) {
      if (yamlError instanceof DuplicateKeyError) throw yamlError;
      throw new InputError([`${INPUT}: ${source}: invalid JSON: ${describeJsonError(jsonError as Error, text)}`]);
    }
  }
  throwIfDuplicates(jsonDuplicateKeys(text), source);
  return parsed;
}

function throwIfDuplicates(duplicates: DuplicateKey[], source: string): void {
  if (duplicates.length > 0) throw new DuplicateKeyError(duplicates.map((d) => `${INPUT}: ${duplicateKeyProblem(source, d)}`));
}

/** Passes through the fallback from JSON to YAML: a duplicate key is not a syntax error. */
class DuplicateKeyError extends InputError {}

function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { version: '1.2', merge: true });
  const [error] = document.errors;
  if (error?.code === 'DUPLICATE_KEY') throwIfDuplicates(yamlDuplicateKeys(text), source);
  if (error) throw new InputError(yamlProblems(source, document.errors, 'invalid YAML: ').map((problem) => `${INPUT}: ${problem}`));
  // Keys YAML tells apart but the parsed template does not (`true` and "true").
  throwIfDuplicates(yamlDuplicateKeys(text), source);
  const tags = document.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (tags.length > 0) throw new InputError(tags.map((tag) => `${INPUT}: ${source}: line ${tag.linePos?.[0].line ?? 1}: ${tag.message.split(' at line')[0].replace('Unresolved tag', 'unknown tag')}. Expected plain YAML values, without tags.`));
  keepSourceTextOfOddScalars(document);
  try {
    return document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new InputError([`${INPUT}: ${source}: invalid YAML: ${(error as Error).message}`]);
  }
}

/**
 * YAML would turn `VERSION: 1.10` into 1.1 and `ZIP: 0123` into 123. A number or boolean whose
 * source text would not come back from String(value) keeps its text; typed fields are converted later.
 */
function keepSourceTextOfOddScalars(document: Document): void {
  visit(document, {
    Scalar(_key, node) {
      const { value, source } = node;
      const typed = typeof value === 'number' || typeof value === 'boolean';
      if (typed && source !== undefined && source !== String(value)) node.value = source;
    },
  });
}

function describeJsonError(error: Error, text: string): string {
  const match = /^(.*?)(?: in JSON)? at position (\d+)/.exec(error.message);
  if (!match) return error.message;
  const before = text.slice(0, Number(match[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${match[1]} at line ${line}, column ${column}`;
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
