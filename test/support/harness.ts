import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** A clean environment for the bundle: AWS reaches the simulator, nothing of this machine's AWS setup leaks in. */
function baseEnv(dir: string, endpoint: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...TEST_CREDENTIALS,
  };
}

/** Runs the bundled action as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
export async function runAction(inputs: Record<string, string>, options: RunOptions): Promise<RunResult> {
  const dir = tempDir('ecs-ship-run-');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    ...baseEnv(dir, options.endpoint),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = await spawnCollect(NODE24, [ACTION], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn });
  return { ...result, outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') };
}

/** Runs the bundle as a Bitbucket Pipe runs it: UPPER_SNAKE variables; outputs from the shared storage dir. */
export async function runPipe(variables: Record<string, string>, options: RunOptions): Promise<RunResult> {
  const dir = tempDir('ecs-ship-pipe-');
  const env: Record<string, string> = {
    ...baseEnv(dir, options.endpoint),
    BITBUCKET_BUILD_NUMBER: '42',
    BITBUCKET_CLONE_DIR: options.cwd ?? dir,
    BITBUCKET_PIPE_SHARED_STORAGE_DIR: join(dir, 'shared'),
    ...options.env,
    ...variables,
  };
  const result = await spawnCollect(NODE24, [ACTION], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn });
  const outputsFile = join(dir, 'shared', 'ecs-ship', 'outputs.json');
  return { ...result, outputs: existsSync(outputsFile) ? JSON.parse(readFileSync(outputsFile, 'utf8')) : {}, summary: '' };
}

/** Runs the bundle as a person runs the CLI: `ecs-ship <args>`; outputs are the `name=value` lines on stdout. */
export async function runCli(args: string[], options: RunOptions): Promise<RunResult> {
  const dir = tempDir('ecs-ship-cli-');
  const env = { ...baseEnv(dir, options.endpoint), ...options.env };
  const result = await spawnCollect(NODE24, [ACTION, ...args], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn });
  const outputs = Object.fromEntries(
    result.stdout
      .split('\n')
      .map((line) => /^([a-z-]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  return { ...result, outputs, summary: '' };
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
