// Node older than package.json's floor: one line naming both versions, exit 2, before the AWS SDK loads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ACTION, NODE24, ROOT } from '../support/harness';

const floor = Number(/^>=(\d+)$/.exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node)![1]);

/** A `node` on PATH, outside node_modules, older than the floor (the machine's own, when it is), if any. */
function olderNode(): { path: string; version: string } | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules'))) {
    const path = join(dir, 'node');
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version && Number(/^v(\d+)/.exec(version)?.[1]) < floor) return { path, version: version.slice(1) };
  }
  return undefined;
}

function expectRefused(run: ReturnType<typeof spawnSync>, version: string): void {
  const stderr = String(run.stderr);
  expect(run.status).toBe(2);
  expect(stderr).toBe(`ecs-ship: Node.js ${version} is too old: ecs-ship needs Node.js ${floor} or later. Nothing was changed. Run it with Node.js ${floor}+ (or use the GitHub Action or the Bitbucket Pipe, which bring their own Node.js).\n`);
  expect(stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
  expect(String(run.stdout)).toBe('');
}

const args = ['deploy', '--cluster', 'prod', '--service', 'web', '--image', 'web:1', '--no-build', '--aws-region', 'eu-west-1'];
const env = { PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' };

describe('a Node.js older than the floor', () => {
  test('reported as Node.js itself reports its version (an older version simulated on Node 24)', () => {
    const simulated = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.9.0"})';
    expectRefused(spawnSync(NODE24, ['--import', simulated, ACTION, ...args], { env, encoding: 'utf8' }), '20.9.0');
  });

  const older = olderNode();
  (older ? test : test.skip)(`the machine's own older Node.js (${older?.version ?? 'none on PATH'}) runs the bundle far enough to say so`, () => {
    expectRefused(spawnSync(older!.path, [ACTION, ...args], { env, encoding: 'utf8' }), older!.version);
  });
});
