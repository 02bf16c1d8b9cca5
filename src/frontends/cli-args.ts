import { InputError } from '../shared/errors';
import type { RawInputs } from '../inputs/parse';
import { didYouMean } from '../inputs/did-you-mean';
import { COMMAND_NAMES, COMMANDS, INPUT_TOPICS, inputsOf, type Command, type InputSpec, type InputTopic } from '../inputs/schema';

export type Verb = Command | 'redeploy';
export type CliCommand = { kind: 'help'; verb?: Verb } | { kind: 'version' } | { kind: 'run'; command: Command; raw: RawInputs } | { kind: 'simulator'; argv: string[] };

/** The schema's commands, and `redeploy`, which is `deploy --redeploy`: the services restart on what they run. */
const VERBS: readonly Verb[] = [...COMMAND_NAMES, 'redeploy'];
/** Shorter spellings of options, for people at a terminal. */
const ALIASES: Record<string, string> = { env: 'environment', 'env-var': 'env-vars' };

/**
 * `ecs-ship deploy|redeploy [service…] --name value|--name=value|--flag|--no-flag …`; list inputs may
 * repeat; the words that are not options name the config file's services to deploy. `-h`/`--help` and
 * `-V`/`-v`/`--version` count where an option may stand, not as the value of one; `ecs-ship help [verb]`
 * is the help too. Every problem is reported at once.
 */
export function parseCliArgs(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || HELP.has(command)) return { kind: 'help' };
  if (VERSION.has(command)) return { kind: 'version' };
  if (command === 'help') return helpFor(rest);
  // The simulator reads its own options (and its own --help).
  if (command === 'simulator') return { kind: 'simulator', argv: rest };
  if (!isVerb(command)) {
    throw new InputError([`unknown command "${command}".${didYouMean(command, [...VERBS, 'help', 'simulator'])} Expected: ecs-ship deploy [services] [options], or ecs-ship redeploy [services] [options] (see ecs-ship help).`]);
  }
  const verb: Command = command === 'redeploy' ? 'deploy' : command;
  const values = new Map<string, string[]>([['command', [verb]], ...(command === 'redeploy' ? [['redeploy', ['true']] as [string, string[]]] : [])]);
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      // `ecs-ship run web -- rake db:seed`: every word after -- is the task's command, as given (no re-splitting).
      const words = rest.slice(i + 1);
      if (!inputsOf(verb).some((spec) => spec.name === 'task-command')) problems.push(`${command}: takes no command after --.`);
      else if (words.length === 0) problems.push('--: expected the command after it (ecs-ship run SERVICE -- COMMAND [ARGS…]).');
      else values.set('task-command', [JSON.stringify(words)]);
      break;
    }
    if (HELP.has(arg)) return { kind: 'help', verb: command };
    if (VERSION.has(arg)) return { kind: 'version' };
    if (!arg.startsWith('-')) {
      values.set('services', [...(values.get('services') ?? []), arg]);
      continue;
    }
    const option = readOption(rest, i, verb);
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
  return { kind: 'run', command: verb, raw: (spec: InputSpec) => values.get(spec.name)?.join('\n') };
}

function isVerb(word: string): word is Verb {
  return (VERBS as readonly string[]).includes(word);
}

/** `ecs-ship help`, `ecs-ship help deploy`. */
function helpFor(rest: string[]): CliCommand {
  const [topic, extra] = rest;
  if (topic === undefined) return { kind: 'help' };
  if (!isVerb(topic) || extra !== undefined) {
    throw new InputError([`help: "${rest.join(' ')}" is not a command.${isVerb(topic) ? '' : didYouMean(topic, VERBS)} Expected: ecs-ship help, ecs-ship help deploy or ecs-ship help redeploy.`]);
  }
  return { kind: 'help', verb: topic };
}

const HELP = new Set(['-h', '--help']);
const VERSION = new Set(['-V', '-v', '--version']);

type ReadOption = { name: string; spec: InputSpec; value: string; next: number } | { problem: string; next: number };

/** The option at `rest[i]` and its value; `next` is the index of the last argument it used. */
function readOption(rest: string[], i: number, command: Command): ReadOption {
  const arg = rest[i];
  const following = rest[i + 1];
  const takesWord = following !== undefined && !following.startsWith('-');
  const match = /^--(no-)?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
  if (match) match[2] = ALIASES[match[2]] ?? match[2];
  // The command is the first word, never an option.
  const spec = match && match[2] !== 'command' ? inputsOf(command).find((s) => s.name === match[2]) : undefined;
  // An unknown option's value, if it has one, is not a second problem.
  if (!match || !spec) return { problem: `unknown option "${arg}".${unknownOptionHint(arg, command)} See ecs-ship ${command} --help for the options.`, next: takesWord && !arg.includes('=') ? i + 1 : i };
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

/** ` Did you mean "--cluster"?` for a misspelt option (its `--no-` and `=value` parts kept as given). */
function unknownOptionHint(arg: string, command: Command): string {
  const match = /^--(no-)?([^=]*)(=.*)?$/s.exec(arg);
  if (!match) return '';
  const [, negated = '', name, inline = ''] = match;
  const names = [...inputsOf(command).filter((spec) => spec.name !== 'command' && !negated || spec.type === 'boolean').map((spec) => spec.name), ...(negated ? [] : Object.keys(ALIASES))];
  return didYouMean(name, names, (known) => `"--${negated}${known}${inline}"`);
}

/** Help lines stay within this many columns; descriptions wrap under their own column. */
const HELP_WIDTH = 100;

const EXIT_CODES: Array<[string, string]> = [
  ['0', 'deployed (or, with --dry-run, planned)'],
  ['1', 'the deploy failed: build, migration or rollout; the message says where the service is now'],
  ['2', 'bad usage or input, an unknown region, or AWS credentials missing, rejected or expired: nothing was changed'],
  ['130', 'cancelled by SIGINT (Ctrl-C); what was in flight is printed'],
  ['143', 'cancelled by SIGTERM; what was in flight is printed'],
];

const CREDENTIALS = 'AWS credentials and region come from the standard AWS environment, profiles and SSO.';

/** `ecs-ship help`: the commands, where their options are, the exit codes, examples. */
export function helpText(version: string): string {
  return [
    `ecs-ship ${version}: build, migrate and deploy to Amazon ECS Fargate in one step.`,
    '',
    'Usage: ecs-ship <command> [SERVICE…] [options]',
    '',
    'Commands:',
    ...table([
      ...COMMAND_NAMES.map((name): [string, string] => [name, COMMANDS[name]]),
      ['redeploy', 'Restart the services on the revision each runs now: no build, no registration, no migration.'],
      ['simulator', 'A local AWS to try ecs-ship without an account: ecs-ship simulator [--seed demo|app] (see its --help).'],
      ['help [COMMAND]', 'This help, or the options of a command by topic (also: ecs-ship deploy --help).'],
    ]),
    '',
    'Options:',
    ...table(GLOBAL_OPTIONS),
    '',
    ...wrap(`${CREDENTIALS} Run ecs-ship deploy --help for every option, by topic.`, HELP_WIDTH),
    '',
    'Exit codes:',
    ...table(EXIT_CODES),
    '',
    'Examples:',
    ...DEPLOY_EXAMPLES,
    ...REDEPLOY_EXAMPLES,
    STEER_EXAMPLES.continue[1],
    RUN_EXAMPLES[0],
  ].join('\n');
}

const GLOBAL_OPTIONS: Array<[string, string]> = [
  ['-h, --help', 'This help; after a command, that command\'s help.'],
  ['-V, --version', 'The version.'],
];

const DEPLOY_EXAMPLES = [
  '  ecs-ship deploy --cluster production --service web --image web \\',
  '    --task-definition deploy/task-definition.json --vars DB_HOST=db.internal \\',
  "    --migration-command 'bin/rails db:migrate'",
  '  ecs-ship deploy --env staging web worker   (services of ecs-ship.yml)',
];
const REDEPLOY_EXAMPLES = ['  ecs-ship redeploy --env dev web worker'];
const RUN_EXAMPLES = ['  ecs-ship run web --env prod -- rake db:seed', '  ecs-ship run --cluster prod --service web --env-var BATCH=7 --count 2 -- bin/crawl'];
const BUILD_EXAMPLES = ['  ecs-ship build --tag 1.0.0   (the images of ecs-ship.yml)', '  ecs-ship build --image web --context .'];

/** The commands that steer what runs: stop at a stage, then approve or roll back; see where things stand. */
const STEER_EXAMPLES = {
  continue: ['  ecs-ship deploy --cluster production --service web --image web --wait-until paused', '  ecs-ship continue --cluster production --service web'],
  rollback: ['  ecs-ship rollback --cluster production --service web', '  ecs-ship rollback --env staging web worker   (services of ecs-ship.yml)'],
  status: ['  ecs-ship status --cluster production --service web', '  ecs-ship status --env staging   (every service of ecs-ship.yml)'],
};

/** Each verb's usage lines, title and examples in its help. */
const VERB_HELP: Record<Verb, { usage: string[]; title: string; examples: string[] }> = {
  deploy: {
    usage: ['Usage: ecs-ship deploy --cluster NAME --service NAME --image IMAGE [options]', '       ecs-ship deploy [SERVICE…] [--env NAME] [options]   (services of ecs-ship.yml)'],
    title: 'build, migrate and deploy.',
    examples: DEPLOY_EXAMPLES,
  },
  redeploy: {
    usage: ['Usage: ecs-ship redeploy --cluster NAME --service NAME [options]', '       ecs-ship redeploy [SERVICE…] [--env NAME] [options]   (services of ecs-ship.yml)'],
    title: 'restart the services on the revision each runs now.',
    examples: REDEPLOY_EXAMPLES,
  },
  run: {
    usage: ['Usage: ecs-ship run --cluster NAME --service NAME [options] -- COMMAND [ARGS…]', '       ecs-ship run SERVICE [--env NAME] [options] -- COMMAND [ARGS…]   (a service of ecs-ship.yml)'],
    title: "a one-off task with a service's revision, network and launch settings.",
    examples: RUN_EXAMPLES,
  },
  build: {
    usage: ['Usage: ecs-ship build --image REPOSITORY [options]', "       ecs-ship build [--env NAME] [options]   (the images of ecs-ship.yml)"],
    title: 'build and push the images, without deploying.',
    examples: BUILD_EXAMPLES,
  },
  continue: steerHelp('continue'),
  rollback: steerHelp('rollback'),
  status: steerHelp('status'),
};

/** continue, rollback and status: one service by its flags, or services of ecs-ship.yml. */
function steerHelp(verb: keyof typeof STEER_EXAMPLES): { usage: string[]; title: string; examples: string[] } {
  return {
    usage: [`Usage: ecs-ship ${verb} --cluster NAME --service NAME [options]`, `       ecs-ship ${verb} [SERVICE…] [--env NAME] [options]   (services of ecs-ship.yml)`],
    title: COMMANDS[verb],
    examples: STEER_EXAMPLES[verb],
  };
}

/** Options a redeploy refuses: it builds, renders and migrates nothing (request/known-revision-inputs.ts says why, per input). */
const NOT_FOR_REDEPLOY = new Set(['redeploy', 'image', 'task-definition-arn', 'container-name', 'task-definition', 'vars', 'vars-file', 'secret-vars', 'migration-command', 'migration-container']);

/** `ecs-ship deploy --help`: the verb's usage, then its options by topic. */
export function verbHelpText(verb: Verb, version: string): string {
  const specs = inputsOf(verb === 'redeploy' ? 'deploy' : verb).filter((spec) => spec.name !== 'command' && (verb !== 'redeploy' || (spec.topic !== 'build' && !NOT_FOR_REDEPLOY.has(spec.name))));
  const rows = (topic: InputTopic): Array<[string, string]> => [
    ...specs.filter((spec) => spec.topic === topic).map((spec): [string, string] => [optionName(spec), optionHelp(spec)]),
    ...(topic === 'output' ? GLOBAL_OPTIONS : []),
  ];
  const topics = (Object.keys(INPUT_TOPICS) as InputTopic[]).filter((topic) => rows(topic).length > 0);
  const width = Math.max(...topics.flatMap((topic) => rows(topic).map(([left]) => left.length)));
  const { usage, title, examples } = VERB_HELP[verb];
  return [
    `ecs-ship ${version} ${verb}: ${title}`,
    '',
    ...usage,
    '',
    'true/false options also take --name and --no-name; list options may repeat; --env is --environment.',
    ...topics.flatMap((topic) => ['', `${INPUT_TOPICS[topic]}:`, ...table(rows(topic), width)]),
    '',
    CREDENTIALS,
    '',
    'Exit codes:',
    ...table(EXIT_CODES),
    '',
    'Examples:',
    ...examples,
  ].join('\n');
}

function optionName(spec: InputSpec): string {
  const alias = Object.entries(ALIASES).find(([, name]) => name === spec.name)?.[0];
  return `${alias ? `--${alias}, ` : ''}--${spec.name} <${spec.type}>`;
}

/** The description, and the default once: descriptions that explain their default keep their own words. */
function optionHelp(spec: InputSpec): string {
  if (spec.required) return `${spec.description} Required.`;
  if (spec.default && !/\bDefault:/.test(spec.description)) return `${spec.description} Default: ${spec.default}.`;
  return spec.description;
}

/** Two columns: the first padded to `width` (its widest entry), the second wrapped beneath itself. */
function table(rows: Array<[string, string]>, width = Math.max(...rows.map(([left]) => left.length))): string[] {
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
