import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromDescribeOutput, loadTemplate, parseTaskDefinition } from '../../src/taskdef/load';
import { problemsOf } from '../support/problems';

const minimal = { family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx:1' }] };

const describeOutput = {
  taskDefinition: {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
    family: 'web',
    revision: 7,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true, environment: [], mountPoints: [], volumesFrom: [] }],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    registeredAt: '2024-05-01T10:00:00.000Z',
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/ci',
  },
  tags: [{ key: 'team', value: 'web' }],
};

describe('parseTaskDefinition', () => {
  it('parses JSON', () => {
    expect(parseTaskDefinition(JSON.stringify(minimal, null, 2), 'td.json')).toEqual(minimal);
  });

  it('parses YAML 1.2: yes/no/on stay strings', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx:1\n    environment:\n      - { name: FLAG, value: yes }\n      - { name: MODE, value: on }\n';
    const parsed = parseTaskDefinition(yaml, 'td.yml');
    expect(parsed.containerDefinitions[0].environment).toEqual([
      { name: 'FLAG', value: 'yes' },
      { name: 'MODE', value: 'on' },
    ]);
  });

  it('keeps the source text of YAML numbers that would not survive as numbers', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx:1\n    cpu: 256\n    environment:\n      - { name: VERSION, value: 1.10 }\n      - { name: ZIP, value: 0123 }\n      - { name: BIG, value: 1e3 }\n      - { name: DEBUG, value: True }\n';
    const container = parseTaskDefinition(yaml, 'td.yml').containerDefinitions[0];
    expect(container.cpu).toBe(256);
    expect(container.environment.map((entry: { value: unknown }) => entry.value)).toEqual(['1.10', '0123', '1e3', 'True']);
  });

  it('supports YAML anchors and merge keys, and drops top-level x- keys', () => {
    const yaml = 'family: web\nx-base: &base { image: "nginx:1", essential: true }\ncontainerDefinitions:\n  - <<: *base\n    name: app\n';
    expect(parseTaskDefinition(yaml, 'td.yml')).toEqual({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx:1', essential: true }] });
  });

  it('accepts JSON with trailing commas through YAML flow syntax', () => {
    expect(parseTaskDefinition('{"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:1",},],}', 'td.json')).toEqual(minimal);
  });

  it('unwraps a pasted describe-task-definition result, drops output-only fields and keeps the tags', () => {
    const parsed = parseTaskDefinition(JSON.stringify(describeOutput), 'td.json');
    expect(parsed).toEqual({
      family: 'web',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: describeOutput.taskDefinition.containerDefinitions,
      requiresCompatibilities: ['FARGATE'],
      tags: [{ key: 'team', value: 'web' }],
    });
  });

  it('drops output-only fields from a bare task definition and leaves no tags when the described ones are empty', () => {
    const parsed = parseTaskDefinition(JSON.stringify({ ...describeOutput, tags: [] }), 'td.json');
    expect(parsed).not.toHaveProperty('tags');
    const bare = parseTaskDefinition(JSON.stringify(describeOutput.taskDefinition), 'td.json');
    expect(bare).not.toHaveProperty('revision');
    expect(bare).not.toHaveProperty('taskDefinitionArn');
    expect(bare).not.toHaveProperty('registeredAt');
  });

  it('reports JSON syntax errors with line and column', () => {
    const [problem] = problemsOf(() => parseTaskDefinition('{\n  "family": "web"\n  "containerDefinitions": []\n}', 'td.json'));
    expect(problem).toMatch(/^task-definition: td\.json: invalid JSON: .* at line 3, column 3$/);
  });

  it('reports a YAML syntax error with its line and the whole frame under it, once', () => {
    const [problem] = problemsOf(() => parseTaskDefinition('family: web\ncontainerDefinitions:\n  - name: a: b\n', 'td.yml'));
    expect(problem).toBe(['task-definition: td.yml:3: invalid YAML: Nested mappings are not allowed in compact mappings.', '      - name: a: b', `${' '.repeat(14)}^`].join('\n'));
  });

  it('refuses keys that are one key once parsed (true and "true") and unknown tags, naming their lines', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: web\n    image: !shell echo web\n    dockerLabels:\n      true: a\n      "true": b\n';
    expect(problemsOf(() => parseTaskDefinition(yaml, 'td.yml'))).toEqual(['task-definition: td.yml: key "true" appears twice in containerDefinitions[0].dockerLabels (lines 6 and 7). Expected each key once.']);
    expect(problemsOf(() => parseTaskDefinition(yaml.replace('      "true": b\n', ''), 'td.yml'))).toEqual(['task-definition: td.yml: line 4: unknown tag: !shell. Expected plain YAML values, without tags.']);
  });

  it('rejects several YAML documents', () => {
    expect(() => parseTaskDefinition('family: a\n---\nfamily: b\n', 'td.yml')).toThrow(/multiple documents/);
  });

  it.each([
    ['', 'an empty document'],
    ['- a\n- b\n', 'a list'],
    ['just text', 'a string'],
  ])('rejects a document that is not a mapping: %j', (text, kind) => {
    expect(problemsOf(() => parseTaskDefinition(text, 'td.yml'))).toEqual([
      `task-definition: td.yml: expected a task definition (a JSON object or YAML mapping), got ${kind}.`,
    ]);
  });

  it('lists every shape problem at once', () => {
    const text = JSON.stringify({ containerDefinitions: [{ name: 'app' }, { image: 'x' }, 'oops', { name: ' ', image: 'y' }] });
    expect(problemsOf(() => parseTaskDefinition(text, 'td.json'))).toEqual([
      'task-definition: td.json: "family" is missing or not a non-empty string.',
      'task-definition: td.json: containerDefinitions[0] has no "image" (a non-empty string).',
      'task-definition: td.json: containerDefinitions[1] has no "name" (a non-empty string).',
      'task-definition: td.json: containerDefinitions[2] is not an object.',
      'task-definition: td.json: containerDefinitions[3] has no "name" (a non-empty string).',
    ]);
  });

  it('requires a non-empty containerDefinitions list', () => {
    expect(problemsOf(() => parseTaskDefinition('family: web\ncontainerDefinitions: []\n', 'td.yml'))).toEqual([
      'task-definition: td.yml: "containerDefinitions" is missing or not a non-empty list.',
    ]);
  });
});

describe('fromDescribeOutput', () => {
  it('turns an SDK describe result into a register input', () => {
    const sdkResult = { $metadata: {}, ...describeOutput, taskDefinition: { ...describeOutput.taskDefinition, registeredAt: new Date() } };
    const definition = fromDescribeOutput(sdkResult);
    expect(definition).toEqual(parseTaskDefinition(JSON.stringify(describeOutput), 'x'));
  });
});

describe('loadTemplate', () => {
  it('reads the file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ecs-ship-td-')), 'td.json');
    writeFileSync(path, '{}');
    expect(loadTemplate(path)).toBe('{}');
  });

  it('names task-definition and the path when the file is missing', () => {
    expect(problemsOf(() => loadTemplate('/nowhere/td.json'))).toEqual(['task-definition: file not found: /nowhere/td.json']);
  });
});
