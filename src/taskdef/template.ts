import { loadTemplate, parseTaskDefinition, validateTaskDefinition } from './load';
import { renderTaskDefinition } from './render';
import type { Lookup, TaskDefinition } from './types';

/**
 * Template text → RegisterTaskDefinition input: parse (JSON/YAML), render placeholders and field
 * types, and check the shape again (a placeholder may have rendered `image` empty).
 * `source` names the template in problems.
 */
export function prepareTaskDefinition(text: string, source: string, lookup: Lookup): TaskDefinition {
  return renderTemplate(parseTaskDefinition(text, source), source, lookup);
}

/** A parsed template, rendered and checked again. */
export function renderTemplate(template: TaskDefinition, source: string, lookup: Lookup): TaskDefinition {
  const rendered = renderTaskDefinition(template, lookup, `task-definition: ${source}`);
  validateTaskDefinition(rendered, source);
  return rendered;
}

export function readTaskDefinition(path: string, lookup: Lookup): TaskDefinition {
  return prepareTaskDefinition(loadTemplate(path), path, lookup);
}
