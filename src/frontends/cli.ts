import { summaryLines } from '../core/report';
import type { RawInputs } from '../inputs/parse';
import type { FrontEnd } from './frontend';
import { plainLog } from './plain-log';

/** The CLI: progress on stderr, the outputs as `name=value` lines on stdout. */
export function cliFrontEnd(raw: RawInputs, env: NodeJS.ProcessEnv): FrontEnd {
  const outputs: Record<string, string> = {};
  const colour = Boolean(process.stderr.isTTY) && !env.NO_COLOR;
  const log = plainLog({ write: (line) => process.stderr.write(`${line}\n`), debug: /^(true|1)$/i.test(env.DEBUG ?? ''), colour, levelPrefixes: false }, outputs);
  const printOutputs = () => {
    for (const [name, value] of Object.entries(outputs)) process.stdout.write(`${name}=${value}\n`);
  };
  return {
    raw,
    reporter: log.reporter,
    async succeed(record) {
      for (const line of summaryLines(record)) log.line(line);
      log.success('Deployed.');
      printOutputs();
    },
    async fail(message) {
      log.failure(message);
      printOutputs();
    },
  };
}
