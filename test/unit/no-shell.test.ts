// Nothing in src/ runs a shell: every process gets an argument array, so inputs full of `$(…)`, `;`,
// backticks and quotes reach Docker as written (test/e2e/security.test.ts shows it end to end).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/harness';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.[cm]?[jt]s$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** Comments may mention a shell; only code counts. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(ROOT, path), code: withoutComments(readFileSync(path, 'utf8')) }));

/** `file:line: text` of every line of src/ that matches. */
function offending(pattern: RegExp): string[] {
  return files.flatMap(({ path, code }) =>
    code
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => pattern.test(line))
      .map(({ line, i }) => `${path}:${i + 1}: ${line.trim()}`),
  );
}

describe('src/ never runs a shell', () => {
  test('there is source to check', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some(({ code }) => /from 'node:child_process'/.test(code))).toBe(true);
  });

  test('no spawn option `shell: true` (or any shell option at all)', () => {
    expect(offending(/\bshell\s*:/)).toEqual([]);
  });

  test('child_process is used only through spawn / execFile / their Sync forms, never exec or execSync', () => {
    const imports = files.flatMap(({ path, code }) =>
      [...code.matchAll(/import\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+['"](?:node:)?child_process['"]/g)].map((m) => ({ path, what: m[1] })),
    );
    for (const { path, what } of imports) {
      expect({ path, namespaceOrDefault: !what.startsWith('{') }).toEqual({ path, namespaceOrDefault: false });
      const names = what.slice(1, -1).split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean);
      expect({ path, names: names.filter((n) => !['spawn', 'spawnSync', 'execFile', 'execFileSync', 'type'].includes(n)) }).toEqual({ path, names: [] });
    }
    expect(offending(/require\(\s*['"](?:node:)?child_process['"]\s*\)/)).toEqual([]);
    expect(offending(/\bexecSync\s*\(/)).toEqual([]);
    expect(offending(/(?<![.\w])exec\s*\(/)).toEqual([]);
  });

  test('no @actions/exec (its exec() splits a command-line string), no eval, no new Function', () => {
    expect(offending(/['"]@actions\/exec['"]/)).toEqual([]);
    expect(offending(/(?<![.\w])eval\s*\(|\bnew\s+Function\s*\(/)).toEqual([]);
  });

  test('every spawned program is named by a fixed string or a variable, with its arguments as an array', () => {
    const spawns = offending(/\bspawn(?:Sync)?\s*\(/);
    expect(spawns.length).toBeGreaterThan(0);
    // spawn(command, args, …): the second argument is an array, never a string that would need splitting.
    for (const line of spawns) expect(line).toMatch(/spawn(?:Sync)?\(\s*[\w.]+\s*,\s*(?:\[|\w)/);
  });
});
