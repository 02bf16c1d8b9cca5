// Issue 5, "Fail fast, explain, recover": whatever the inputs and the template, the bundle ends with
// exit code 0, 1 or 2 and a message a person can act on — never an uncaught exception or a stack
// trace — and an input error (exit 2) comes before any change in AWS.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunResult } from '../support/harness';
import { deploy, failureMessage, IMAGE, stackFrames } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
beforeAll(async () => {
  world = await givenService({ desiredCount: 1 });
});
afterAll(async () => world?.close());

/** Any text, weighted towards what parsers trip on; no NUL, which no environment variable can hold. */
const junk = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '$', '{', '}', '[', ']', '=', '#', ' ', '\n', '\t', ':', '-', ',', 'a', '1', '.', 'e') }),
  fc.string({ unit: 'binary', maxLength: 20 }).map((text) => text.replace(/\0/g, '')),
  fc.constantFrom('', ' ', '\n', 'null', 'undefined', '[]', '{}', '${X}', '$${', '-'),
);

/** Per input: values a person would write, and values that are wrong (junk, or well-formed but wrong). */
const booleans = { good: ['true', 'false'], bad: ['TRUE ', 'yes', '1', 'on', 'ture'] };
const minutes = { good: ['0.05', '0.5', '30'], bad: ['0', '-1', 'NaN', 'Infinity', '1e999', '0x10', '1,5', '30m'] };
const INPUT_VALUES: Record<string, { good: string[]; bad: string[] }> = {
  cluster: { good: [CLUSTER, `arn:aws:ecs:us-east-1:123456789012:cluster/${CLUSTER}`], bad: ['', 'nope', 'prod/web'] },
  service: { good: [SERVICE], bad: ['', 'nope', 'arn:aws:ecs:us-east-1:123456789012:service/other/web'] },
  image: { good: [IMAGE, '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2'], bad: ['', 'UPPER/Case:tag', 'web@sha256:zz', 'host:99999/x', 'a b'] },
  // build stays false: a build would need Docker.
  build: { good: ['false'], bad: ['no', '0', 'False!'] },
  vars: { good: ['DB_HOST=db.prod.internal', 'DB_HOST=db.prod.internal\n# a comment\nexport OTHER="x y"'], bad: ['', '1BAD=x', 'NOEQUALS', 'DB_HOST="unterminated'] },
  'container-name': { good: ['', 'web'], bad: ['nope', 'WEB', 'log-router'] },
  'migration-command': { good: ['', 'bin/migrate', 'bin/rails db:migrate', '["bin/migrate", "--all"]'], bad: ['["a", 1]', '[oops', '"unterminated', "it's"] },
  'migration-container': { good: ['', 'web'], bad: ['nope', 'log-router'] },
  'migration-timeout-minutes': minutes,
  wait: booleans,
  'wait-timeout-minutes': minutes,
  'max-task-failures': { good: ['1', '3'], bad: minutes.bad },
  rollback: booleans,
  'force-new-deployment': booleans,
  'stop-migration-on-cancel': booleans,
  'dry-run': booleans,
  'aws-region': { good: ['', 'us-east-1'], bad: ['not a region', 'mars-north-1'] },
};
const INPUT_NAMES = Object.keys(INPUT_VALUES);

/** Good values for every input, then up to three of them replaced by wrong ones. */
const inputsArbitrary: fc.Arbitrary<Record<string, string>> = fc
  .record({
    good: fc.record(Object.fromEntries(INPUT_NAMES.map((name) => [name, fc.constantFrom(...INPUT_VALUES[name].good)]))),
    broken: fc.uniqueArray(
      fc.constantFrom(...INPUT_NAMES).chain((name) =>
        fc.tuple(fc.constant(name), fc.oneof(fc.constantFrom(...INPUT_VALUES[name].bad), junk.filter((text) => name !== 'build' || !/^\s*(true)?\s*$/i.test(text)))),
      ),
      { maxLength: 3, selector: ([name]) => name },
    ),
  })
  .map(({ good, broken }) => ({ ...good, ...Object.fromEntries(broken) }));

/** Fields a template author can get wrong, at the task and at the container level. */
const TASK_FIELDS = ['family', 'containerDefinitions', 'cpu', 'memory', 'networkMode', 'requiresCompatibilities', 'executionRoleArn', 'volumes', 'tags'];
const CONTAINER_FIELDS = ['name', 'image', 'essential', 'portMappings', 'environment', 'command', 'cpu', 'memory', 'logConfiguration', 'healthCheck', 'secrets'];

const templateText = fc.oneof(
  { weight: 6, arbitrary: fc.constant(JSON.stringify(webTemplate(), null, 2)) },
  fc.constant(stringify(webTemplate())),
  // Truncated JSON or YAML.
  fc.tuple(fc.boolean(), fc.nat()).map(([json, n]) => {
    const text = json ? JSON.stringify(webTemplate(), null, 2) : stringify(webTemplate());
    return text.slice(0, n % text.length);
  }),
  // A field removed or given a value of any type.
  fc
    .record({
      container: fc.boolean(),
      field: fc.constantFrom(...TASK_FIELDS, ...CONTAINER_FIELDS),
      value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
      yaml: fc.boolean(),
    })
    .map(({ container, field, value, yaml }) => {
      const template = webTemplate();
      const target = container ? template.containerDefinitions[0] : template;
      if (value === undefined) delete target[field];
      else target[field] = value;
      return yaml ? stringify(template) : JSON.stringify(template);
    }),
  fc.constantFrom(
    '',
    '---\n',
    'null',
    '42',
    '"a string"',
    '- a\n- b\n',
    'family: [unclosed',
    '{"family": "web",}',
    '{"family": "web", "containerDefinitions": []}',
    'family: web\ncontainerDefinitions: 3\n',
    'a: &x [*x]',
    '{"taskDefinition": {"family": "web"}}',
    '\tfamily: web',
  ),
  junk,
);

interface Case {
  inputs: Record<string, string>;
  template: string;
  templatePath: 'file' | 'missing' | 'directory' | 'none';
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  inputs: inputsArbitrary,
  template: templateText,
  templatePath: fc.oneof({ weight: 6, arbitrary: fc.constant('file' as const) }, fc.constantFrom('missing' as const, 'directory' as const, 'none' as const)),
});

let count = 0;

async function runCase({ inputs, template, templatePath }: Case): Promise<{ run: RunResult; mutating: string[] }> {
  const before = world.sim.mutatingCalls().length;
  const path = {
    file: () => {
      const file = join(world.dir, `template-${++count}.${template.trimStart().startsWith('{') ? 'json' : 'yaml'}`);
      writeFileSync(file, template);
      return file;
    },
    missing: () => `${world.dir}/no-such-template.json`,
    directory: () => world.dir,
    none: () => '',
  }[templatePath]();
  // deploy() fills in a good value for every input the case leaves out.
  const run = await deploy(world, { ...inputs, 'task-definition': path }, { timeoutMs: 60_000 });
  return { run, mutating: world.sim.mutatingCalls().slice(before) };
}

/** An input error is one problem, or "N problems with the inputs:" and a "- " line each; every problem starts with its input's name. */
function problemsNameTheirInput(message: string): boolean {
  const problems = /^\d+ problems with the inputs:\n/.test(message)
    ? message.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.slice(2))
    : [message];
  return problems.length > 0 && problems.every((problem) => /^[a-z][a-z-]*: /.test(problem));
}

describe('any inputs and any template', () => {
  test('given random and malformed inputs and templates, the deploy exits 0, 1 or 2 with a clear message, no stack trace, and changes nothing on bad input', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (input) => {
        const { run, mutating } = await runCase(input);
        const message = failureMessage(run);
        const context = `exit ${run.code}, message ${JSON.stringify(message)}, mutating ${JSON.stringify(mutating)}\n${run.log}`;

        if (![0, 1, 2].includes(run.code ?? -1)) throw new Error(`unexpected exit code: ${context}`);
        if (stackFrames(run).length > 0) throw new Error(`stack trace printed: ${context}`);
        if (run.code !== 0 && (message.trim() === '' || /^Unexpected /.test(message))) throw new Error(`no clear message: ${context}`);
        if (run.code === 2 && !problemsNameTheirInput(message)) throw new Error(`an input problem that names no input: ${context}`);
        if (run.code === 2 && mutating.length > 0) throw new Error(`changed AWS after an input error: ${context}`);
        if (run.code === 0 && message !== '') throw new Error(`succeeded with an error annotation: ${context}`);
      }),
      { numRuns: 35, interruptAfterTimeLimit: 45_000 },
    );
  }, 120_000);
});
