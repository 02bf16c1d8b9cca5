import { DeployError, InputError } from '../../src/shared/errors';
import type { Reporter } from '../../src/shared/reporter';
import { redactingReporter, Secrets } from '../../src/shared/secrets';

describe('Secrets', () => {
  test('redacts the value, each of its lines, and its JSON-escaped form; longer secrets first', () => {
    const secrets = new Secrets();
    secrets.add('abcd');
    secrets.add('abcdefgh');
    secrets.add('line-one\nline "two"');
    expect(secrets.redact('x abcdefgh y abcd')).toBe('x *** y ***');
    expect(secrets.redact('line-one / line "two" / "line-one\\nline \\"two\\""')).toBe('*** / *** / "***"');
  });

  test('values shorter than 4 characters are not redacted (they would garble the log)', () => {
    const secrets = new Secrets();
    expect(secrets.add('abc')).toEqual([]);
    expect(secrets.redact('abc abcd')).toBe('abc abcd');
  });

  test('redacts what an error prints: message, stack, problems, details', () => {
    const secrets = new Secrets();
    secrets.add('s3cr3t-value');
    const input = secrets.redactError(new InputError(['cpu must be an integer, got "s3cr3t-value".', 'other']));
    expect(input.message).not.toContain('s3cr3t-value');
    expect(input.problems[0]).toBe('cpu must be an integer, got "***".');
    expect(input.stack).not.toContain('s3cr3t-value');
    const deploy = secrets.redactError(new DeployError('refused s3cr3t-value', ['log: s3cr3t-value']));
    expect([deploy.message, deploy.details[0]]).toEqual(['refused ***', 'log: ***']);
    expect(secrets.redactError('not an error')).toBe('not an error');
  });

  test('a redacting reporter: every message redacted; secret() registers every form once with the front end', () => {
    const seen: string[] = [];
    const masks: string[] = [];
    const inner: Reporter = {
      info: (m) => seen.push(m),
      warn: (m) => seen.push(`warn ${m}`),
      debug: (m) => seen.push(`debug ${m}`),
      phase: (title, work) => (seen.push(`phase ${title}`), work()),
      secret: (v) => masks.push(v),
    };
    const secrets = new Secrets();
    const reporter = redactingReporter(inner, secrets);
    reporter.secret('pa"ss-word');
    reporter.secret('pa"ss-word');
    reporter.info('token pa"ss-word');
    reporter.warn('json "pa\\"ss-word"');
    expect(masks).toEqual(['pa"ss-word', 'pa\\"ss-word']);
    expect(seen).toEqual(['token ***', 'warn json "***"']);
  });
});
