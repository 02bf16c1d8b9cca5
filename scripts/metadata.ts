// Renders action.yml and the README tables from the one input schema.
// `npm run metadata` rewrites them; test/unit/metadata.test.ts fails when they drift.
import { stringify } from 'yaml';
import { COMMAND_NAMES, COMMANDS, INPUTS, inputsOf, OUTPUTS, toUpperSnake, type Command, type InputSpec } from '../src/inputs/schema.ts';

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

/** Variables the pipe reads besides the inputs: the AWS SDK's credentials and settings, the OIDC role, DEBUG. */
export const PIPE_ENVIRONMENT: Array<{ name: string; description: string; secret?: boolean }> = [
  { name: 'AWS_ACCESS_KEY_ID', description: 'AWS access key id, when not using OIDC. Use a secured variable.', secret: true },
  { name: 'AWS_SECRET_ACCESS_KEY', description: 'AWS secret access key, when not using OIDC. Use a secured variable.', secret: true },
  { name: 'AWS_SESSION_TOKEN', description: 'AWS session token, with temporary access keys. Use a secured variable.', secret: true },
  { name: 'AWS_OIDC_ROLE_ARN', description: 'IAM role to assume with the step\'s OIDC token (the step needs `oidc: true`); instead of access keys.' },
  { name: 'AWS_ROLE_SESSION_NAME', description: 'Session name of the OIDC role. Default: ecs-ship-<build number>.' },
  { name: 'AWS_DEFAULT_REGION', description: 'AWS region, when AWS_REGION is not set (the AWS CLI\'s variable).' },
  { name: 'AWS_MAX_ATTEMPTS', description: 'Attempts per AWS call, retried with backoff on throttling and server errors. Default: 10.' },
  { name: 'DEBUG', description: 'true: print debug lines.' },
];

/** Every variable of the pipe: the inputs (UPPER_SNAKE names), then PIPE_ENVIRONMENT. */
export function pipeVariables(): Array<{ name: string; description: string; required: boolean; default?: string; aliases?: string[]; secret?: boolean }> {
  return [
    ...INPUTS.map((spec) => ({
      name: toUpperSnake(spec.name),
      description: spec.description,
      required: spec.required ?? false,
      ...(spec.default ? { default: spec.default } : {}),
      ...(spec.bitbucketAliases ? { aliases: spec.bitbucketAliases } : {}),
    })),
    ...PIPE_ENVIRONMENT.map((variable) => ({ ...variable, required: false })),
  ];
}

/** Bitbucket's pipe metadata: every variable the pipe reads. */
export function pipeYml(version: string): string {
  const variables = pipeVariables().map(({ secret: _secret, ...variable }) => variable);
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

/** The commands besides deploy: each a sub-action in its own folder, `<owner>/ecs-ship/<command>@v1`. */
export const SUB_ACTIONS = COMMAND_NAMES.filter((command) => command !== 'deploy');

/**
 * A command's sub-action: the inputs that command reads, and `command` set to it (its one default: the
 * runner passes it, and the program reads which command it runs from it). The same bundle runs it.
 */
export function subActionYml(command: Command): string {
  const inputs = Object.fromEntries(
    inputsOf(command).map((spec) =>
      spec.name === 'command'
        ? [spec.name, { description: `Set by this sub-action: ${command}.`, required: false, default: command }]
        : [spec.name, { description: actionDescription(spec), required: spec.required ?? false }],
    ),
  );
  const outputs = Object.fromEntries(OUTPUTS.map((o) => [o.name, { description: o.description }]));
  const doc = { ...ACTION_HEADER, name: `ecs-ship ${command}`, description: COMMANDS[command], inputs, outputs, runs: { using: 'node24', main: '../dist/index.js' } };
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
  if (!pattern.test(document)) throw new Error(`the document has no <!-- ${name}:start --> … <!-- ${name}:end --> block`);
  return document.replace(pattern, (_, start: string, end: string) => `${start}\n${content}\n${end}`);
}

/** The pipe's variables as a table of its documentation page (docs/bitbucket-pipe.md). */
export function pipeVariablesTable(): string {
  const rows = pipeVariables().map((v) => {
    const names = [`\`${v.name}\``, ...(v.aliases ?? []).map((alias) => `\`${alias}\``)].join(', ');
    const usage = `${v.required ? 'Required' : 'Optional'}${v.default ? `; default \`${v.default}\`` : ''}${v.secret ? '; secret' : ''}`;
    return `| ${names} | ${usage} | ${cell(v.description)} |`;
  });
  return ['| variable | usage | description |', '|---|---|---|', ...rows].join('\n');
}

export function pipeDocWithTables(doc: string): string {
  return replaceBlock(doc, 'pipe-variables', pipeVariablesTable());
}

export function readmeWithTables(readme: string): string {
  return replaceBlock(replaceBlock(readme, 'inputs', inputsTable()), 'outputs', outputsTable());
}
