import { parseAppConfig } from '../../src/config/app-config';
import { problemsIfAny } from '../support/problems';
import { parseVarLines } from '../../src/inputs/vars';

const problemsOf = (text: string): string[] => problemsIfAny(() => parseAppConfig('ecs-ship.yml', text));

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

describe('vars written as KEY=VALUE lines in the config file', () => {
  test('given a line in YAML style, the problem names the file\'s line and the name, never the value', () => {
    const problems = problemsOf('cluster: prod\nvars: |\n  DB_HOST=db.internal\n  API_TOKEN: c2VjcmV0LXRva2Vu==\nservices: {}\n');
    expect(problems).toEqual(['ecs-ship.yml:4: vars: line 2 of its value is in YAML style (API_TOKEN: …). Expected API_TOKEN=VALUE.']);
  });

  test('given a PEM block over several lines, the problem names its first line and quotes none of it', () => {
    const problems = problemsOf('vars: |\n  TLS_KEY=-----BEGIN PRIVATE KEY-----\n  MIIEv+QIBADAN/Bg==\n  -----END PRIVATE KEY-----\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ecs-ship\.yml:2: vars: line 1 of its value: the value of TLS_KEY begins a PEM block/);
    expect(problems[0]).not.toContain('MIIE');
  });
});

describe('the YAML the config file takes', () => {
  test('given keys that are one key once parsed (true and "true"), or the same key twice, each is a problem naming both lines', () => {
    expect(problemsOf('vars:\n  true: a\n  "true": b\nservices:\n  web: { task-definition-arn: web:1 }\n  web: { task-definition-arn: web:2 }\n')).toEqual([
      'ecs-ship.yml:3: vars: key "true" appears twice (lines 2 and 3). Expected each key once.',
      'ecs-ship.yml:6: services: key "web" appears twice (lines 5 and 6). Expected each key once.',
    ]);
  });

  test('given a tag, an alias or a merge key, each is a problem that says the file does not take it', () => {
    const problems = problemsOf('cluster: !shell echo prod\nbase: &base\n  wait: true\nvars: !!binary aGk=\nenvironments:\n  dev:\n    <<: *base\n    cluster: *base\n');
    expect(problems).toEqual([
      'ecs-ship.yml:1: !shell: an unknown tag. Expected plain YAML values, without tags.',
      'ecs-ship.yml:4: !!binary: an unknown tag. Expected plain YAML values, without tags.',
      'ecs-ship.yml:7: <<: a merge key, which ecs-ship.yml does not take. Expected the settings written out; settings the services share go at the top level or in an environment.',
      'ecs-ship.yml:8: *base: an alias, which ecs-ship.yml does not take. Expected the value written out; settings the services share go at the top level or in an environment.',
      // The file's other problems come with them.
      expect.stringMatching(/^ecs-ship\.yml:2: base: unknown key\./),
    ]);
  });
});

describe('the migration and the scheduled tasks in the config file', () => {
  const app = (more: string) => `images:\n  app: { image: app }\nservices:\n  web: { image: app }\n  worker: { image: app }\n${more}`;

  test('given the migration command as a list, it is the list of its arguments', () => {
    const config = parseAppConfig('ecs-ship.yml', app('migration:\n  service: web\n  command: [bin/migrate, --to, latest version]\n'));
    expect(config.migration!.settings['migration-command']).toBe('["bin/migrate","--to","latest version"]');
  });

  test('given a command that is a map, that is the problem; an empty one is "required"', () => {
    expect(problemsOf(app('migration:\n  service: web\n  command: { run: x }\n'))).toEqual(['ecs-ship.yml:8: migration.command: expected a single value.']);
    expect(problemsOf(app('migration:\n  service: web\n  command:\n'))).toEqual(['ecs-ship.yml:8: migration.command: required: the migration command, as a command line or a list of its arguments.']);
  });

  test('given scheduled-task names where settings are shared, the problem says names belong to a service', () => {
    expect(problemsOf(app('scheduled-tasks: nightly\nenvironments:\n  dev:\n    scheduled-tasks: [a, b]\n'))).toEqual([
      "ecs-ship.yml:6: scheduled-tasks: names rules or schedules for every service, but each runs one service's family. Expected true or false here, and the names under services.<name>.scheduled-tasks.",
      expect.stringMatching(/^ecs-ship\.yml:9: environments\.dev\.scheduled-tasks: names rules or schedules for every service/),
    ]);
    expect(parseAppConfig('ecs-ship.yml', app('scheduled-tasks: true\n')).shared['scheduled-tasks']).toBe('true');
  });
});
