// The real dockerd and registry started by .ci/docker-up.sh: where they are and whether they answer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DockerEnv {
  available: boolean;
  /** Why the Docker tests cannot run; set when available is false. */
  reason?: string;
  env: { DOCKER_HOST: string; DOCKER_API_VERSION: string };
  registry: { host: string; username: string; password: string };
  /** A statically linked busybox to copy into FROM scratch images. */
  busybox: string;
}

export const STATE_DIR = process.env.ECS_SHIP_DOCKER_DIR || '/tmp/ecs-ship-docker';

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

let cached: DockerEnv | undefined;

/** What docker-up.sh left in its state dir, and whether dockerd and the registry answer now. */
export function dockerEnv(): DockerEnv {
  cached ??= probe();
  return cached;
}

function probe(): DockerEnv {
  const registryFile = readEnvFile(join(STATE_DIR, 'registry.env'));
  const busybox = readEnvFile(join(STATE_DIR, 'busybox.env')).ECS_SHIP_BUSYBOX || '/bin/busybox';
  const result: DockerEnv = {
    available: false,
    env: { DOCKER_HOST: `unix://${join(STATE_DIR, 'docker.sock')}`, DOCKER_API_VERSION: '1.41' },
    registry: {
      host: registryFile.ECS_SHIP_REGISTRY ?? '',
      username: registryFile.ECS_SHIP_REGISTRY_USER ?? '',
      password: registryFile.ECS_SHIP_REGISTRY_PASSWORD ?? '',
    },
    busybox,
  };
  const unavailable = (reason: string): DockerEnv => ({ ...result, reason: `${reason} (start it with .ci/docker-up.sh)` });
  if (!result.registry.password) return unavailable(`no registry credentials in ${STATE_DIR}/registry.env`);
  if (!existsSync(join(STATE_DIR, 'docker.sock'))) return unavailable(`no docker socket in ${STATE_DIR}`);
  const version = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    env: { ...process.env, ...result.env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (version.status !== 0) return unavailable(`dockerd does not answer: ${(version.stderr || String(version.error ?? '')).trim().split('\n')[0]}`);
  const check = `fetch('http://${result.registry.host}/v2/').then((r) => process.exit(r.status === 401 ? 0 : 1), () => process.exit(2))`;
  const registry = spawnSync(process.execPath, ['-e', check], { timeout: 15_000 });
  if (registry.status !== 0) return unavailable(`registry ${result.registry.host} does not answer with its login challenge`);
  if (!existsSync(busybox)) return unavailable(`no static busybox at ${busybox}`);
  return { ...result, available: true };
}
