// What `npm install ecs-ship` gets: the licence package.json names, and the files npm pack ships.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/harness';

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
