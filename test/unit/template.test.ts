import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/shared/errors';
import { buildLookup } from '../../src/taskdef/render';
import { prepareTaskDefinition, readTaskDefinition } from '../../src/taskdef/template';

// Values that break naive text substitution in JSON or YAML.
const awkward = {
  IMAGE: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:abc',
  QUOTED: `she said "hi" and 'bye' \\o/`,
  MULTILINE: 'line one\nline two: still\n  indented',
  YAML_SYNTAX: 'key: value # not a comment - [a, b] {c} & * ! | > %',
  PORT: '8080',
};
const lookup = buildLookup([awkward]);

const jsonTemplate = `{
  "family": "shop",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "\${IMAGE}",
      "portMappings": [{ "containerPort": "\${PORT}" }],
      "environment": [
        { "name": "QUOTED", "value": "\${QUOTED}" },
        { "name": "MULTILINE", "value": "\${MULTILINE}" },
        { "name": "YAML_SYNTAX", "value": "prefix \${YAML_SYNTAX}" },
        { "name": "PORT", "value": "\${PORT}" }
      ]
    }
  ]
}`;

const yamlTemplate = `
family: shop
containerDefinitions:
  - name: web
    image: \${IMAGE}
    portMappings:
      - containerPort: \${PORT}
    environment:
      - name: QUOTED
        value: \${QUOTED}
      - name: MULTILINE
        value: "\${MULTILINE}"
      - name: YAML_SYNTAX
        value: prefix \${YAML_SYNTAX}
      - name: PORT
        value: \${PORT}
`;

const expected = {
  family: 'shop',
  containerDefinitions: [
    {
      name: 'web',
      image: awkward.IMAGE,
      portMappings: [{ containerPort: 8080 }],
      environment: [
        { name: 'QUOTED', value: awkward.QUOTED },
        { name: 'MULTILINE', value: awkward.MULTILINE },
        { name: 'YAML_SYNTAX', value: `prefix ${awkward.YAML_SYNTAX}` },
        { name: 'PORT', value: '8080' },
      ],
    },
  ],
};

describe('prepareTaskDefinition', () => {
  it('renders quotes, backslashes, newlines and YAML syntax into a JSON template intact', () => {
    expect(prepareTaskDefinition(jsonTemplate, 'td.json', lookup)).toEqual(expected);
  });

  it('renders the same values into a YAML template intact', () => {
    expect(prepareTaskDefinition(yamlTemplate, 'td.yml', lookup)).toEqual(expected);
  });

  it('checks the shape again after rendering', () => {
    const text = 'family: shop\ncontainerDefinitions:\n  - name: web\n    image: ${IMAGE}\n';
    expect(() => prepareTaskDefinition(text, 'td.yml', buildLookup([{ IMAGE: ' ' }]))).toThrow(
      new InputError(['task-definition: td.yml: containerDefinitions[0] has no "image" (a non-empty string).']),
    );
  });

  it('reads the template file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ecs-ship-template-')), 'td.yml');
    writeFileSync(path, yamlTemplate);
    expect(readTaskDefinition(path, lookup)).toEqual(expected);
  });
});
