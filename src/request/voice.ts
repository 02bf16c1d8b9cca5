// How a run speaks of its services: a config file's by name (`[worker] …`, "Rollout web, worker", one line
// per service when one fails), or the single service of a run without one, as a one-service deploy always has.
import type { Reporter } from '../shared/reporter';
import type { App } from './read-request';

export interface Voice {
  single: boolean;
  /** The reporter of one service's lines: prefixed with its name in a whole app. */
  serviceReporter(reporter: Reporter, name: string): Reporter;
  /** "Image" for one service, "Image app" for an image of the file. */
  title(base: string, name: string): string;
  /** A problem of one service: named by its service in a whole app. */
  named(name: string, problem: string): string;
}

export function voiceOf(app: App): Voice {
  const single = app.file === undefined;
  return {
    single,
    serviceReporter: (reporter, name) => (single ? reporter : prefixedReporter(reporter, name)),
    title: (base, name) => (single ? base : `${base} ${name}`),
    named: (name, problem) => (single ? problem : `${name}: ${problem}`),
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
