import * as core from '@actions/core';
import type { RunRecord } from '../core/record';
import { summaryLines, summaryMarkdown } from '../core/report';
import type { FrontEnd } from './frontend';

/** Tells the `post:` step (same entry point) that it is the post step. */
export function markMainStepDone(): void {
  try {
    core.saveState('isPost', 'true');
  } catch (error) {
    core.debug(`Could not save the post-step state: ${(error as Error).message}`);
  }
}

/** GitHub Actions: groups per phase, masked secrets, step outputs, an error annotation, a job summary. */
export function githubFrontEnd(): FrontEnd {
  const finish = async (record: RunRecord | undefined, outputs: Record<string, string>) => {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    if (!record) return;
    for (const line of summaryLines(record)) core.info(line);
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryMarkdown(record)).write();
  };
  return {
    raw: (spec) => core.getInput(spec.name),
    reporter: {
      info: (message) => core.info(message),
      warn: (message) => core.warning(message),
      debug: (message) => core.debug(message),
      phase: (title, work) => core.group(title, work),
      secret: (value) => core.setSecret(value),
    },
    async succeed(record, outputs) {
      await finish(record, outputs);
    },
    async fail(message, record, outputs) {
      core.setFailed(message);
      await finish(record, outputs);
    },
  };
}
