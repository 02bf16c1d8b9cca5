import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionYml, pipeDocWithTables, pipeYml, readmeWithTables, SUB_ACTIONS, subActionYml } from '../../scripts/metadata.ts';
import { COMMAND_NAMES, INPUTS, inputsOf, OUTPUTS, toUpperSnake } from '../../src/inputs/schema';

const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('one input schema', () => {
  test('action.yml is what the schema renders to (run `npm run metadata` after changing the schema)', () => {
    expect(read('action.yml')).toBe(actionYml());
  });

  test('action.yml declares every input and output of the schema, runs on node24 from dist/', () => {
    const action = parse(read('action.yml'));
    expect(Object.keys(action.inputs)).toEqual(INPUTS.map((i) => i.name));
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map((o) => o.name));
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' });
    for (const spec of INPUTS) expect(action.inputs[spec.name].required).toBe(spec.required ?? false);
  });

  test('every command but deploy is a sub-action in its own folder, which sets command and runs the same bundle (run `npm run metadata`)', () => {
    expect(SUB_ACTIONS).toEqual(COMMAND_NAMES.filter((c) => c !== 'deploy'));
    for (const command of SUB_ACTIONS) {
      expect(read(`${command}/action.yml`)).toBe(subActionYml(command));
      const action = parse(read(`${command}/action.yml`));
      expect(action.inputs.command.default).toBe(command);
      expect(Object.keys(action.inputs)).toEqual(inputsOf(command).map((i) => i.name));
      expect(action.runs).toEqual({ using: 'node24', main: '../dist/index.js' });
    }
  });

  test('the root action is deploy: its command input has no default (the program applies it) and lists every command', () => {
    const action = parse(read('action.yml'));
    expect(action.inputs.command.default).toBeUndefined();
    for (const command of COMMAND_NAMES) expect(action.inputs.command.description).toContain(command);
  });

  test('the README tables are what the schema renders to', () => {
    const readme = read('README.md');
    expect(readme).toBe(readmeWithTables(readme));
    for (const spec of INPUTS) expect(readme).toContain(`| \`${spec.name}\` |`);
  });
});

describe('the pipe', () => {
  const version = JSON.parse(read('package.json')).version;
  const pipe = parse(read('pipe.yml'));
  const declared: string[] = pipe.variables.flatMap((v: { name: string; aliases?: string[] }) => [v.name, ...(v.aliases ?? [])]);

  test('pipe.yml is what the schema renders to (run `npm run metadata` after changing the schema)', () => {
    expect(read('pipe.yml')).toBe(pipeYml(version));
  });

  test('pipe.yml declares every input, the AWS credentials, the OIDC role, the default region and DEBUG', () => {
    for (const spec of INPUTS) expect(declared).toContain(toUpperSnake(spec.name));
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_OIDC_ROLE_ARN', 'AWS_DEFAULT_REGION', 'DEBUG']) {
      expect(declared).toContain(name);
    }
  });

  test('pipe.yml declares every variable src/ reads that a pipeline sets (not those Bitbucket, GitHub or ecs-ship itself set)', () => {
    // DOCKER_HOST: set by the step's docker service.
    const setByOthers = /^(BITBUCKET_|GITHUB_|RUNNER_|STATE_|INPUT_)|^(HOME|DOCKER_CONFIG|DOCKER_HOST|NO_COLOR|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_ROLE_ARN|AWS_ENDPOINT_URL.*)$/;
    const read_ = sourceFiles(join(root, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)].map((m) => m[1] ?? m[2]));
    expect(read_).toEqual(expect.arrayContaining(['AWS_OIDC_ROLE_ARN', 'AWS_DEFAULT_REGION', 'DEBUG']));
    expect([...new Set(read_)].filter((name) => !setByOthers.test(name) && !declared.includes(name))).toEqual([]);
  });

  test("docs/bitbucket-pipe.md has Atlassian's sections in order, the variables table pipe.yml has, and the README links it", () => {
    const doc = read('docs/bitbucket-pipe.md');
    expect([...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['YAML Definition', 'Variables', 'Details', 'Prerequisites', 'Examples', 'Support']);
    expect(doc).toBe(pipeDocWithTables(doc));
    for (const name of declared) expect(doc).toContain(`\`${name}\``);
    expect(read('README.md')).toContain('](docs/bitbucket-pipe.md)');
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
