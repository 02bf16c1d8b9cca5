// Values a run must never print: the values of secret-vars, registry passwords and tokens.
// The core redacts them itself, so no front end has to be trusted to (GitHub's masking happens in
// the runner, after our process has already written the value to its stdout).
import { DeployError, InputError } from './errors';
import type { Reporter } from './reporter';

/** Shorter values are not redacted: replacing every "abc" in a log would garble it and hide nothing. */
export const MIN_SECRET_LENGTH = 4;

export class Secrets {
  private values: string[] = [];

  /** The forms a value takes in our output: as is, line by line, and JSON-escaped (the dry-run diff is JSON). */
  static formsOf(value: string): string[] {
    const forms = [value, ...value.split(/\r?\n|\r/), JSON.stringify(value).slice(1, -1)];
    return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
  }

  add(value: string): string[] {
    const forms = Secrets.formsOf(value).filter((form) => !this.values.includes(form));
    this.values.push(...forms);
    // Longest first, so a secret that contains another is replaced whole.
    this.values.sort((a, b) => b.length - a.length);
    return forms;
  }

  redact(text: string): string {
    return this.values.reduce((result, secret) => result.split(secret).join('***'), text);
  }

  /** The same error with every secret replaced in what gets printed: message, stack, problems, details. */
  redactError<T>(error: T): T {
    if (this.values.length === 0 || !(error instanceof Error)) return error;
    error.message = this.redact(error.message);
    if (error.stack) error.stack = this.redact(error.stack);
    if (error instanceof InputError) error.problems.forEach((problem, i) => (error.problems[i] = this.redact(problem)));
    if (error instanceof DeployError) error.details.forEach((line, i) => (error.details[i] = this.redact(line)));
    return error;
  }
}

/** A Reporter that redacts every message before the front end sees it; secret() also feeds the redaction. */
export function redactingReporter(reporter: Reporter, secrets: Secrets): Reporter {
  return {
    info: (message) => reporter.info(secrets.redact(message)),
    warn: (message) => reporter.warn(secrets.redact(message)),
    debug: (message) => reporter.debug(secrets.redact(message)),
    phase: (title, work) => reporter.phase(secrets.redact(title), work),
    secret(value) {
      for (const form of secrets.add(value)) reporter.secret(form);
    },
  };
}

/** `text` with every form of each of `values` replaced by ***. */
export function redactValues(text: string, values: string[]): string {
  const secrets = new Secrets();
  for (const value of values) secrets.add(value);
  return secrets.redact(text);
}
