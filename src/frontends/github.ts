import * as core from '@actions/core';
import { join } from 'node:path';
import type { Ledger } from '../execute/ledger';
import { summaryLines, summaryMarkdown } from '../outcome/summary';
import type { FrontEnd } from './frontend';
import { unwrittenOutputsWarning } from './unwritten-outputs';

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
  const finish = async (record: Ledger | undefined, outputs: Record<string, string>) => {
    setOutputs(outputs);
    if (!record) return;
    for (const line of summaryLines(record)) core.info(line);
    await writeSummary(record);
  };
  return {
    spelling: 'action',
    raw: (spec) => core.getInput(spec.name),
    defaultReportFile: reportFileIn(process.env),
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

/** RUNNER_TEMP (emptied after each job), one file per step of the job. */
function reportFileIn(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.RUNNER_TEMP) return undefined;
  const step = (env.GITHUB_ACTION || 'ecs-ship').replace(/[^A-Za-z0-9_.-]/g, '-');
  return join(env.RUNNER_TEMP, `ecs-ship-report-${step}.json`);
}

/** A file the runner gave us that cannot be written is a warning: the deploy's outcome decides the exit code. */
function setOutputs(outputs: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  } catch (error) {
    const warning = unwrittenOutputsWarning('step outputs', outputs, process.env.GITHUB_OUTPUT ?? 'GITHUB_OUTPUT', error);
    if (warning) core.warning(warning);
  }
}

async function writeSummary(record: Ledger): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(summaryMarkdown(record)).write();
  } catch (error) {
    core.warning(`Could not write the job summary to ${process.env.GITHUB_STEP_SUMMARY}: ${(error as Error).message}. The log above has the same account.`);
  }
}
