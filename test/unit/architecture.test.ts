// The layering docs/architecture.md describes, held against the imports of src/: every import runs down
// the layers, no two files import each other in a circle, and only src/aws/ sends AWS SDK commands.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = join(__dirname, '../../src');

/** Lowest first: a folder (or top-level file) may import only those before it. */
const LAYERS = ['shared', 'inputs', 'image', 'aws', 'taskdef', 'config', 'request', 'plan', 'execute', 'outcome', 'frontends', 'verbs', 'run.ts', 'index.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => relative(SRC, path));
const textOf = (file: string) => readFileSync(join(SRC, file), 'utf8');

/** The files of src/ a file imports (static and dynamic imports, type imports included). */
function importsOf(file: string): string[] {
  const specifiers = [...textOf(file).matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((spec) => `${normalize(join(dirname(file), spec))}.ts`).filter((target) => files.includes(target));
}

const layerOf = (file: string) => LAYERS.indexOf(file.includes('/') ? file.split('/')[0] : file);

describe('the architecture of src/', () => {
  test('every file belongs to a layer', () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  test('imports run down the layers: a folder imports only the folders below it (and itself)', () => {
    const upward = files.flatMap((file) => importsOf(file).filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  test('no two files import each other, directly or in a circle', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  test('only src/aws/ imports the AWS SDK clients and commands (every AWS call); elsewhere their types only', () => {
    const outside = files.filter((file) => !file.startsWith('aws/'));
    const offenders = outside.filter((file) => /^import (?!type )[^;]*from '@aws-sdk\/client-/m.test(textOf(file)) || /import\('@aws-sdk\/client-/.test(textOf(file)));
    expect(offenders).toEqual([]);
  });

  test('the layers the test holds are the ones docs/architecture.md describes', () => {
    const doc = readFileSync(join(__dirname, '../../docs/architecture.md'), 'utf8');
    for (const layer of LAYERS) expect(doc).toContain(`\`${layer.endsWith('.ts') ? `src/${layer}` : `src/${layer}/`}\``);
  });
});
