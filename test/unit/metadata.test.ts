import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionYml, readmeWithTables } from '../../scripts/metadata.ts';
import { INPUTS, OUTPUTS } from '../../src/inputs/schema';

const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('one input schema', () => {
  test('action.yml is what the schema renders to (run `npm run metadata` after changing the schema)', () => {
    expect(read('action.yml')).toBe(actionYml());
  });

  test('action.yml declares every input and output of the schema, runs on node24 from dist/', () => {
    const action = parse(read('action.yml'));
    expect(Object.keys(action.inputs)).toEqual(INPUTS.map((i) => i.name));
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map((o) => o.name));
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' });
    for (const spec of INPUTS) expect(action.inputs[spec.name].required).toBe(spec.required ?? false);
  });

  test('the README tables are what the schema renders to', () => {
    const readme = read('README.md');
    expect(readme).toBe(readmeWithTables(readme));
    for (const spec of INPUTS) expect(readme).toContain(`| \`${spec.name}\` |`);
  });
});
