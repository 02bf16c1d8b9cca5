import { InputError } from '../shared/errors';

/**
 * Splits a command into arguments the way a POSIX shell would quote it, but without a shell:
 * nothing is expanded or interpreted, so `$(…)`, `;`, `|`, `&&`, `#` and globs stay as written.
 * Text whose trimmed form starts with `[` is read as a JSON array of strings instead.
 */
export function parseCommand(text: string, inputName: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const words = trimmed.startsWith('[') ? parseJsonArgv(trimmed, inputName) : splitWords(text, inputName);
  return withProgram(words, inputName);
}

/** Given text that is not blank, there must be a program to run: an empty command would run nothing, or a blank name. */
function withProgram(words: string[], inputName: string): string[] {
  const noMigration = `leave ${inputName} empty for no migration`;
  if (words.length === 0) {
    throw new InputError([`${inputName}: the JSON array is empty. Expected a command such as ["npm", "run", "migrate"], or ${noMigration}.`]);
  }
  if (words[0].trim() === '') {
    throw new InputError([`${inputName}: the first word (the program to run) is empty. Expected a command such as bin/migrate --all, or ${noMigration}.`]);
  }
  return words;
}

function parseJsonArgv(text: string, inputName: string): string[] {
  const expected = 'a JSON array of strings, e.g. ["npm", "run", "migrate"]';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError([`${inputName}: starts with "[" but is not valid JSON (${(error as Error).message}). Expected ${expected}.`]);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new InputError([`${inputName}: starts with "[" but is not a JSON array of strings. Expected ${expected}.`]);
  }
  return value;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPABLE_IN_DOUBLE_QUOTES = new Set(['"', '\\', '$', '`']);

function splitWords(text: string, inputName: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word can be empty ('' or ""), so "in a word" is tracked apart from its text.
  let inWord = false;
  let i = 0;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };

  while (i < text.length) {
    const char = text[i];
    if (WHITESPACE.has(char)) {
      endWord();
      i++;
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next === '\n') {
        i += 2; // line continuation
      } else if (next === undefined) {
        word += '\\';
        inWord = true;
        i++;
      } else {
        word += next;
        inWord = true;
        i += 2;
      }
    } else if (char === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) throw unterminated(inputName, 'single', i);
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (char === '"') {
      const quoted = readDoubleQuoted(text, i, inputName);
      word += quoted.value;
      inWord = true;
      i = quoted.end;
    } else {
      word += char;
      inWord = true;
      i++;
    }
  }
  endWord();
  return words;
}

/** Reads from the opening `"` at `start`; returns the unescaped content and the index after the closing quote. */
function readDoubleQuoted(text: string, start: number, inputName: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') return { value, end: i + 1 };
    if (char === '\\' && text[i + 1] === '\n') {
      i += 2;
    } else if (char === '\\' && ESCAPABLE_IN_DOUBLE_QUOTES.has(text[i + 1])) {
      value += text[i + 1];
      i += 2;
    } else {
      value += char;
      i++;
    }
  }
  throw unterminated(inputName, 'double', start);
}

function unterminated(inputName: string, kind: 'single' | 'double', position: number): InputError {
  return new InputError([
    `${inputName}: unterminated ${kind} quote (opened at character ${position + 1}). Expected a command with every quote closed, or a JSON array of strings.`,
  ]);
}
