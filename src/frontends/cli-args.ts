import { InputError } from '../core/errors';
import type { RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'deploy'; raw: RawInputs } | { kind: 'simulator'; argv: string[] };

/** `redeploy` is `deploy --redeploy`: the services restart on what they run. */
const VERBS = ['deploy', 'redeploy'];
/** Shorter spellings of options, for people at a terminal. */
const ALIASES: Record<string, string> = { env: 'environment' };

/**
 * `ecs-ship deploy|redeploy [service…] --name value|--name=value|--flag|--no-flag …`; list inputs may
 * repeat; the words that are not options name the config file's services to deploy. `-h`/`--help` and
 * `-v`/`--version` count where an option may stand, not as the value of one. Every problem is reported at once.
 */
export function parseCliArgs(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || HELP.has(command)) return { kind: 'help' };
  if (VERSION.has(command)) return { kind: 'version' };
  // The simulator reads its own options (and its own --help).
  if (command === 'simulator') return { kind: 'simulator', argv: rest };
  if (!VERBS.includes(command)) throw new InputError([`unknown command "${command}". Expected: ecs-ship deploy [services] [options], or ecs-ship redeploy [services] [options] (see --help).`]);
  const values = new Map<string, string[]>(command === 'redeploy' ? [['redeploy', ['true']]] : []);
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (HELP.has(arg)) return { kind: 'help' };
    if (VERSION.has(arg)) return { kind: 'version' };
    if (!arg.startsWith('-')) {
      values.set('services', [...(values.get('services') ?? []), arg]);
      continue;
    }
    const option = readOption(rest, i);
    i = option.next;
    if ('problem' in option) {
      problems.push(option.problem);
      continue;
    }
    const list = values.get(option.name) ?? [];
    if (list.length > 0 && option.spec.type !== 'list') problems.push(`--${option.name}: given more than once.`);
    values.set(option.name, [...list, option.value]);
  }
  if (problems.length > 0) throw new InputError(problems);
  return { kind: 'deploy', raw: (spec: InputSpec) => values.get(spec.name)?.join('\n') };
}

const HELP = new Set(['-h', '--help']);
const VERSION = new Set(['-v', '--version']);

type ReadOption = { name: string; spec: InputSpec; value: string; next: number } | { problem: string; next: number };

/** The option at `rest[i]` and its value; `next` is the index of the last argument it used. */
function readOption(rest: string[], i: number): ReadOption {
  const arg = rest[i];
  const following = rest[i + 1];
  const takesWord = following !== undefined && !following.startsWith('-');
  const match = /^--(no-)?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
  if (match) match[2] = ALIASES[match[2]] ?? match[2];
  const spec = match && INPUTS.find((s) => s.name === match[2]);
  // An unknown option's value, if it has one, is not a second problem.
  if (!match || !spec) return { problem: `unknown option "${arg}". See ecs-ship --help for the options.`, next: takesWord && !arg.includes('=') ? i + 1 : i };
  const [, negated, name, inline] = match;
  if (spec.type === 'boolean') {
    if (negated) return inline === undefined ? { name, spec, value: 'false', next: i } : { problem: `--no-${name} takes no value; write --${name}=${inline} or --no-${name}.`, next: i };
    // A word after a true/false option is its value: `--build maybe` is a wrong value of --build, not a stray argument.
    if (inline === undefined && takesWord) return { name, spec, value: following, next: i + 1 };
    return { name, spec, value: inline ?? 'true', next: i };
  }
  if (negated) return { problem: `--no-${name}: only true/false options can be negated.`, next: i };
  if (inline !== undefined) return { name, spec, value: inline, next: i };
  if (following !== undefined) return { name, spec, value: following, next: i + 1 };
  return { problem: `--${name}: expected a value after it.`, next: i };
}

/** Help lines stay within this many columns; descriptions wrap under their own column. */
const HELP_WIDTH = 100;

const EXIT_CODES: Array<[string, string]> = [
  ['0', 'deployed (or, with --dry-run, planned)'],
  ['1', 'the deploy failed: build, migration or rollout; the message says where the service is now'],
  ['2', 'bad usage or input, or no AWS credentials: nothing was changed'],
  ['130', 'cancelled by SIGINT (Ctrl-C); what was in flight is printed'],
  ['143', 'cancelled by SIGTERM; what was in flight is printed'],
];

export function helpText(version: string): string {
  const options: Array<[string, string]> = [
    ...INPUTS.map((spec): [string, string] => [`--${spec.name} <${spec.type}>`, optionHelp(spec)]),
    ['-h, --help', 'This help.'],
    ['-v, --version', 'The version.'],
  ];
  return [
    `ecs-ship ${version}: build, migrate and deploy to Amazon ECS Fargate in one step.`,
    '',
    'Usage: ecs-ship deploy --cluster NAME --service NAME --image IMAGE [options]',
    '       ecs-ship deploy [SERVICE…] [--environment NAME] [options]   (services of ecs-ship.yml)',
    '       ecs-ship redeploy [SERVICE…] [--environment NAME]   (restart: no build, no migration)',
    '       ecs-ship simulator [--seed demo|app] [--port N]   (a local AWS to try it: see its --help)',
    '',
    'Options (true/false options also take --name and --no-name; list options may repeat):',
    ...table(options),
    '',
    'AWS credentials and region come from the standard AWS environment, profiles and SSO.',
    '',
    'Exit codes:',
    ...table(EXIT_CODES),
    '',
    'Example:',
    '  ecs-ship deploy --cluster production --service web --image web \\',
    '    --task-definition deploy/task-definition.json --vars DB_HOST=db.internal \\',
    "    --migration-command 'bin/rails db:migrate'",
    '  ecs-ship redeploy --env dev web worker',
  ].join('\n');
}

/** The description, and the default once: descriptions that explain their default keep their own words. */
function optionHelp(spec: InputSpec): string {
  if (spec.required) return `${spec.description} Required.`;
  if (spec.default && !/\bDefault:/.test(spec.description)) return `${spec.description} Default: ${spec.default}.`;
  return spec.description;
}

/** Two columns: the first padded to its widest entry, the second wrapped beneath itself. */
function table(rows: Array<[string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  const indent = ' '.repeat(width + 4);
  return rows.flatMap(([left, right]) => wrap(right, HELP_WIDTH - indent.length).map((line, i) => (i === 0 ? `  ${left.padEnd(width)}  ${line}` : `${indent}${line}`)));
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}
