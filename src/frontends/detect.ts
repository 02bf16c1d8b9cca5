export type Platform = 'github' | 'bitbucket' | 'cli';

export function detectPlatform(env: NodeJS.ProcessEnv): Platform {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.BITBUCKET_BUILD_NUMBER || env.BITBUCKET_CLONE_DIR) return 'bitbucket';
  return 'cli';
}
