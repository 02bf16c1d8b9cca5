// JSON.parse keeps the last of two equal keys without a word; YAML refuses them but does not say which.
// A template with a key twice is a mistake either way (which `image` did the author mean?), so both are
// reported by key, place and lines.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

export interface DuplicateKey {
  key: string;
  /** Where the object is, as coerce names fields (`containerDefinitions[0]`); '' at the top level. */
  path: string;
  lines: [number, number];
}

export function duplicateKeyProblem(source: string, { key, path, lines }: DuplicateKey): string {
  return `${source}: key "${key}" appears twice${path ? ` in ${path}` : ''} (lines ${lines[0]} and ${lines[1]}). Expected each key once.`;
}

/** The duplicate keys of a text JSON.parse has already accepted. */
export function jsonDuplicateKeys(text: string): DuplicateKey[] {
  type Frame = { kind: 'object'; path: string; keys: Map<string, number>; key?: string; expectKey: boolean } | { kind: 'array'; path: string; index: number };
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let line = 1;
  const childPath = () => {
    const top = stack.at(-1);
    if (!top) return '';
    return top.kind === 'array' ? `${top.path}[${top.index}]` : top.path ? `${top.path}.${top.key}` : String(top.key);
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '\n') line++;
    else if (char === '{') stack.push({ kind: 'object', path: childPath(), keys: new Map(), expectKey: true });
    else if (char === '[') stack.push({ kind: 'array', path: childPath(), index: 0 });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',' && top?.kind === 'object') top.expectKey = true;
    else if (char === ',' && top?.kind === 'array') top.index++;
    else if (char === '"') {
      const end = endOfString(text, i);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const first = top.keys.get(key);
        if (first !== undefined) found.push({ key, path: top.path, lines: [first, line] });
        else top.keys.set(key, line);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return found;
}

/** The index of the closing quote of the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

/** The duplicate keys of a YAML (or relaxed JSON) text, read without YAML's own uniqueness check. */
export function yamlDuplicateKeys(text: string): DuplicateKey[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { version: '1.2', merge: true, uniqueKeys: false, lineCounter });
  const found: DuplicateKey[] = [];
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number, number, number] })?.range;
    return range ? lineCounter.linePos(range[0]).line : 0;
  };
  const walk = (node: unknown, path: string): void => {
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (!isMap(node)) return;
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const first = seen.get(key);
      if (first !== undefined && key !== '<<') found.push({ key, path, lines: [first, lineOf(pair.key)] });
      else seen.set(key, lineOf(pair.key));
      walk(pair.value, path ? `${path}.${key}` : key);
    }
  };
  walk(document.contents, '');
  return found;
}
