import { COMMAND_NAMES } from '../../src/inputs/schema';
import { readCommand } from '../../src/inputs/command';
import { parseCliArgs } from '../../src/frontends/cli-args';
import { InputError } from '../../src/shared/errors';

const raw = (value: string | undefined) => () => value;

describe('which command a run is given', () => {
  test('none given is deploy; a command of the schema is itself', () => {
    expect(readCommand(raw(undefined))).toBe('deploy');
    expect(readCommand(raw('  deploy '))).toBe('deploy');
  });

  test('an unknown command is an input error naming the input and the commands there are', () => {
    const error = (() => {
      try {
        readCommand(raw('deplyo'));
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.problems).toEqual([`command: "deplyo" is not a command. Did you mean "deploy"? Expected one of ${COMMAND_NAMES.join(', ')}.`]);
  });

  test('on the command line the command is the first word, never --command', () => {
    expect(() => parseCliArgs(['deploy', '--command', 'deploy'])).toThrow(/unknown option "--command"/);
    const command = parseCliArgs(['redeploy', '--cluster', 'c']);
    expect(command).toMatchObject({ kind: 'run', command: 'deploy' });
  });
});
