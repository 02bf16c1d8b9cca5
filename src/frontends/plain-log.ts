import type { Reporter } from '../shared/reporter';
import { Secrets } from '../shared/secrets';

export interface PlainLogStyle {
  /** Where lines go (stdout on Bitbucket, stderr for the CLI so stdout stays for outputs). */
  write: (line: string) => void;
  debug: boolean;
  colour: boolean;
  /** Bitbucket's convention: `INFO:` / `WARNING:` / `DEBUG:` before each line. */
  levelPrefixes: boolean;
}

const ANSI = { bold: '\x1b[1m', yellow: '\x1b[33m', red: '\x1b[31m', green: '\x1b[32m', reset: '\x1b[0m' };
export type Tint = keyof typeof ANSI;

/** A Reporter for plain terminal logs; every line passes through the secret filter. */
export function plainLog(style: PlainLogStyle) {
  const secrets = new Secrets();
  const redact = (text: string) => secrets.redact(text);
  const tint = (colour: Tint, text: string) => (style.colour ? `${ANSI[colour]}${text}${ANSI.reset}` : text);
  const emit = (level: string, colour: Tint | undefined, message: string) => {
    for (const line of redact(message).split('\n')) {
      const text = style.levelPrefixes ? `${level}: ${line}` : line;
      style.write(colour ? tint(colour, text) : text);
    }
  };
  const reporter: Reporter = {
    info: (message) => emit('INFO', undefined, message),
    warn: (message) => emit('WARNING', 'yellow', message),
    debug: (message) => style.debug && emit('DEBUG', undefined, message),
    async phase(title, work) {
      emit('INFO', 'bold', `── ${title}`);
      return work();
    },
    secret: (value) => void secrets.add(value),
  };
  return {
    reporter,
    success: (message: string) => style.write(tint('green', `✔ ${redact(message)}`)),
    failure: (message: string) => style.write(tint('red', `✖ ${redact(message)}`)),
    /** The final account, under a header like the phases'. */
    summary(lines: string[]) {
      if (lines.length === 0) return;
      emit('INFO', 'bold', '── Summary');
      for (const line of lines) emit('INFO', undefined, line);
    },
  };
}
