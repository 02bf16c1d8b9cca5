import { InputError } from '../shared/errors';
import { readTextFile } from './text-file';

/** A var name: what `${NAME}` placeholders and KEY=VALUE lines accept. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A bad line: its number, and what is wrong with it, to follow "line N" (` has no "=". …` or `: …`). */
export interface VarLineProblem {
  line: number;
  text: string;
}

/**
 * Reads `KEY=VALUE` lines. Later lines win over earlier ones with the same key; blank lines and lines
 * starting with `#` are skipped. A file (`source`, named in problems) follows dotenv: an unquoted value
 * ends at ` #`. Inline text has no comments inside a line: the value is everything after the `=`,
 * unquoted only when it is wholly in quotes.
 * Problems never quote a value: values are often secrets.
 */
export function parseVarLines(text: string, inputName: string, source?: string): Record<string, string> {
  const { vars, problems } = readVarLines(text, source !== undefined);
  if (problems.length > 0) throw new InputError(problems.map((p) => `${inputName}: line ${p.line}${source ? ` of ${source}` : ''}${p.text}`));
  return vars;
}

/** parseVarLines, with the problems by line instead of thrown; `dotenv` for a file's comments. */
export function readVarLines(text: string, dotenv = false): { vars: Record<string, string>; problems: VarLineProblem[] } {
  const parseValue = dotenv ? dotenvValue : inlineValue;
  const vars = new Map<string, string>();
  const problems: VarLineProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  let inPemBlock = false;

  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    const problem = (text: string) => problems.push({ line: index + 1, text });
    // The rest of a PEM block already reported at its first line.
    if (inPemBlock) {
      inPemBlock = !line.startsWith('-----END');
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    const body = line.replace(/^export\s+/, '');
    const yamlStyle = /^([A-Za-z_][A-Za-z0-9_]*)\s*:(\s|$)/.exec(body);
    if (yamlStyle) {
      problem(` is in YAML style (${yamlStyle[1]}: …). Expected ${yamlStyle[1]}=VALUE.`);
      return;
    }
    const equals = body.indexOf('=');
    if (equals === -1) {
      problem(' has no "=". Expected KEY=VALUE.');
      return;
    }
    const key = body.slice(0, equals).trim();
    if (!VAR_NAME.test(key)) {
      problem(`: the name before "=" ${whyNotAName(key)}. Expected letters, digits and _, not starting with a digit.`);
      return;
    }
    const value = parseValue(body.slice(equals + 1));
    if (typeof value !== 'string') {
      problem(`: ${value.problem}`);
    } else if (/^-----BEGIN [A-Z0-9 ]+-----$/.test(value)) {
      problem(`: the value of ${key} begins a PEM block, whose other lines would be read as vars of their own. Expected the whole block on one line, in double quotes with \\n between its lines.`);
      inPemBlock = true;
    } else {
      vars.set(key, value);
    }
  });

  // fromEntries keeps a key such as __proto__ as a plain own property.
  return { vars: Object.fromEntries(vars), problems };
}

/** What is wrong with a name, without quoting it: the text before "=" may be part of a secret. */
function whyNotAName(key: string): string {
  if (key === '') return 'is empty';
  if (/^[0-9]/.test(key)) return 'starts with a digit';
  if (/\s/.test(key)) return 'has a space in it';
  const odd = /[-.:/@+]/.exec(key);
  return odd ? `has "${odd[0]}" in it` : 'has a character other than letters, digits and _ in it';
}

/** dotenv: unquoted values end at a ` #` comment and are trimmed; quoted ones are taken as written. */
function dotenvValue(rest: string): string | { problem: string } {
  const text = rest.trimStart();
  if (text.startsWith('"') || text.startsWith("'")) return parseQuoted(text);
  const comment = text.search(/\s#/);
  return (comment === -1 ? text : text.slice(0, comment)).trimEnd();
}

/** Inline: the trimmed value as written (` #` included), without its quotes when it is wholly quoted. */
function inlineValue(rest: string): string {
  const text = rest.trim();
  if (!/^(["']).*\1$/s.test(text) || text.length < 2) return text;
  const quoted = parseQuoted(text, false);
  return typeof quoted === 'string' ? quoted : text;
}

/** `comments`: text after the closing quote may be a `# comment` (a file); else nothing may follow it. */
function parseQuoted(text: string, comments = true): string | { problem: string } {
  const quote = text[0];
  let value = '';
  let i = 1;
  for (; i < text.length && text[i] !== quote; i++) {
    if (quote === '"' && text[i] === '\\' && i + 1 < text.length) {
      const escaped = DOUBLE_QUOTE_ESCAPES[text[i + 1]];
      value += escaped ?? text[i] + text[i + 1];
      i++;
    } else {
      value += text[i];
    }
  }
  if (i >= text.length) return { problem: `the value's ${quote === '"' ? 'double' : 'single'} quote is not closed on the same line.` };
  const after = text.slice(i + 1).trim();
  if (after !== '' && !(comments && after.startsWith('#'))) return { problem: 'unexpected text after the closing quote of the value.' };
  return value;
}

/** Reads a vars file; a missing, unreadable or non-UTF-8 file is an InputError naming the input and the path. */
export function readVarsFile(path: string, inputName: string): Record<string, string> {
  return parseVarLines(readTextFile(path, inputName), inputName, path);
}
