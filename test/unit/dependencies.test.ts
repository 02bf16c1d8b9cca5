// dist/ bundles every package that runs, so `npm install ecs-ship` installs none: each is a devDependency,
// and the README's "Bundled dependencies" table says why each one src/ imports is there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { bundledAdvisories } from '../../scripts/bundled-advisories.ts';
import { ROOT } from '../support/harness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
const development = Object.keys(pkg.devDependencies ?? {});

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
  const section = readme.split(/^## Bundled dependencies$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
}

/** What the last `npm run build` bundled into dist/ (written by scripts/build.mjs). */
function distPackages(): string[] {
  const file = join(ROOT, 'bundles/dist-packages.json');
  expect(existsSync(file)).toBe(true);
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('bundled dependencies', () => {
  test('package.json has no runtime dependencies: `npm install ecs-ship` installs nothing dist/ already contains', () => {
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(pkg.peerDependencies).toBeUndefined();
  });

  test('everything src/ imports is a devDependency, and the build bundled it into dist/', () => {
    expect(importedPackages()).toEqual(expect.arrayContaining(['@aws-sdk/client-ecs', 'yaml']));
    expect(importedPackages().filter((name) => !development.includes(name))).toEqual([]);
    expect(importedPackages().filter((name) => !distPackages().includes(name))).toEqual([]);
  });

  test('the README justifies every package src/ imports, and lists only devDependencies', () => {
    const table = readmeTable();
    expect(table.length).toBeGreaterThan(0);
    expect(importedPackages().filter((name) => !table.includes(name))).toEqual([]);
    expect(table.filter((name) => !development.includes(name))).toEqual([]);
  });
});

describe("the audit of the bundled packages (.ci/run's scripts/audit-bundled.ts)", () => {
  const report = {
    vulnerabilities: {
      yaml: { severity: 'high', range: '<2.9.0' },
      jest: { severity: 'critical', range: '<30' },
      '@smithy/core': { severity: 'moderate', range: '<3' },
    },
  };

  test('fails on a high or critical advisory in a bundled package, and only reports the others', () => {
    expect(bundledAdvisories(report, ['yaml', '@smithy/core'])).toEqual({
      failing: ['high: yaml <2.9.0'],
      other: ['critical: jest <30', 'moderate: @smithy/core <3'],
    });
  });

  test('says when npm could not reach the advisory service', () => {
    expect(bundledAdvisories({ error: { summary: 'offline' } }, ['yaml'])).toEqual({ unchecked: 'offline' });
  });

  test('the build lists what dist/ contains: the AWS SDK and its credential chain, yaml, @actions/core', () => {
    expect(distPackages()).toEqual(expect.arrayContaining(['@aws-sdk/client-ecs', '@aws-sdk/credential-provider-node', '@smithy/core', 'yaml', '@actions/core']));
    expect(distPackages()).not.toContain('jest');
    expect(distPackages()).not.toContain('@actions/http-client');
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
