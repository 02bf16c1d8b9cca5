import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { commitFromEnv, commitTag, resolveCommit } from '../../src/image/commit';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ROOT = mkdtempSync(join(tmpdir(), 'ecs-ship-image-commit-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe('commit tag', () => {
  it('is the first 12 hex digits, lower case', () => {
    expect(commitTag(SHA)).toBe('0123456789ab');
    expect(commitTag(SHA.toUpperCase())).toBe('0123456789ab');
  });

  it('prefers GITHUB_SHA, then BITBUCKET_COMMIT', () => {
    expect(commitFromEnv({ GITHUB_SHA: 'aaa', BITBUCKET_COMMIT: 'bbb' })).toBe('aaa');
    expect(commitFromEnv({ GITHUB_SHA: ' ', BITBUCKET_COMMIT: 'bbb' })).toBe('bbb');
    expect(commitFromEnv({})).toBeUndefined();
  });
});

describe('resolveCommit', () => {
  const bare = { PATH: process.env.PATH, HOME: process.env.HOME };

  it('uses the CI variable without running git', async () => {
    await expect(resolveCommit({ ...bare, BITBUCKET_COMMIT: SHA.toUpperCase() }, '/nonexistent')).resolves.toBe(SHA);
  });

  it('refuses a CI variable that is not a SHA', async () => {
    await expect(resolveCommit({ ...bare, GITHUB_SHA: 'main' }, '/')).rejects.toThrow(/"main", is not a git commit SHA/);
  });

  it('asks git for HEAD otherwise', async () => {
    const dir = mkdtempSync(join(ROOT, 'git-'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'x');
    const head = git('rev-parse', 'HEAD').stdout.trim();
    await expect(resolveCommit(bare, dir)).resolves.toBe(head);
  });

  it('says why when there is no commit to be found', async () => {
    const dir = mkdtempSync(join(ROOT, 'nogit-'));
    await expect(resolveCommit({ ...bare, GIT_CEILING_DIRECTORIES: ROOT }, dir)).rejects.toThrow(/GITHUB_SHA and BITBUCKET_COMMIT are not set and "git rev-parse HEAD"/);
  });
});
