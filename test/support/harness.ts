import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
/** The Node 24 binary from the `node` dev dependency: the version GitHub runs the action with. */
export const NODE24 = join(ROOT, 'node_modules/node/bin/node');
export const ACTION = join(ROOT, 'dist/index.js');

export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAECSSHIPTEST00001',
  AWS_SECRET_ACCESS_KEY: 'ecs-ship-secret-key-never-printed-9f8e7d',
  AWS_SESSION_TOKEN: 'ecs-ship-session-token-never-printed-1a2b3c',
};

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** stdout and stderr together, for "the log shows …" assertions. */
  log: string;
}

export interface RunOptions {
  endpoint: string;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Called once the process is running; lets a test signal it. */
  onSpawn?: (pid: number, output: () => string) => void;
}

/** Runs the bundled action as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
export function runAction(inputs: Record<string, string>, options: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-ship-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...TEST_CREDENTIALS,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return spawnCollect(NODE24, [ACTION], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn }).then(
    (result) => ({
      ...result,
      outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')),
      summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
    }),
  );
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  onSpawn?: RunOptions['onSpawn'];
}

export function spawnCollect(command: string, args: string[], options: SpawnOptions): Promise<Omit<RunResult, 'outputs' | 'summary'>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      log += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      log += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => options.onSpawn?.(child.pid!, () => log));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, log });
    });
  });
}

/**
 * Fails when a secret appears anywhere a person could read it: the log, the outputs, the job summary.
 * `::add-mask::` lines are runner commands that register a mask; the runner never shows them.
 */
export function expectNoSecretsIn(run: RunResult, secrets: string[]): void {
  const printed = run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of secrets.filter(Boolean)) {
    expect(printed).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

/** Reads the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

export function tempDir(prefix = 'ecs-ship-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
