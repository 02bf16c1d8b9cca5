import { InputError } from '../shared/errors';
import { didYouMean } from './did-you-mean';
import type { RawInputs } from './parse';
import { COMMAND_NAMES, INPUTS, type Command } from './schema';
import { inputName } from './spelling';

/** The command a run was given (deploy when none): read before anything else, as it decides which inputs count. */
export function readCommand(raw: RawInputs): Command {
  const spec = INPUTS.find((s) => s.name === 'command')!;
  const given = (raw(spec) ?? '').trim() || spec.default!;
  if ((COMMAND_NAMES as string[]).includes(given)) return given as Command;
  throw new InputError([`${inputName('command')}: "${given}" is not a command.${didYouMean(given, COMMAND_NAMES)} Expected one of ${COMMAND_NAMES.join(', ')}.`]);
}
