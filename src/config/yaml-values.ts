import { isMap, isScalar, isSeq, type Pair, type Scalar } from 'yaml';
import { KEY_VALUE_INPUTS, LIST_INPUTS } from './config-keys';

/** A setting as the input's text: scalars as written, lists as lines, maps as KEY=VALUE lines; a problem otherwise. */
export function inputText(node: unknown, input: string): string | { problem: string } {
  if (node === null || node === undefined) return '';
  if (isScalar(node)) return scalarText(node);
  const many = LIST_INPUTS.includes(input) || KEY_VALUE_INPUTS.includes(input);
  if (isSeq(node) && many) {
    const items = node.items.map((item) => (isScalar(item) ? scalarText(item) : undefined));
    if (items.includes(undefined)) return { problem: 'expected a list of single values' };
    return items.join('\n');
  }
  if (isMap(node) && KEY_VALUE_INPUTS.includes(input)) {
    const lines: string[] = [];
    for (const pair of node.items) {
      if (!isScalar(pair.value) && pair.value !== null) return { problem: 'expected a map of KEY: value, each value a single value' };
      lines.push(`${keyOf(pair)}=${isScalar(pair.value) ? scalarText(pair.value) : ''}`);
    }
    return lines.join('\n');
  }
  const expected = KEY_VALUE_INPUTS.includes(input) ? 'a map of KEY: value, or a list of KEY=VALUE' : many ? 'a value or a list of values' : 'a single value';
  return { problem: `expected ${expected}` };
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** A scalar as written: `3.10` stays 3.10 and `010` stays 010 (YAML would read them as the numbers 3.1 and 10). */
function scalarText(node: Scalar): string {
  if (node.value === null || node.value === undefined) return '';
  return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
}
