import { summaryLines } from '../core/report';
import type { RawInputs } from '../inputs/parse';
import { useSpelling } from '../inputs/spelling';
import type { FrontEnd } from './frontend';
import { plainLog } from './plain-log';

/** The CLI: progress on stderr, the outputs as `name=value` lines on stdout. */
export function cliFrontEnd(raw: RawInputs, env: NodeJS.ProcessEnv): FrontEnd {
  useSpelling('cli');
  const colour = Boolean(process.stderr.isTTY) && !env.NO_COLOR;
  const log = plainLog({ write: (line) => process.stderr.write(`${line}\n`), debug: /^(true|1)$/i.test(env.DEBUG ?? ''), colour, levelPrefixes: false });
  const printOutputs = (outputs: Record<string, string>) => {
    for (const [name, value] of Object.entries(outputs)) if (value) process.stdout.write(`${name}=${value}\n`);
  };
  return {
    raw,
    reporter: log.reporter,
    async succeed(record, outputs) {
      for (const line of summaryLines(record)) log.line(line);
      log.success(record.outcome === 'planned' ? 'Dry run: nothing was changed.' : 'Deployed.');
      printOutputs(outputs);
    },
    async fail(message, record, outputs) {
      for (const line of record ? summaryLines(record) : []) log.line(line);
      log.failure(message);
      printOutputs(outputs);
    },
  };
}
