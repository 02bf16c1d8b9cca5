import type { Reporter } from '../../src/shared/reporter';

/** A reporter that keeps what it is told as lines ("info …", "phase …", "secret <length>"), for unit tests. */
export function recordingReporter(): { reporter: Reporter; log: string[] } {
  const log: string[] = [];
  const reporter: Reporter = {
    info: (message) => log.push(`info ${message}`),
    warn: (message) => log.push(`warn ${message}`),
    debug: (message) => log.push(`debug ${message}`),
    phase: (title, work) => (log.push(`phase ${title}`), work()),
    secret: (value) => log.push(`secret ${value.length}`),
  };
  return { reporter, log };
}
