import { spawn } from 'node:child_process';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the process's stdin, which is then closed (passwords go this way, never in argv). */
  stdin?: string;
  /** Each line of stdout and stderr as it comes. */
  onLine?: (line: string) => void;
  keepStdout?: boolean;
  /** Aborting it terminates the program (SIGTERM) and rejects with the AbortError. */
  signal?: AbortSignal;
}

export interface RunResult {
  code: number;
  /** Whole stdout, only with keepStdout. */
  stdout: string;
  /** The last TAIL_LINES lines of stdout and stderr together. */
  lines: string[];
}

const TAIL_LINES = 20;

/** Thrown when the program itself could not start (not found, not executable). */
export class StartError extends Error {
  constructor(readonly command: string, cause: Error) {
    super(`could not start ${command}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : cause.message}`);
    this.name = 'StartError';
  }
}

/** Runs a program with an argument array (never through a shell) and resolves with its exit code. */
export function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal });
    const tail: string[] = [];
    let stdout = '';
    const take = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    const outLines = lineSplitter(take);
    const errLines = lineSplitter(take);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (options.keepStdout) stdout += chunk;
      outLines.push(chunk);
    });
    child.stderr.on('data', (chunk: string) => errLines.push(chunk));
    child.on('error', (error) => reject(error.name === 'AbortError' ? error : new StartError(command, error)));
    child.on('close', (code, signal) => {
      outLines.end();
      errLines.end();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, lines: tail });
    });
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    child.stdin.end(options.stdin ?? '');
  });
}

function lineSplitter(onLine: (line: string) => void) {
  let pending = '';
  const flush = (text: string) => {
    const parts = text.split(/\r?\n|\r/);
    pending = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') onLine(part);
  };
  return {
    push: (chunk: string) => flush(pending + chunk),
    end: () => {
      if (pending.trim() !== '') onLine(pending);
      pending = '';
    },
  };
}
