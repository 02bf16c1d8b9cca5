// What `npm install ecs-ship` gets: the licence package.json names, and the files npm pack ships.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT } from '../support/harness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string };

/** The paths `npm pack` would put in the tarball (npm's own answer, not a copy of its rules). */
function packedFiles(): string[] {
  const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(npm.status).toBe(0);
  return (JSON.parse(npm.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
}

describe('the licence', () => {
  test('LICENSE is the licence package.json names, and npm pack ships it', () => {
    expect(pkg.license).toBe('MIT');
    const licence = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(licence.split('\n')[0]).toBe('MIT License');
    expect(licence).toMatch(/^Copyright \(c\) \d{4} \S/m);
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(packedFiles()).toContain('LICENSE');
  });
});

describe('npm install ecs-ship', () => {
  test('npm pack ships the bundle, action.yml, pipe.yml, README and LICENSE, and no source or tests', () => {
    const files = packedFiles();
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/package.json', 'action.yml', 'pipe.yml', 'README.md', 'LICENSE', 'package.json']));
    expect(files.filter((f) => /^(src|test|simulator|scripts|bench|node_modules)\//.test(f))).toEqual([]);
  });

  test('installing the packed tarball (offline) adds only ecs-ship, and its bin runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-ship-install-'));
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status).toBe(0);
    const tarball = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0].filename;
    writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball)], { cwd: dir, encoding: 'utf8' });
    expect(install.status).toBe(0);
    expect(readdirSync(join(dir, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['ecs-ship']);
    const version = spawnSync(NODE24, [join(dir, 'node_modules/ecs-ship/dist/index.js'), '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // A deploy loads the AWS SDK's chunks: with no package installed beside them, they still load (and the
    // missing region is found before any call).
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const deploy = spawnSync(NODE24, [join(dir, 'node_modules/ecs-ship/dist/index.js'), 'deploy', '--cluster', 'c', '--service', 'web', '--image', 'web:1', '--no-build'], { cwd: dir, env, encoding: 'utf8' });
    expect(deploy.stderr).not.toMatch(/Cannot find (package|module)/);
    expect(deploy.stderr).toContain('aws-region');
    expect(deploy.status).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
