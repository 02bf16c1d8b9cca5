// The Docker CLI's configuration directory: a private copy for our ECR login, and reading
// the user's own login for a registry (for the v2 API checks).
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './process';
import type { RegistryAuth } from './registry';

interface ConfigFile {
  auths?: Record<string, { auth?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

async function readConfig(dir: string): Promise<ConfigFile> {
  try {
    return JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as ConfigFile;
  } catch {
    return {};
  }
}

export interface TempDockerConfig {
  dir: string;
  remove(): Promise<void>;
}

/**
 * A fresh DOCKER_CONFIG for one run: the user's config.json copied (their other logins keep
 * working), everything else in their directory linked (cli-plugins, buildx builders, contexts),
 * and credentials for `host` forced into this directory's file instead of a credential store,
 * so our login never reaches the user's keychain and disappears with the directory.
 */
export const TEMP_DOCKER_CONFIG_PREFIX = 'ecs-ship-docker-config-';

export async function createTempDockerConfig(env: NodeJS.ProcessEnv, host: string): Promise<TempDockerConfig> {
  const dir = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), TEMP_DOCKER_CONFIG_PREFIX));
  // The login must not outlive the run, even when it is cancelled before `remove` runs.
  const removeAtExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeAtExit);
  const remove = async () => {
    process.off('exit', removeAtExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const userDir = userDockerConfigDir(env);
    const config = await readConfig(userDir);
    if (config.credsStore || config.credHelpers) {
      // The CLI uses the file store for a host whose helper is the empty string.
      config.credHelpers = { ...config.credHelpers, [host]: '' };
    }
    await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
    const entries = await readdir(userDir).catch(() => [] as string[]);
    for (const entry of entries) {
      if (entry !== 'config.json') await symlink(join(userDir, entry), join(dir, entry));
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

/** The user's saved login for `host` (config.json or a credential helper), if any. */
export async function userRegistryAuth(host: string, env: NodeJS.ProcessEnv): Promise<RegistryAuth | undefined> {
  const config = await readConfig(userDockerConfigDir(env));
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  if (helper) {
    const fromHelper = await helperAuth(helper, host, env);
    if (fromHelper) return fromHelper;
  }
  const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`] ?? config.auths?.[`http://${host}`];
  if (!entry?.auth) return undefined;
  return splitUserPassword(Buffer.from(entry.auth, 'base64').toString('utf8'));
}

async function helperAuth(helper: string, host: string, env: NodeJS.ProcessEnv): Promise<RegistryAuth | undefined> {
  try {
    const result = await runProcess(`docker-credential-${helper}`, ['get'], { env, stdin: host, keepStdout: true });
    if (result.code !== 0) return undefined;
    const parsed = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    return parsed.Username && parsed.Secret ? { username: parsed.Username, password: parsed.Secret } : undefined;
  } catch {
    return undefined;
  }
}

/** `user:password` (a decoded Basic credential or ECR token) split at the first colon. */
export function splitUserPassword(decoded: string): RegistryAuth | undefined {
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
