import * as core from '@actions/core';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_DOCKER_CONFIG_PREFIX } from '../image/docker-config';

/**
 * The action's `post:` step: logs out of ECR for good by removing any temporary Docker config a main step
 * left behind when the runner killed it (the main step removes its own on every other way out).
 */
export function githubPost(env: NodeJS.ProcessEnv): number {
  const dir = env.RUNNER_TEMP;
  if (!dir) return 0;
  try {
    const leftovers = readdirSync(dir).filter((name) => name.startsWith(TEMP_DOCKER_CONFIG_PREFIX));
    for (const name of leftovers) rmSync(join(dir, name), { recursive: true, force: true });
    if (leftovers.length > 0) core.info(`Removed ${leftovers.length} leftover Docker login(s).`);
  } catch (error) {
    // The deploy's outcome is the main step's; a cleanup that cannot run says so and fails nothing.
    core.warning(`Could not look for leftover Docker logins in ${dir}: ${(error as Error).message}`);
  }
  return 0;
}
