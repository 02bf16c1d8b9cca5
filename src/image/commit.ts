import { runProcess } from './process';

export const COMMIT_SHA = /^[0-9a-f]{7,64}$/i;

/** Images are tagged with the first 12 hex digits of the commit: short, and unique in practice. */
const COMMIT_TAG_LENGTH = 12;

export function commitTag(commit: string): string {
  return commit.toLowerCase().slice(0, COMMIT_TAG_LENGTH);
}

/** The commit being deployed as the CI system names it: GitHub first, then Bitbucket. */
export function commitFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return [env.GITHUB_SHA, env.BITBUCKET_COMMIT].map((value) => value?.trim()).find((value) => value);
}

/** GITHUB_SHA, BITBUCKET_COMMIT, else `git rev-parse HEAD` in `cwd`. Throws an Error saying why when none works. */
export async function resolveCommit(env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const fromEnv = commitFromEnv(env);
  if (fromEnv) {
    if (!COMMIT_SHA.test(fromEnv)) throw new Error(`the commit from the CI environment, "${fromEnv}", is not a git commit SHA`);
    return fromEnv.toLowerCase();
  }
  let result;
  try {
    result = await runProcess('git', ['rev-parse', 'HEAD'], { env, cwd, keepStdout: true });
  } catch (error) {
    throw new Error(`GITHUB_SHA and BITBUCKET_COMMIT are not set and git could not run: ${(error as Error).message}`);
  }
  const sha = result.stdout.trim();
  if (result.code !== 0 || !COMMIT_SHA.test(sha)) {
    throw new Error(`GITHUB_SHA and BITBUCKET_COMMIT are not set and "git rev-parse HEAD" in ${cwd} failed: ${result.lines.slice(-3).join(' ')}`);
  }
  return sha.toLowerCase();
}
