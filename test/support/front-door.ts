// `ecs-ship simulator` as a person starts it: the bundle as a child process, read until it prints the
// line to paste, whose variables a test then deploys with.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ACTION, NODE24, ROOT } from './harness';

export interface FrontDoor {
  /** Everything it printed so far. */
  output(): string;
  /** The variables of its `export …` line. */
  exports: Record<string, string>;
  /** SIGINT, as Ctrl-C sends it; its exit code. */
  stop(): Promise<number | null>;
}

export async function startFrontDoor(args: string[], env: Record<string, string> = {}): Promise<FrontDoor> {
  const child = spawn(NODE24, [ACTION, 'simulator', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exportLine = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const line = /^ {2}export (.*)$/m.exec(output);
      if (line) resolve(line[1]);
    };
    child.stdout.on('data', look);
    child.on('exit', (code) => reject(new Error(`ecs-ship simulator exited with ${code} before printing its export line:\n${output}`)));
  });
  const exports = Object.fromEntries(exportLine.split(' ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return {
    output: () => output,
    exports,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
