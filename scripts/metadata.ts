// Renders action.yml and the README tables from the one input schema.
// `npm run metadata` rewrites them; test/unit/metadata.test.ts fails when they drift.
import { stringify } from 'yaml';
import { INPUTS, OUTPUTS, toUpperSnake, type InputSpec } from '../src/inputs/schema.ts';

export const ACTION_HEADER = {
  name: 'ecs-ship',
  description: 'Build, push, migrate and deploy to Amazon ECS Fargate in one step, and roll back when the rollout fails.',
  author: 'ecs-ship',
  branding: { icon: 'upload-cloud', color: 'orange' },
};

export const PIPE = {
  image: 'ecsship/ecs-ship',
  repository: 'https://bitbucket.org/ecs-ship/ecs-ship',
  website: 'https://github.com/ecs-ship/ecs-ship',
};

/** Bitbucket's pipe metadata; the variables list mirrors the schema (UPPER_SNAKE names). */
export function pipeYml(version: string): string {
  const variables = INPUTS.map((spec) => ({
    name: toUpperSnake(spec.name),
    description: spec.description,
    required: spec.required ?? false,
    ...(spec.default ? { default: spec.default } : {}),
    ...(spec.bitbucketAliases ? { aliases: spec.bitbucketAliases } : {}),
  }));
  const doc = {
    name: 'ecs-ship',
    image: `${PIPE.image}:${version}`,
    category: 'Deployment',
    description: ACTION_HEADER.description,
    repository: PIPE.repository,
    maintainer: { name: 'ecs-ship', website: PIPE.website },
    vendor: { name: 'ecs-ship', website: PIPE.website },
    tags: ['aws', 'ecs', 'fargate', 'ecr', 'deployment', 'docker', 'migration'],
    variables,
  };
  return `# Generated from src/inputs/schema.ts by \`npm run metadata\`; edit the schema, not this file.\n${stringify(doc, { lineWidth: 0 })}`;
}

export function actionYml(): string {
  const inputs = Object.fromEntries(
    // No `default:` here: the runner would pass it as if given, and a given input overrides the config file.
    INPUTS.map((spec) => [spec.name, { description: actionDescription(spec), required: spec.required ?? false }]),
  );
  const outputs = Object.fromEntries(OUTPUTS.map((o) => [o.name, { description: o.description }]));
  const doc = { ...ACTION_HEADER, inputs, outputs, runs: { using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' } };
  return `# Generated from src/inputs/schema.ts by \`npm run metadata\`; edit the schema, not this file.\n${stringify(doc, { lineWidth: 0 })}`;
}

/** The default, which the schema applies, in words. */
function actionDescription(spec: InputSpec): string {
  return spec.default && !/\bDefault:/.test(spec.description) ? `${spec.description} Default: ${spec.default}.` : spec.description;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function defaultCell(spec: InputSpec): string {
  if (spec.required) return '**required**';
  return spec.default ? `\`${spec.default}\`` : '';
}

export function inputsTable(): string {
  const rows = INPUTS.map(
    (s) => `| \`${s.name}\` | \`${toUpperSnake(s.name)}\` | \`--${s.name}\` | ${s.type} | ${defaultCell(s)} | ${cell(s.description)} |`,
  );
  return ['| input | Bitbucket variable | CLI flag | type | default | description |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function outputsTable(): string {
  return ['| output | description |', '|---|---|', ...OUTPUTS.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`)].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBlock(document: string, name: string, content: string): string {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(document)) throw new Error(`README.md has no ${name} block`);
  return document.replace(pattern, (_, start: string, end: string) => `${start}\n${content}\n${end}`);
}

export function readmeWithTables(readme: string): string {
  return replaceBlock(replaceBlock(readme, 'inputs', inputsTable()), 'outputs', outputsTable());
}
