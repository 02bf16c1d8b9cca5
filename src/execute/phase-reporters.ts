import type { AppLedger } from './ledger';
import type { Reporter } from '../shared/reporter';

/** A reporter whose phases go into the app's timeline as they start and end. */
export function timedReporter(reporter: Reporter, app: AppLedger): Reporter {
  return {
    ...reporter,
    async phase(title, work) {
      const entry: AppLedger['phases'][number] = { title, startedAt: Date.now() };
      app.phases.push(entry);
      try {
        return await reporter.phase(title, work);
      } catch (error) {
        entry.failed = true;
        throw error;
      } finally {
        entry.endedAt = Date.now();
      }
    },
  };
}

/** One service's lines, told apart from the others' while they roll out together: every line, continuations included. */
export function prefixedReporter(reporter: Reporter, name: string): Reporter {
  const tag = (message: string) =>
    message
      .split('\n')
      .map((line) => (line ? `[${name}] ${line}` : `[${name}]`))
      .join('\n');
  return {
    info: (message) => reporter.info(tag(message)),
    warn: (message) => reporter.warn(tag(message)),
    debug: (message) => reporter.debug(tag(message)),
    phase: (title, work) => reporter.phase(`${title}: ${name}`, work),
    secret: (value) => reporter.secret(value),
  };
}
