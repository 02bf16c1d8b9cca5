import type { YAMLError } from 'yaml';

/**
 * The YAML parser's errors as problems, one per place: `<file>:<line>: <lead><what>` and, beneath it, the
 * parser's own frame of that place (the lines with a caret). Errors at the same place (the parser often
 * gives two for one mistake) become one problem; " at line L, column C:" is not repeated.
 */
export function yamlProblems(file: string, errors: readonly YAMLError[], lead = ''): string[] {
  const byPlace = new Map<string, { line: number; messages: string[]; frame: string }>();
  for (const error of errors) {
    const { line, col } = error.linePos?.[0] ?? { line: 1, col: 1 };
    const [first, ...rest] = error.message.split('\n');
    const message = first.replace(/ at line \d+, column \d+:?$/, '');
    const place = byPlace.get(`${line}:${col}`) ?? { line, messages: [], frame: frameOf(rest) };
    if (!place.messages.includes(message)) place.messages.push(message);
    byPlace.set(`${line}:${col}`, place);
  }
  return [...byPlace.values()].map(({ line, messages, frame }) => `${file}:${line}: ${lead}${messages.join('; ')}.${frame}`);
}

/** The frame lines, without the blank lines around them, indented under the problem. */
function frameOf(lines: string[]): string {
  const frame = lines.filter((text, i) => text.trim() !== '' || (i > 0 && i < lines.length - 1 && lines.slice(i + 1).some((t) => t.trim() !== '')));
  while (frame.length > 0 && frame[0].trim() === '') frame.shift();
  return frame.length > 0 ? `\n${frame.map((text) => `    ${text.trimEnd()}`).join('\n')}` : '';
}
