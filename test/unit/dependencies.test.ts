// Runtime dependencies are few and each is justified in the README's "Runtime dependencies" table.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../support/harness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const runtime = Object.keys(pkg.dependencies ?? {});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Packages src/ imports (statically or with import()), by package name. */
function importedPackages(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const code = readFileSync(file, 'utf8');
    const statics = [...code.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm)];
    const dynamics = [...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
    for (const m of [...statics, ...dynamics]) {
      const spec = m[1];
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return [...names].sort();
}

function readmeTable(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Runtime dependencies$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
}

describe('runtime dependencies', () => {
  test('everything src/ imports is a declared runtime dependency', () => {
    expect(importedPackages()).toEqual(expect.arrayContaining(['@aws-sdk/client-ecs', 'yaml']));
    expect(importedPackages().filter((name) => !runtime.includes(name))).toEqual([]);
  });

  test('the README justifies every package src/ imports, and lists only runtime dependencies', () => {
    const table = readmeTable();
    expect(table.length).toBeGreaterThan(0);
    expect(importedPackages().filter((name) => !table.includes(name))).toEqual([]);
    expect(table.filter((name) => !runtime.includes(name))).toEqual([]);
  });
});

describe('the Node versions package.json promises', () => {
  test('engines asks for at least the Node version the bundled AWS SDK supports without a warning', () => {
    const sdk = readFileSync(join(ROOT, 'node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js'), 'utf8');
    const supported = Number(/NodeVersionSupportWarning[\s\S]*?require node >=\$\{vv\}/.test(sdk) && /const vv = (\d+);/.exec(sdk)?.[1]);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(supported).toBeGreaterThanOrEqual(22);
    expect(engines).toBe(`>=${supported}`);
  });
});
