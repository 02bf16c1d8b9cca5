import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVarLines, readVarsFile } from '../../src/inputs/vars';
import { problemsOf } from '../support/problems';

const parse = (text: string) => parseVarLines(text, 'vars');
/** A vars file follows dotenv, comments included. */
const parseFile = (text: string) => parseVarLines(text, 'vars-file', 'deploy.env');

describe('parseVarLines', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments', () => {
    expect(parse('# database\nDB_HOST=db.internal\n\n  # indented comment\nDB_PORT=5432\r\n')).toEqual({ DB_HOST: 'db.internal', DB_PORT: '5432' });
  });

  it('keeps = inside values and allows empty values', () => {
    expect(parse('QUERY=a=1&b=2\nTOKEN=abc==\nEMPTY=')).toEqual({ QUERY: 'a=1&b=2', TOKEN: 'abc==', EMPTY: '' });
  });

  it('trims whitespace around keys and unquoted values', () => {
    expect(parse('  KEY   =   some value  ')).toEqual({ KEY: 'some value' });
  });

  it('accepts an export prefix', () => {
    expect(parse('export TAG=v1\nexport\tREGION=eu-west-1')).toEqual({ TAG: 'v1', REGION: 'eu-west-1' });
  });

  it('in a file, ends an unquoted value at " #" but keeps # inside a word', () => {
    expect(parseFile('COLOR=#fff\nURL=https://x.test/#top # the home page')).toEqual({ COLOR: '#fff', URL: 'https://x.test/#top' });
  });

  it('inline, keeps " #" and what follows: only a file has comments inside a line', () => {
    expect(parse('TOKEN=p@ss #word\nQ="a" # b\nOPEN="unclosed')).toEqual({ TOKEN: 'p@ss #word', Q: '"a" # b', OPEN: '"unclosed' });
  });

  it('takes single-quoted values literally', () => {
    expect(parse(`PASS='p@ss "w0rd" \\n # not a comment'`)).toEqual({ PASS: 'p@ss "w0rd" \\n # not a comment' });
  });

  it('unescapes \\n, \\t, \\" and \\\\ in double-quoted values', () => {
    expect(parseFile(String.raw`KEY="line1\nline2\t\"q\" \\ \x"  # comment`)).toEqual({ KEY: 'line1\nline2\t"q" \\ \\x' });
    expect(parse(String.raw`KEY="line1\nline2"`)).toEqual({ KEY: 'line1\nline2' });
  });

  it('keeps shell syntax in values as written', () => {
    expect(parse('CMD=$(rm -rf /); echo ${HOME} | cat')).toEqual({ CMD: '$(rm -rf /); echo ${HOME} | cat' });
  });

  it('lets the last of repeated keys win', () => {
    expect(parse('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('keeps __proto__ as an ordinary key', () => {
    const vars = parse('__proto__=x');
    expect(Object.getPrototypeOf(vars)).toBe(Object.prototype);
    expect(Object.keys(vars)).toEqual(['__proto__']);
  });

  it('reports every bad line with its number, without quoting values', () => {
    const problems = problemsOf(() => parseFile('GOOD=1\nno equals sign here\n1BAD=x\nQ="unclosed secret\nR="x" trailing\nexport ONLY_EXPORT'));
    expect(problems).toEqual([
      'vars-file: line 2 of deploy.env has no "=". Expected KEY=VALUE.',
      'vars-file: line 3 of deploy.env: the name before "=" starts with a digit. Expected letters, digits and _, not starting with a digit.',
      "vars-file: line 4 of deploy.env: the value's double quote is not closed on the same line.",
      'vars-file: line 5 of deploy.env: unexpected text after the closing quote of the value.',
      'vars-file: line 6 of deploy.env has no "=". Expected KEY=VALUE.',
    ]);
    expect(problems.join()).not.toContain('secret');
  });

  it('names a line in YAML style by its name alone: the value after the colon, = padding and all, is not quoted', () => {
    const problems = problemsOf(() => parse('DB_HOST=db\nAPI_TOKEN: c2VjcmV0LXRva2Vu==\n  export SIGNING_KEY:'));
    expect(problems).toEqual(['vars: line 2 is in YAML style (API_TOKEN: …). Expected API_TOKEN=VALUE.', 'vars: line 3 is in YAML style (SIGNING_KEY: …). Expected SIGNING_KEY=VALUE.']);
  });

  it('says what is wrong with a name without quoting it, which may be a fragment of a secret', () => {
    const problems = problemsOf(() => parse('3kQ9x+secret/fragment==\nMY-KEY=1\nMY KEY=2'));
    expect(problems).toEqual([
      'vars: line 1: the name before "=" starts with a digit. Expected letters, digits and _, not starting with a digit.',
      'vars: line 2: the name before "=" has "-" in it. Expected letters, digits and _, not starting with a digit.',
      'vars: line 3: the name before "=" has a space in it. Expected letters, digits and _, not starting with a digit.',
    ]);
    expect(problems.join()).not.toMatch(/3kQ9|secret|fragment/);
  });

  it('refuses a PEM block split over lines once, at its first line, and quotes none of it', () => {
    const pem = 'TLS_KEY=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN+gkqhkiG9w0BAQEFAASC=\nAbcd/efGH==\n-----END PRIVATE KEY-----\nDB_HOST=db';
    const problems = problemsOf(() => parse(pem));
    expect(problems).toEqual(['vars: line 1: the value of TLS_KEY begins a PEM block, whose other lines would be read as vars of their own. Expected the whole block on one line, in double quotes with \\n between its lines.']);
    expect(parse('TLS_KEY="-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"')).toEqual({ TLS_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' });
  });

  it('rejects keys with dashes or spaces', () => {
    expect(problemsOf(() => parse('MY-KEY=1\nMY KEY=2'))).toHaveLength(2);
  });
});

describe('readVarsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-ship-vars-'));

  it('reads and parses the file', () => {
    const path = join(dir, 'deploy.env');
    writeFileSync(path, '\uFEFFTAG=v1\nDB_URL="postgres://u:p@h/db?ssl=true"\n');
    expect(readVarsFile(path, 'vars-file')).toEqual({ TAG: 'v1', DB_URL: 'postgres://u:p@h/db?ssl=true' });
  });

  it('names the input and the file in line problems', () => {
    const path = join(dir, 'bad.env');
    writeFileSync(path, 'oops');
    expect(problemsOf(() => readVarsFile(path, 'vars-file'))).toEqual([`vars-file: line 1 of ${path} has no "=". Expected KEY=VALUE.`]);
  });

  it('names the input and the path when the file is missing', () => {
    const path = join(dir, 'missing.env');
    expect(problemsOf(() => readVarsFile(path, 'vars-file'))).toEqual([`vars-file: file not found: ${path}`]);
  });

  it('rejects a directory', () => {
    const path = join(dir, 'a-dir');
    mkdirSync(path);
    expect(problemsOf(() => readVarsFile(path, 'vars-file'))).toEqual([`vars-file: ${path} is not a regular file (it is a directory). Expected a file.`]);
  });
});
