import { successLine, summaryLines } from '../outcome/summary';
import type { RawInputs } from '../inputs/parse';
import type { FrontEnd } from './frontend';
import { plainLog } from './plain-log';
import { unwrittenOutputsWarning } from './unwritten-outputs';

/** The CLI: progress on stderr, the outputs as `name=value` lines on stdout. */
export function cliFrontEnd(raw: RawInputs, env: NodeJS.ProcessEnv): FrontEnd {
  const colour = Boolean(process.stderr.isTTY) && !env.NO_COLOR;
  const log = plainLog({ write: (line) => process.stderr.write(`${line}\n`), debug: /^(true|1)$/i.test(env.DEBUG ?? ''), colour, levelPrefixes: false });
  /** A stdout nobody reads any more (`… | head -1`) is a warning: the deploy's outcome decides the exit code. */
  const printOutputs = (outputs: Record<string, string>) => {
    const lines = Object.entries(outputs).filter(([, value]) => value).map(([name, value]) => `${name}=${value}\n`);
    if (lines.length === 0) return;
    process.stdout.once('error', (error) => {
      const warning = unwrittenOutputsWarning('outputs', outputs, 'stdout', error);
      if (warning) log.reporter.warn(warning);
    });
    process.stdout.write(lines.join(''));
  };
  return {
    spelling: 'cli',
    raw,
    reporter: log.reporter,
    async succeed(record, outputs) {
      log.summary(summaryLines(record));
      log.success(successLine(record, 'Deployed.'));
      printOutputs(outputs);
    },
    async fail(message, record, outputs) {
      log.summary(record ? summaryLines(record) : []);
      log.failure(message);
      printOutputs(outputs);
    },
  };
}
