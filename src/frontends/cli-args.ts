import { InputError } from '../core/errors';
import type { RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'deploy'; raw: RawInputs };

/** `ecs-ship deploy --name value|--name=value|--flag|--no-flag …`; list inputs may repeat. */
export function parseCliArgs(argv: string[]): CliCommand {
  if (argv.length === 0 || argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  if (argv.some((a) => a === '--version' || a === '-v')) return { kind: 'version' };
  const [command, ...rest] = argv;
  if (command !== 'deploy') throw new InputError([`unknown command "${command}". Expected: ecs-ship deploy [options] (see --help).`]);
  const values = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('-')) throw new InputError([`unexpected argument "${arg}". Options take their value as --name value or --name=value.`]);
    const match = /^--(no-)?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const spec = match && INPUTS.find((s) => s.name === match[2]);
    if (!match || !spec) throw new InputError([`unknown option "${arg}". See ecs-ship --help for the options.`]);
    const [, negated, name, inline] = match;
    let value: string;
    if (spec.type === 'boolean') {
      const spelledOut = inline === undefined && /^(true|false)$/i.test(rest[i + 1] ?? '');
      value = negated ? 'false' : spelledOut ? rest[++i] : (inline ?? 'true');
    } else if (negated) {
      throw new InputError([`--no-${name}: only true/false options can be negated.`]);
    } else if (inline !== undefined) {
      value = inline;
    } else if (i + 1 < rest.length) {
      value = rest[++i];
    } else {
      throw new InputError([`--${name}: expected a value after it.`]);
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && spec.type !== 'list') throw new InputError([`--${name}: given more than once.`]);
    values.set(name, [...list, value]);
  }
  return { kind: 'deploy', raw: (spec: InputSpec) => values.get(spec.name)?.join('\n') };
}

export function helpText(version: string): string {
  const width = Math.max(...INPUTS.map((s) => s.name.length + s.type.length)) + 6;
  const lines = INPUTS.map((s) => {
    const flag = `  --${s.name} <${s.type}>`.padEnd(width + 2);
    const note = s.required ? ' (required)' : s.default ? ` (default: ${s.default})` : '';
    return `${flag}  ${s.description}${note}`;
  });
  return [
    `ecs-ship ${version}: build, migrate and deploy to Amazon ECS Fargate in one step.`,
    '',
    'Usage: ecs-ship deploy --cluster NAME --service NAME --image IMAGE [options]',
    '',
    'Options (true/false options also take --name and --no-name; list options may repeat):',
    ...lines,
    '  -h, --help                 This help.',
    '  -v, --version              The version.',
    '',
    'AWS credentials and region come from the standard AWS environment, profiles and SSO.',
    'Exit codes: 0 deployed, 1 the deploy failed, 2 bad usage or input.',
  ].join('\n');
}
