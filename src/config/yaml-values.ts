import { isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { VAR_NAME } from '../inputs/vars';
import { KEY_VALUE_INPUTS, LIST_INPUTS } from './config-keys';

/** A setting as the input's text: scalars as written, lists as lines, maps as KEY=VALUE lines (a value one value); a problem otherwise. */
export function inputText(node: unknown, input: string): string | { problem: string } {
  if (node === null || node === undefined) return '';
  if (isScalar(node)) return scalarText(node);
  const many = LIST_INPUTS.includes(input) || KEY_VALUE_INPUTS.includes(input);
  if (isSeq(node) && many) {
    const items = node.items.map((item) => (isScalar(item) ? scalarText(item) : undefined));
    if (items.includes(undefined)) return { problem: 'expected a list of single values' };
    if (KEY_VALUE_INPUTS.includes(input) && items.some((item) => /[\r\n]/.test(item!))) return { problem: 'expected one KEY=VALUE line per item; write a value of several lines in a map (KEY: |)' };
    return items.join('\n');
  }
  if (isMap(node) && KEY_VALUE_INPUTS.includes(input)) return keyValueLines(node, input);
  const expected = KEY_VALUE_INPUTS.includes(input) ? 'a map of KEY: value, or a list of KEY=VALUE' : many ? 'a value or a list of values' : 'a single value';
  return { problem: `expected ${expected}` };
}

/** A command: a line as written, or a list of its arguments as the JSON array migration-command takes. */
export function commandText(node: unknown): string | { problem: string } {
  if (!isSeq(node)) return inputText(node, 'migration-command');
  const words = node.items.map((item) => (isScalar(item) ? scalarText(item) : undefined));
  if (words.includes(undefined)) return { problem: 'expected a command line, or a list of its arguments each a single value' };
  return JSON.stringify(words);
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** A scalar as written: `3.10` stays 3.10 and `010` stays 010 (YAML would read them as the numbers 3.1 and 10). */
function scalarText(node: Scalar): string {
  if (node.value === null || node.value === undefined) return '';
  return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
}

const QUOTED_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A map of KEY: value as KEY=VALUE lines, each value whole: a vars value that the line would change (one of
 * several lines, with spaces around it, or in quotes) is written quoted, as parseVarLines reads it back.
 * build-args and labels take one line per value.
 */
function keyValueLines(node: YAMLMap, input: string): string | { problem: string } {
  const lines: string[] = [];
  for (const pair of node.items) {
    const key = keyOf(pair);
    if (!isScalar(pair.value) && pair.value !== null) return { problem: 'expected a map of KEY: value, each value a single value' };
    if (input === 'vars' && !VAR_NAME.test(key)) return { problem: `${key} is not a var name. Expected letters, digits and _, not starting with a digit` };
    if (/[=\s]/.test(key) || key === '') return { problem: `${key} is not a KEY. Expected a key without spaces or =` };
    const value = isScalar(pair.value) ? scalarText(pair.value) : '';
    if (input === 'vars') lines.push(`${key}=${varValue(value)}`);
    else if (/[\r\n]/.test(value)) return { problem: `the value of ${key} has several lines. Expected one line: each is a --${input === 'labels' ? 'label' : 'build-arg'}` };
    else lines.push(`${key}=${value}`);
  }
  return lines.join('\n');
}

function varValue(value: string): string {
  const asWritten = !/[\r\n]/.test(value) && value === value.trim() && !/^(["']).*\1$/s.test(value);
  return asWritten ? value : `"${value.replace(/[\\"\n\r\t]/g, (c) => QUOTED_ESCAPES[c])}"`;
}
