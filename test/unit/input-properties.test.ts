import fc from 'fast-check';
import { InputError } from '../../src/shared/errors';
import { parseCommand } from '../../src/inputs/argv';
import { parseVarLines } from '../../src/inputs/vars';
import { parseTaskDefinition } from '../../src/taskdef/load';
import { buildLookup, renderString, renderTaskDefinition } from '../../src/taskdef/render';

// Strings built mostly from the characters the parsers care about, plus anything else.
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '$', '{', '}', '[', ']', '=', '#', ' ', '\n', '\t', '`', ':', 'export ', 'A', '_', '1', '-') }),
  fc.string({ unit: 'binary' }),
);

function onlyInputErrors(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
  }
}

const lookup = buildLookup([{ A: 'x"y\n', _1: '' }]);

describe('parsers on arbitrary text', () => {
  it('throw nothing but InputError', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        onlyInputErrors(() => parseCommand(text, 'migration-command'));
        onlyInputErrors(() => parseVarLines(text, 'vars'));
        onlyInputErrors(() => renderString(text, lookup));
        onlyInputErrors(() => parseTaskDefinition(text, 'td'));
      }),
      { numRuns: 2000 },
    );
  });

  it('renderTaskDefinition throws nothing but InputError on arbitrary JSON trees', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => onlyInputErrors(() => renderTaskDefinition(value as Record<string, unknown>, lookup))), { numRuns: 500 });
  });

  it('parseCommand gives back any arguments quoted the POSIX way (whose program is not blank)', () => {
    const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
    const command = fc.array(fc.string({ unit: 'grapheme' })).filter((args) => args.length === 0 || args[0].trim() !== '');
    fc.assert(
      fc.property(command, (args) => {
        expect(parseCommand(args.map(quote).join(' \n'), 'c')).toEqual(args);
      }),
    );
  });

  it('parseVarLines gives back any single-line value written in double quotes', () => {
    const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('"', "'", '\\', '#', '=', ' ', 'a', '\n', '$') }), (value) => {
        expect(parseVarLines(`KEY="${escape(value)}"`, 'vars')).toEqual({ KEY: value });
      }),
    );
  });
});
