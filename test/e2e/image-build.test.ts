// prepareImage against the real dockerd and password-protected registry from .ci/docker-up.sh.
// ECR is a fake whose token is the local registry's login, as with a custom ECR endpoint.
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareImage } from '../../src/execute/images';
import { validateImageRequest, type ImageRequest } from '../../src/request/image-request';
import type { Reporter } from '../../src/shared/reporter';
import { manifestDigest } from '../../src/image/registry';
import { dockerEnv, dockerIt, fixtureAppContext, makeAppContext } from '../support/docker';

const docker = dockerEnv();
const REPOSITORY = 'ecs-ship-e2e/web';

function fakeEcr(password: string, endpoint = `http://${docker.registry.host}`): ECRClient {
  return {
    send: async (command: object) => {
      if (!(command instanceof GetAuthorizationTokenCommand)) throw new Error(`the fake ECR only gives tokens, not ${command.constructor.name}`);
      const token = Buffer.from(`${docker.registry.username}:${password}`).toString('base64');
      return { authorizationData: [{ authorizationToken: token, proxyEndpoint: endpoint }] };
    },
  } as unknown as ECRClient;
}

function recorder() {
  const log: string[] = [];
  const reporter: Reporter = {
    info: (m) => log.push(m),
    warn: (m) => log.push(`warning: ${m}`),
    debug: (m) => log.push(`debug: ${m}`),
    phase: (title, work) => (log.push(`## ${title}`), work()),
    secret: () => undefined,
  };
  return { reporter, log };
}

const newCommit = () => randomBytes(20).toString('hex');
const ROOT = mkdtempSync(join(tmpdir(), 'ecs-ship-image-build-'));
const scratch = (name: string) => mkdtempSync(join(ROOT, `${name}-`));

/** The user's own Docker config, with a login of theirs that must survive the run untouched. */
const userConfig = scratch('user-docker');
const USER_CONFIG_TEXT = JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from('me:mine').toString('base64') } } });
writeFileSync(join(userConfig, 'config.json'), USER_CONFIG_TEXT);

function requestFor(overrides: Partial<ImageRequest>): ImageRequest {
  return {
    image: REPOSITORY,
    build: true,
    context: makeAppContext(scratch('app'), { marker: newCommit() }),
    buildArgs: {},
    labels: {},
    cacheFrom: [],
    cacheTo: [],
    tags: [],
    forceBuild: false,
    commit: newCommit(),
    ...overrides,
  };
}

function run(overrides: Partial<ImageRequest>, options: { password?: string; endpoint?: string } = {}) {
  const { reporter, log } = recorder();
  const env = { ...process.env, ...docker.env, DOCKER_CONFIG: userConfig };
  const result = prepareImage(requestFor(overrides), {
    ecr: fakeEcr(options.password ?? docker.registry.password, options.endpoint),
    reporter,
    env,
    region: 'eu-west-1',
    accountId: async () => '000000000000',
  });
  return { result, log };
}

const login = () => ({ username: docker.registry.username, password: docker.registry.password });

function dockerCli(...args: string[]): string {
  const result = spawnSync('docker', args, { env: { ...process.env, ...docker.env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

describe('prepareImage with real Docker', () => {
  afterAll(() => {
    expect(readFileSync(join(userConfig, 'config.json'), 'utf8')).toBe(USER_CONFIG_TEXT);
    rmSync(ROOT, { recursive: true, force: true });
  });

  dockerIt('builds and pushes; the digest is the one the registry has; the same commit is then reused', async () => {
    const commit = newCommit();
    const context = makeAppContext(scratch('app'), { marker: commit });
    const first = run({ commit, context, tags: ['e2e-latest'] });
    const built = await first.result;
    const tag = commit.slice(0, 12);
    const registryDigest = await manifestDigest(docker.registry.host, REPOSITORY, tag, login());
    expect(built).toEqual({
      reference: `${docker.registry.host}/${REPOSITORY}@${registryDigest}`,
      tagged: `${docker.registry.host}/${REPOSITORY}:${tag}`,
      digest: registryDigest,
      built: true,
      reused: false,
    });
    expect(await manifestDigest(docker.registry.host, REPOSITORY, 'e2e-latest', login())).toBe(registryDigest);
    const labels = JSON.parse(dockerCli('inspect', '--format', '{{json .Config.Labels}}', built.tagged));
    expect(labels).toEqual({ 'org.opencontainers.image.revision': commit });

    const second = run({ commit, context, tags: ['e2e-again'] });
    await expect(second.result).resolves.toEqual({ ...built, built: false, reused: true });
    expect(second.log.some((line) => line.startsWith('## '))).toBe(false);
    expect(await manifestDigest(docker.registry.host, REPOSITORY, 'e2e-again', login())).toBe(registryDigest);

    const forced = run({ commit, context, forceBuild: true, image: `${docker.registry.host}/${REPOSITORY}` });
    await expect(forced.result).resolves.toMatchObject({ built: true, reused: false, digest: registryDigest });
    for (const line of [...first.log, ...second.log, ...forced.log]) expect(line).not.toContain(docker.registry.password);
  });

  dockerIt('builds the demo app fixture with a build arg, and the image runs', async () => {
    const marker = `demo-${randomBytes(4).toString('hex')}`;
    const { result } = run({ context: fixtureAppContext(scratch('fixture')), buildArgs: { MARKER: marker }, labels: { team: 'e2e' } });
    const built = await result;
    expect(built.built).toBe(true);
    expect(dockerCli('run', '--rm', '--network', 'none', built.tagged, 'migrate')).toBe(`migrating (marker ${marker})`);
    expect(JSON.parse(dockerCli('inspect', '--format', '{{json .Config.Labels}}', built.tagged))).toMatchObject({ team: 'e2e' });
  });

  dockerIt('fails a failing RUN step with the exit code and the output tail', async () => {
    const { result, log } = run({ context: makeAppContext(scratch('app'), { failingRun: true }) });
    const error = await result.catch((e) => e);
    expect(error.name).toBe('DeployError');
    expect(error.message).toMatch(/^docker build failed \(exit code 7\)\./);
    expect(error.message).toContain('returned a non-zero code: 7');
    expect(log).toContain('about to fail');
  });

  dockerIt('reports a missing Dockerfile before doing anything', async () => {
    const problems = await validateImageRequest(requestFor({ context: scratch('empty') }));
    expect(problems).toEqual([expect.stringMatching(/^dockerfile: no Dockerfile in the context/)]);
  });

  dockerIt('says authentication failed for a wrong password, and never prints it', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const checking = run({}, { password: wrong });
    const checkError = await checking.result.catch((e) => e);
    expect(checkError.name).toBe('DeployError');
    expect(checkError.message).toMatch(/Authentication failed: registry .* refused the ECR credentials \(HTTP 401\)/);

    const building = run({ forceBuild: true }, { password: wrong });
    const loginError = await building.result.catch((e) => e);
    expect(loginError.name).toBe('DeployError');
    expect(loginError.message).toMatch(/^docker login to .* failed \(exit code 1\): registry .* refused the credentials \(authentication/);

    const everything = [...checking.log, ...building.log, checkError.message, loginError.message, JSON.stringify(loginError.details)].join('\n');
    expect(everything).not.toContain(wrong);
  });

  dockerIt('says the registry is not answering', async () => {
    const { result } = run({ image: `127.0.0.1:1/${REPOSITORY}` }, { endpoint: 'http://127.0.0.1:1' });
    await expect(result).rejects.toThrow(/registry 127.0.0.1:1 is not answering/);
  });
});
