import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempDockerConfig, userDockerConfigDir, userRegistryAuth } from '../../src/image/docker-config';

const ROOT = mkdtempSync(join(tmpdir(), 'ecs-ship-image-docker-config-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

function userConfig(config: object): string {
  const dir = mkdtempSync(join(ROOT, 'user-docker-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  mkdirSync(join(dir, 'cli-plugins'));
  return dir;
}

describe('docker config', () => {
  it('is DOCKER_CONFIG, else ~/.docker', () => {
    expect(userDockerConfigDir({ DOCKER_CONFIG: '/x' })).toBe('/x');
    expect(userDockerConfigDir({ HOME: '/home/u' })).toBe('/home/u/.docker');
  });

  it('makes a private copy that keeps other logins and plugins, and removes it', async () => {
    const user = userConfig({ auths: { 'ghcr.io': { auth: 'eDp5' } } });
    const temp = await createTempDockerConfig({ DOCKER_CONFIG: user, RUNNER_TEMP: ROOT }, 'r.example:5000');
    expect(JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8'))).toEqual({ auths: { 'ghcr.io': { auth: 'eDp5' } } });
    expect(statSync(temp.dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(temp.dir, 'cli-plugins')).isSymbolicLink()).toBe(true);
    await temp.remove();
    expect(existsSync(temp.dir)).toBe(false);
    expect(existsSync(join(user, 'cli-plugins'))).toBe(true);
  });

  it('keeps our login out of the user credential store', async () => {
    const user = userConfig({ credsStore: 'osxkeychain', credHelpers: { 'gcr.io': 'gcloud' } });
    const temp = await createTempDockerConfig({ DOCKER_CONFIG: user }, '1.dkr.ecr.eu-west-1.amazonaws.com');
    expect(JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8'))).toEqual({
      credsStore: 'osxkeychain',
      credHelpers: { 'gcr.io': 'gcloud', '1.dkr.ecr.eu-west-1.amazonaws.com': '' },
    });
    await temp.remove();
  });

  it('works without any user config', async () => {
    const temp = await createTempDockerConfig({ DOCKER_CONFIG: join(ROOT, 'none') }, 'r');
    expect(readFileSync(join(temp.dir, 'config.json'), 'utf8')).toBe('{}');
    await temp.remove();
  });

  it("reads the user's saved login for a host", async () => {
    const user = userConfig({ auths: { 'https://r.example': { auth: Buffer.from('me:pa:ss').toString('base64') } } });
    await expect(userRegistryAuth('r.example', { DOCKER_CONFIG: user })).resolves.toEqual({ username: 'me', password: 'pa:ss' });
    await expect(userRegistryAuth('other.example', { DOCKER_CONFIG: user })).resolves.toBeUndefined();
  });
});
