import * as core from '@actions/core';
import { summaryLines } from '../core/report';
import type { FrontEnd } from './frontend';

export function githubFrontEnd(): FrontEnd {
  return {
    raw: (spec) => core.getInput(spec.name),
    reporter: {
      info: (message) => core.info(message),
      warn: (message) => core.warning(message),
      debug: (message) => core.debug(message),
      phase: (title, work) => core.group(title, work),
      secret: (value) => core.setSecret(value),
      output: (name, value) => core.setOutput(name, value),
    },
    async succeed(record) {
      for (const line of summaryLines(record)) core.info(line);
    },
    async fail(message) {
      core.setFailed(message);
    },
  };
}
