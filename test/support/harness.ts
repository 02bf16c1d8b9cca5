import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simulatorEnv } from './simulator-env';

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
  /** Secrets of this run only (e.g. a wrong password it hands out), checked besides knownSecrets(). */
  secrets?: string[];
}

function baseEnv(dir: string, endpoint: string): Record<string, string> {
  return simulatorEnv(dir, endpoint, TEST_CREDENTIALS);
}

/** Runs the bundled action as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
export async function runAction(inputs: Record<string, string>, options: RunOptions): Promise<RunResult> {
  const dir = tempDir('ecs-ship-run-');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(join(dir, 'state'), '');
  const env: Record<string, string> = {
    ...baseEnv(dir, options.endpoint),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: join(dir, 'state'),
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const result = await spawnCollect(NODE24, [ACTION], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn, secrets: options.secrets });
  return scanned({ ...result, outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') }, options.secrets);
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
  const result = await spawnCollect(NODE24, [ACTION], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn, secrets: options.secrets });
  const outputsFile = join(dir, 'shared', 'ecs-ship', 'outputs.json');
  return scanned({ ...result, outputs: existsSync(outputsFile) ? JSON.parse(readFileSync(outputsFile, 'utf8')) : {}, summary: '' }, options.secrets);
}

/** Runs the bundle as a person runs the CLI: `ecs-ship <args>`; outputs are the `name=value` lines on stdout. */
export async function runCli(args: string[], options: RunOptions): Promise<RunResult> {
  const dir = tempDir('ecs-ship-cli-');
  const env = { ...baseEnv(dir, options.endpoint), ...options.env };
  const result = await spawnCollect(NODE24, [ACTION, ...args], { env, cwd: options.cwd ?? dir, timeoutMs: options.timeoutMs, onSpawn: options.onSpawn, secrets: options.secrets });
  const outputs = Object.fromEntries(
    result.stdout
      .split('\n')
      .map((line) => /^([a-z-]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  return scanned({ ...result, outputs, summary: '' }, options.secrets);
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  onSpawn?: RunOptions['onSpawn'];
  /** Checked besides knownSecrets(); the captured stdout and stderr must contain none of them. */
  secrets?: string[];
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
      try {
        for (const [where, text] of [['stdout', stdout], ['stderr', stderr]] as const) scanForSecrets(where, text, options.secrets);
      } catch (leak) {
        reject(leak);
        return;
      }
      resolvePromise({ code, signal, stdout, stderr, log });
    });
  });
}

// ── Secrets ─────────────────────────────────────────────────────────────────────────────────────
// Every run through runAction, runCli, runPipe (and anything spawned with spawnCollect) is scanned:
// its stdout, stderr, outputs and job summary must contain none of knownSecrets() nor the run's own
// `secrets`; a hit rejects the run's promise, which fails the test. expectNoSecretsIn stays for
// explicit checks of results collected some other way.

/** The password the simulator's ECR hands out when no real registry is configured (simulator/ecr.ts). */
export const SIMULATOR_ECR_LOGIN = { username: 'AWS', password: 'ecs-ship-simulator-password' };

const registered = new Map<string, string>();

/** A secret every later run of this test file is scanned for (e.g. the value of a var in secret-vars). */
export function registerSecret(value: string, label = 'a registered secret'): void {
  if (value) registered.set(value, label);
}

function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const lines = text.split('\n').filter((line) => line.includes('='));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

const basicToken = (username: string, password: string) => Buffer.from(`${username}:${password}`).toString('base64');

/** What no run may print, each with a label for the failure message (the value itself is never shown). */
export function knownSecrets(): Array<{ label: string; value: string }> {
  const known: Array<[string, string | undefined]> = [
    ['TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY],
    ['TEST_CREDENTIALS.AWS_SESSION_TOKEN', TEST_CREDENTIALS.AWS_SESSION_TOKEN],
    ["the simulator's ECR password", SIMULATOR_ECR_LOGIN.password],
    ["the simulator's ECR authorization token", basicToken(SIMULATOR_ECR_LOGIN.username, SIMULATOR_ECR_LOGIN.password)],
  ];
  // The password-protected test registry of .ci/docker-up.sh, whether or not this test uses it.
  const registry = readEnvFile(join(process.env.ECS_SHIP_DOCKER_DIR || '/tmp/ecs-ship-docker', 'registry.env'));
  if (registry.ECS_SHIP_REGISTRY_PASSWORD) {
    known.push(['the test registry password', registry.ECS_SHIP_REGISTRY_PASSWORD]);
    known.push(['the test registry authorization token', basicToken(registry.ECS_SHIP_REGISTRY_USER ?? '', registry.ECS_SHIP_REGISTRY_PASSWORD)]);
  }
  for (const [value, label] of registered) known.push([label, value]);
  return known.filter((entry): entry is [string, string] => Boolean(entry[1])).map(([label, value]) => ({ label, value }));
}

/** `::add-mask::` lines are runner commands that register a mask; the runner never shows them. */
function printedText(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function scanForSecrets(where: string, text: string, extra: string[] = []): void {
  const secrets = [...knownSecrets(), ...extra.filter(Boolean).map((value) => ({ label: "one of the run's own secrets", value }))];
  const printed = printedText(text);
  for (const { label, value } of secrets) {
    const at = printed.indexOf(value);
    if (at === -1) continue;
    const lineStart = printed.lastIndexOf('\n', at) + 1;
    const lineEnd = printed.indexOf('\n', at);
    const line = printed.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).split(value).join('[SECRET]');
    throw new Error(`Secret leaked: ${label} appears in the run's ${where}, in the line:\n  ${line}`);
  }
}

/** The whole result scanned: outputs, job summary and report file (stdout and stderr were scanned as they were collected). */
function scanned(run: RunResult, extra?: string[]): RunResult {
  scanForSecrets('outputs', Object.entries(run.outputs).map(([name, value]) => `${name}=${value}`).join('\n'), extra);
  scanForSecrets('job summary', run.summary, extra);
  const report = run.outputs['report-file'];
  if (report && existsSync(report)) scanForSecrets('report file', readFileSync(report, 'utf8'), extra);
  return run;
}

/**
 * Fails when a secret appears anywhere a person could read it: the log, the outputs, the job summary.
 * `::add-mask::` lines are runner commands that register a mask; the runner never shows them.
 */
export function expectNoSecretsIn(run: RunResult, secrets: string[]): void {
  const printed = printedText(run.log);
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
