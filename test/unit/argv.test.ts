import { InputError } from '../../src/shared/errors';
import { parseCommand } from '../../src/inputs/argv';

const parse = (text: string) => parseCommand(text, 'migration-command');

describe('parseCommand', () => {
  it('splits on spaces, tabs and newlines', () => {
    expect(parse('  npm run\tmigrate \n --  --env=prod ')).toEqual(['npm', 'run', 'migrate', '--', '--env=prod']);
  });

  it('returns no arguments for empty or blank text', () => {
    expect(parse('')).toEqual([]);
    expect(parse(' \n\t ')).toEqual([]);
  });

  it('keeps shell metacharacters as plain characters', () => {
    expect(parse('echo $(whoami); rm -rf / | cat && true > out `id` *.sql #x')).toEqual([
      'echo', '$(whoami);', 'rm', '-rf', '/', '|', 'cat', '&&', 'true', '>', 'out', '`id`', '*.sql', '#x',
    ]);
  });

  it('takes single-quoted text literally, backslashes and double quotes included', () => {
    expect(parse(`sh -c 'echo "$HOME" \\n; exit 1'`)).toEqual(['sh', '-c', 'echo "$HOME" \\n; exit 1']);
  });

  it('unescapes only " \\ $ and backtick inside double quotes', () => {
    expect(parse(String.raw`say "a \"b\" \\ \$x \` \n \q"`)).toEqual(['say', 'a "b" \\ $x ` \\n \\q']);
  });

  it('joins adjacent quoted and unquoted parts into one argument', () => {
    expect(parse(`--name='my app'"'s"-x`)).toEqual(["--name=my app's-x"]);
  });

  it.each([
    ['[]', 'the JSON array is empty'],
    ['[""]', 'the first word (the program to run) is empty'],
    ['[" ", "x"]', 'the first word (the program to run) is empty'],
    ["''", 'the first word (the program to run) is empty'],
    ['"" migrate', 'the first word (the program to run) is empty'],
  ])('rejects %s, which would run no program, naming the input', (text, problem) => {
    expect(() => parse(text)).toThrow(`migration-command: ${problem}.`);
  });

  it('keeps empty quoted arguments', () => {
    expect(parse(`cmd '' "" x`)).toEqual(['cmd', '', '', 'x']);
  });

  it('escapes any character with a backslash outside quotes', () => {
    expect(parse(String.raw`a\ b \' \" \\ \$`)).toEqual(['a b', "'", '"', '\\', '$']);
  });

  it('treats backslash-newline as a line continuation', () => {
    expect(parse('npm run migrate -- \\\n  --env production')).toEqual(['npm', 'run', 'migrate', '--', '--env', 'production']);
    expect(parse('"one \\\ntwo"')).toEqual(['one two']);
  });

  it('keeps a trailing lone backslash', () => {
    expect(parse('a \\')).toEqual(['a', '\\']);
  });

  it('keeps newlines inside quotes', () => {
    expect(parse(`python -c 'import x\nx.run()'`)).toEqual(['python', '-c', 'import x\nx.run()']);
  });

  it.each([
    [`echo 'oops`, 'single quote (opened at character 6)'],
    [`echo "oops`, 'double quote (opened at character 6)'],
    [`echo "a \\"`, 'double quote'],
  ])('rejects an unterminated quote in %j', (text, detail) => {
    expect(() => parse(text)).toThrow(InputError);
    expect(() => parse(text)).toThrow(new RegExp(`^migration-command: unterminated ${detail.replace(/[()]/g, '\\$&')}`));
  });

  describe('JSON array form', () => {
    it('is used when the trimmed text starts with [', () => {
      expect(parse(' ["sh", "-c", "echo $HOME && ls"] ')).toEqual(['sh', '-c', 'echo $HOME && ls']);
    });

    it.each(['["a", 1]', '[["a"]]', '[null]', '["a",', '[a b]'])('rejects %s naming the input', (text) => {
      expect(() => parse(text)).toThrow(/^migration-command: starts with "\[" but is not/);
    });
  });
});
