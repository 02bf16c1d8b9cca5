type Op = { kind: ' ' | '-' | '+'; text: string };

/** Above this many cells the middle of the two texts is shown as removed then added. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * A unified-style line diff with `@@ -start,count +start,count @@` hunk headers and
 * `context` unchanged lines around each change. Empty when the texts are equal.
 */
export function diffLines(before: string, after: string, context = 3): string {
  const ops = diffOps(splitLines(before), splitLines(after));
  return formatHunks(ops, context);
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

function diffOps(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;

  const same = (lines: string[]): Op[] => lines.map((text) => ({ kind: ' ', text }));
  const middle = lcsOps(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  return [...same(a.slice(0, prefix)), ...middle, ...same(a.slice(a.length - suffix))];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const removed = (text: string): Op => ({ kind: '-', text });
  const added = (text: string): Op => ({ kind: '+', text });
  if ((a.length + 1) * (b.length + 1) > MAX_LCS_CELLS) return [...a.map(removed), ...b.map(added)];

  // length[i][j] = LCS length of a[i..] and b[j..], stored row-major.
  const width = b.length + 1;
  const length = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      length[i * width + j] = a[i] === b[j] ? length[(i + 1) * width + j + 1] + 1 : Math.max(length[(i + 1) * width + j], length[i * width + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] });
      i++;
      j++;
    } else if (length[(i + 1) * width + j] >= length[i * width + j + 1]) {
      ops.push(removed(a[i++]));
    } else {
      ops.push(added(b[j++]));
    }
  }
  return [...ops, ...a.slice(i).map(removed), ...b.slice(j).map(added)];
}

function formatHunks(ops: Op[], context: number): string {
  const changes = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const out: string[] = [];
  for (let next = 0; next < changes.length; next++) {
    const first = changes[next];
    let last = first;
    // Changes with at most 2×context unchanged lines between them share a hunk.
    while (next + 1 < changes.length && changes[next + 1] - last - 1 <= 2 * context) last = changes[++next];
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length, last + context + 1);
    out.push(hunkHeader(ops, start, end), ...ops.slice(start, end).map((op) => op.kind + op.text));
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

function hunkHeader(ops: Op[], start: number, end: number): string {
  const oldLines = (list: Op[]) => list.filter((op) => op.kind !== '+').length;
  const newLines = (list: Op[]) => list.filter((op) => op.kind !== '-').length;
  const before = ops.slice(0, start);
  const hunk = ops.slice(start, end);
  // An empty range names the line before it, as in `diff -u`.
  const range = (linesBefore: number, count: number) => `${count === 0 ? linesBefore : linesBefore + 1},${count}`;
  return `@@ -${range(oldLines(before), oldLines(hunk))} +${range(newLines(before), newLines(hunk))} @@`;
}
