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
