import { parseAppConfig } from '../../src/config/app-config';
import { InputError } from '../../src/core/errors';
import { parseVarLines } from '../../src/inputs/vars';

const problemsOf = (text: string): string[] => {
  try {
    parseAppConfig('ecs-ship.yml', text);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
};

const varsOf = (yaml: string): Record<string, string> => parseVarLines(parseAppConfig('ecs-ship.yml', yaml).shared.vars, 'vars');

describe('a vars map of the config file', () => {
  test('given a value of several lines, it is one var: its lines are not read as vars of their own', () => {
    const vars = varsOf('vars:\n  NOTE: |\n    first line\n    DB_HOST=evil.example.com\n  DB_HOST: db.internal\n');
    expect(vars).toEqual({ NOTE: 'first line\nDB_HOST=evil.example.com\n', DB_HOST: 'db.internal' });
  });

  test.each([
    ['in quotes', `'"quoted"'`, '"quoted"'],
    ['with spaces around it', `"  padded  "`, '  padded  '],
    ['with a backslash and a quote', `'a\\"b\\'`, 'a\\"b\\'],
    ['with a tab', `"a\\tb"`, 'a\tb'],
    ['with " #"', `"a # b"`, 'a # b'],
  ])('given a value %s, the var gets it as written', (_, yaml, value) => {
    expect(varsOf(`vars:\n  V: ${yaml}\n`)).toEqual({ V: value });
  });

  test('given a key that is not a var name, or a build arg of several lines, the file has a problem at that line', () => {
    expect(problemsOf('vars:\n  not-a-name: x\n')).toEqual(['ecs-ship.yml:1: vars: not-a-name is not a var name. Expected letters, digits and _, not starting with a digit.']);
    const problems = problemsOf('images:\n  app:\n    image: app\n    build-args:\n      CERT: |\n        a\n        b\n');
    expect(problems).toContain('ecs-ship.yml:4: images.app.build-args: the value of CERT has several lines. Expected one line: each is a --build-arg.');
  });
});
