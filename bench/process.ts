import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatorEnv } from '../test/support/simulator-env';

/** The repository (the bench runs as bundles/bench.js). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The key the bench signs its requests with; its simulators accept it. */
export const BENCH_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAECSSHIPBENCH0001', AWS_SECRET_ACCESS_KEY: 'ecs-ship-bench-secret-key' };

/** The Node 24 binary of the `node` dev dependency: what GitHub runs the action with. */
export const NODE24 = join(ROOT, 'node_modules/node/bin/node');

export interface Exited {
  /** Date.now() just before spawn() and when the process exited: the simulator's clock too. */
  spawnedAt: number;
  exitedAt: number;
  code: number | null;
  log: string;
}

export function runTimed(command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 15 * 60_000): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitedAt = Date.now();
      clearTimeout(timer);
      child.on('close', () => resolve({ spawnedAt, exitedAt, code, log }));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function awsEnv(dir: string, endpoint: string): Record<string, string> {
  return simulatorEnv(dir, endpoint, BENCH_CREDENTIALS);
}

/** The bundle run as the GitHub runner runs it: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
export function runAction(action: string, inputs: Record<string, string>, endpoint: string, dir: string, extraEnv: Record<string, string> = {}): Promise<Exited> {
  const runDir = mkdtempSync(join(dir, 'run-'));
  for (const file of ['output', 'summary', 'state']) writeFileSync(join(runDir, file), '');
  const env: Record<string, string> = {
    ...awsEnv(runDir, endpoint),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: join(runDir, 'output'),
    GITHUB_STEP_SUMMARY: join(runDir, 'summary'),
    GITHUB_STATE: join(runDir, 'state'),
    RUNNER_TEMP: runDir,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return runTimed(NODE24, [action], env, runDir);
}

/** The bundle run as a person runs the CLI. */
export function runCli(action: string, args: string[], endpoint: string, dir: string, extraEnv: Record<string, string> = {}): Promise<Exited> {
  const runDir = mkdtempSync(join(dir, 'cli-'));
  return runTimed(NODE24, [action, ...args], { ...awsEnv(runDir, endpoint), ...extraEnv }, runDir);
}
