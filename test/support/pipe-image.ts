// Builds the Bitbucket Pipe image from the repository's Dockerfile with the real engine. Base images can't be
// pulled here, so its two build arguments point at bases made locally FROM scratch: this machine's Node 24
// binary with its shared libraries, and this machine's Docker CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dockerEnv } from './docker';
import { NODE24, ROOT, tempDir } from './harness';

export const PIPE_IMAGE = 'ecs-ship-pipe:test';
const NODE_BASE = 'ecs-ship-local/node:24';
const DOCKER_CLI_BASE = 'ecs-ship-local/docker-cli:local';

export function docker(args: string[], options: { input?: string } = {}): string {
  const result = spawnSync('docker', args, { env: { ...process.env, ...dockerEnv().env, DOCKER_BUILDKIT: '0' }, encoding: 'utf8', input: options.input, maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`docker ${args[0]} failed (${result.status}): ${result.stderr}${result.stdout}`.slice(0, 4000));
  return result.stdout;
}

/** A FROM scratch context holding `binary` at `target` and every shared library it loads, at the same paths. */
function scratchContext(binary: string, target: string, extraDirs: string[]): string {
  const dir = tempDir('ecs-ship-base-');
  const place = (from: string, to: string) => {
    mkdirSync(join(dir, 'rootfs', dirname(to)), { recursive: true });
    copyFileSync(realpathSync(from), join(dir, 'rootfs', to));
    chmodSync(join(dir, 'rootfs', to), 0o755);
  };
  place(binary, target);
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  const libraries = ldd.status === 0 ? [...ldd.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]) : [];
  for (const library of libraries) place(library, library);
  for (const extra of extraDirs) {
    mkdirSync(join(dir, 'rootfs', extra), { recursive: true });
    writeFileSync(join(dir, 'rootfs', extra, '.keep'), '');
  }
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\n');
  return dir;
}

/** Builds the local bases (once per engine) and the pipe image from the repository's Dockerfile. */
export function buildPipeImage(): string {
  const dockerCli = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  docker(['build', '-q', '-t', NODE_BASE, scratchContext(NODE24, '/usr/local/bin/node', ['tmp'])]);
  docker(['build', '-q', '-t', DOCKER_CLI_BASE, scratchContext(dockerCli, '/usr/local/bin/docker', ['usr/local/libexec/docker/cli-plugins'])]);
  docker(['build', '-q', '-t', PIPE_IMAGE, '--build-arg', `NODE_IMAGE=${NODE_BASE}`, '--build-arg', `DOCKER_CLI_IMAGE=${DOCKER_CLI_BASE}`, ROOT]);
  return PIPE_IMAGE;
}
