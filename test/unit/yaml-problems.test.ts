import { parseDocument } from 'yaml';
import { parseAppConfig } from '../../src/config/app-config';
import { problemsIfAny } from '../support/problems';
import { yamlProblems } from '../../src/inputs/yaml-problems';
import { parseTaskDefinition } from '../../src/taskdef/load';

const problemsOf = problemsIfAny;

describe('YAML errors', () => {
  // Unclosed { and [ on line 6: the parser reports two errors at one place, and two more at the next line.
  const template = ['family: web', 'containerDefinitions:', '  - name: web', '    image: ${IMAGE}', '    environment: [', '      { name: A, value: "1"', '  - name: b', '    image: x: y', ''].join('\n');

  test('the parser gives several errors at one place; each place is one problem', () => {
    const errors = parseDocument(template).errors;
    const problems = yamlProblems('td.yaml', errors);
    expect(errors.length).toBeGreaterThan(problems.length);
    expect(problems.map((p) => p.split('\n')[0])).toEqual([
      'td.yaml:7: Flow map in block collection must be sufficiently indented and end with a }; Flow sequence in block collection must be sufficiently indented and end with a ].',
      'td.yaml:7: Nested mappings are not allowed in compact mappings; Implicit keys need to be on a single line.',
      'td.yaml:8: Nested mappings are not allowed in compact mappings.',
    ]);
  });

  test('each problem carries the whole frame: the lines before, the line itself and the caret', () => {
    const [first] = yamlProblems('td.yaml', parseDocument(template).errors);
    expect(first.split('\n').slice(1)).toEqual(['          { name: A, value: "1"', '      - name: b', '      ^']);
    expect(first).not.toMatch(/at line \d+, column \d+/);
  });

  test('a template: every problem, with the input named once each', () => {
    const problems = problemsOf(() => parseTaskDefinition(template, 'td.yaml'));
    expect(problems).toHaveLength(3);
    for (const problem of problems) expect(problem).toMatch(/^task-definition: td\.yaml:\d+: invalid YAML: [^\n]+\.\n {4}/);
  });

  test('the config file: the same, one problem per place with its frame', () => {
    const problems = problemsOf(() => parseAppConfig('ecs-ship.yml', ['cluster: prod', 'services:', '  web:', '    image: app', '    task-definition: [a', '  worker: {', ''].join('\n')));
    expect(problems).toEqual([
      ['ecs-ship.yml:6: Flow sequence in block collection must be sufficiently indented and end with a ].', '        task-definition: [a', '      worker: {', '      ^'].join('\n'),
      expect.stringMatching(/^ecs-ship\.yml:7: Flow map in block collection must be sufficiently indented and end with a \}\.\n {6}worker: \{\n/),
    ]);
  });
});
