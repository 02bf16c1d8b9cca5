// The docker CLI, run with argument arrays; failures become DeployErrors that say what failed.
import { DeployError } from '../shared/errors';
import { redactValues } from '../shared/secrets';
import { runProcess, StartError, type RunResult } from './process';

export interface DockerContext {
  env: NodeJS.ProcessEnv;
  /** Values replaced by *** in every line passed on or put in an error. */
  secrets: string[];
  onLine?: (line: string) => void;
  /** A cancelled run stops the docker command it is waiting for. */
  signal?: AbortSignal;
}

export type DockerFailure = 'daemon' | 'unreachable' | 'auth' | 'other';

export function classifyDockerFailure(lines: string[]): DockerFailure {
  const text = lines.join('\n');
  if (/cannot connect to the docker daemon|is the docker daemon running|error during connect|permission denied while trying to connect to the docker daemon/i.test(text)) {
    return 'daemon';
  }
  if (/connection refused|no such host|i\/o timeout|tls handshake timeout|server misbehaving|network is unreachable|context deadline exceeded|dial tcp/i.test(text)) {
    return 'unreachable';
  }
  if (/unauthori[sz]ed|\b401\b|\b403\b|denied|forbidden|authentication required|no basic auth credentials|incorrect username or password/i.test(text)) {
    return 'auth';
  }
  return 'other';
}

export async function docker(args: string[], context: DockerContext, extra: { stdin?: string; keepStdout?: boolean; cwd?: string } = {}): Promise<RunResult> {
  try {
    const result = await runProcess('docker', args, {
      env: context.env,
      cwd: extra.cwd,
      stdin: extra.stdin,
      keepStdout: extra.keepStdout,
      signal: context.signal,
      onLine: context.onLine && ((line) => context.onLine?.(redactValues(line, context.secrets))),
    });
    return { ...result, lines: result.lines.map((line) => redactValues(line, context.secrets)) };
  } catch (error) {
    if (error instanceof StartError) throw new DeployError(`Docker is not installed: ${error.message}.`);
    throw error;
  }
}

function tailText(lines: string[]): string {
  return lines.length ? `\nLast lines of its output:\n  ${lines.join('\n  ')}` : '';
}

/** A DeployError for a failed docker command, worded by what the output says went wrong. */
export function dockerError(action: string, host: string, result: RunResult): DeployError {
  const kind = classifyDockerFailure(result.lines);
  const lead = `${action} failed (exit code ${result.code})`;
  const why = {
    daemon: `: Docker is not available (is the daemon running, is DOCKER_HOST right?)`,
    unreachable: `: registry ${host} is not answering`,
    auth: `: registry ${host} refused the credentials (authentication failed or permission denied; check the login and that it may push to this repository)`,
    other: '',
  }[kind];
  return new DeployError(`${lead}${why}.${tailText(result.lines)}`, result.lines);
}

/** Logs in with the password on stdin, never in argv. Uses whatever DOCKER_CONFIG the context's env names. */
export async function dockerLogin(host: string, username: string, password: string, context: DockerContext): Promise<void> {
  const result = await docker(['login', '--username', username, '--password-stdin', host], { ...context, secrets: [...context.secrets, password] }, { stdin: password });
  if (result.code !== 0) throw dockerError(`docker login to ${host}`, host, result);
}

export async function hasBuildx(context: DockerContext): Promise<boolean> {
  const result = await docker(['buildx', 'version'], { ...context, onLine: undefined });
  return result.code === 0;
}

/** The digest `docker push` reports: "<tag>: digest: sha256:… size: N". */
export function pushedDigest(lines: string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const match = /digest: (sha256:[0-9a-f]{64})/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** The registry digest of a pushed local image, from `docker inspect`'s RepoDigests for `repository` (host/repo). */
export async function repoDigest(image: string, repository: string, context: DockerContext): Promise<string | undefined> {
  const result = await docker(['inspect', '--format', '{{json .RepoDigests}}', image], { ...context, onLine: undefined }, { keepStdout: true });
  if (result.code !== 0) return undefined;
  const digests = JSON.parse(result.stdout.trim() || '[]') as string[];
  return digests.find((entry) => entry.startsWith(`${repository}@`))?.slice(repository.length + 1);
}
