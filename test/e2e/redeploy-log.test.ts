// A redeploy registers, builds and migrates nothing: its log and summary have no section for those steps.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction, runCli, runPipe } from '../support/harness';

let world: AppWorld;
afterEach(async () => world?.close());

/** Section headers (`── Title` on a terminal or in a pipe) followed by no line of their own. */
function emptyPlainSections(log: string): string[] {
  const lines = log.split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').replace(/^INFO: /, ''));
  return lines.filter((line, i) => line.startsWith('── ') && (i + 1 >= lines.length || lines[i + 1].startsWith('── ') || lines[i + 1].startsWith('✔') || lines[i + 1] === ''));
}

describe('redeploy of a whole app', () => {
  test('on the CLI and in the pipe: every section header has lines under it, and no registration step is named', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const cli = await runCli(['redeploy', 'web', 'queue'], { endpoint: world.sim.url, cwd: world.dir });
    const pipe = await runPipe({ REDEPLOY: 'true' }, { endpoint: world.sim.url, cwd: world.dir });

    for (const run of [cli, pipe]) {
      expect(run.code).toBe(0);
      expect(run.log).toMatch(/── Preflight/);
      expect(run.log).toMatch(/── Rollout web/);
      expect(emptyPlainSections(run.log)).toEqual([]);
      expect(run.log).not.toContain('Task definitions');
    }
  }, 90_000);

  test('on GitHub: no empty group, and the timeline and the summary chart name only the steps that ran', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await runAction({ redeploy: 'true' }, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(run.log).toContain('::group::Preflight');
    expect(run.log).not.toMatch(/::group::[^\n]*\n::endgroup::/);
    expect(run.log).toMatch(/Timeline: Preflight in \d+ s; Rollout web, worker, queue in \d+ s\n/);
    expect(run.summary).not.toContain('Task definitions');
  }, 60_000);
});
