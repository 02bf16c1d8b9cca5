import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, tempDir } from '../support/harness';

describe('the GitHub post step', () => {
  test('the main step marks itself in GITHUB_STATE, so the same entry point knows when it is the post step', async () => {
    const state = join(tempDir(), 'state');
    writeFileSync(state, '');
    const run = await runAction({ cluster: '' }, { endpoint: 'http://127.0.0.1:9', env: { GITHUB_STATE: state } });
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('::save-state');
    expect(readFileSync(state, 'utf8')).toMatch(/^isPost<<ghadelimiter_[\w-]+\ntrue\n/);
  });

  test('removes a Docker login a killed main step left in RUNNER_TEMP, and nothing else', async () => {
    const runnerTemp = tempDir();
    const leftover = join(runnerTemp, 'ecs-ship-docker-config-AbC123');
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'config.json'), '{"auths":{"127.0.0.1:5055":{"auth":"c2VjcmV0"}}}');
    mkdirSync(join(runnerTemp, 'someone-elses-dir'));
    const run = await runAction({}, { endpoint: 'http://127.0.0.1:9', env: { RUNNER_TEMP: runnerTemp, STATE_isPost: 'true' } });
    expect(run.code).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(join(runnerTemp, 'someone-elses-dir'))).toBe(true);
    expect(run.stdout).toContain('Removed 1 leftover Docker login');
  });

  test('given a RUNNER_TEMP that cannot be read, the post step warns and exits 0: a cleanup never fails the job', async () => {
    const runnerTemp = join(tempDir(), 'gone');
    const run = await runAction({}, { endpoint: 'http://127.0.0.1:9', env: { RUNNER_TEMP: runnerTemp, STATE_isPost: 'true' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`::warning::Could not look for leftover Docker logins in ${runnerTemp}`);
  });
});
