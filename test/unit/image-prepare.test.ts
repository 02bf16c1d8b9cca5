import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/shared/errors';
import { prepareImage } from '../../src/execute/images';
import { validateImageRequest, type ImageRequest } from '../../src/request/image-request';
import { recordingReporter } from '../support/recording-reporter';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const PASSWORD = 'ecr-password-do-not-print';
const DIGEST = `sha256:${'e'.repeat(64)}`;

const ROOT = mkdtempSync(join(tmpdir(), 'ecs-ship-image-prepare-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));


const notFound = (name: string) => Object.assign(new Error(name), { name });

function fakeEcr(options: { images?: Record<string, string>; proxyEndpoint?: string; missingRepository?: boolean; password?: string } = {}) {
  const calls: string[] = [];
  /** The registryId of every call that names an image. */
  const registryIds: Array<string | undefined> = [];
  const images = { ...options.images };
  const ecr = {
    send: async (command: object) => {
      if (command instanceof DescribeImagesCommand || command instanceof BatchGetImageCommand || command instanceof PutImageCommand) registryIds.push(command.input.registryId);
      if (command instanceof GetAuthorizationTokenCommand) {
        calls.push('GetAuthorizationToken');
        const token = Buffer.from(`AWS:${options.password ?? PASSWORD}`).toString('base64');
        return { authorizationData: [{ authorizationToken: token, proxyEndpoint: options.proxyEndpoint ?? `https://${HOST}` }] };
      }
      if (command instanceof DescribeImagesCommand) {
        const tag = command.input.imageIds?.[0]?.imageTag ?? '';
        calls.push(`DescribeImages ${command.input.repositoryName}:${tag}`);
        if (options.missingRepository) throw notFound('RepositoryNotFoundException');
        if (!images[tag]) throw notFound('ImageNotFoundException');
        return { imageDetails: [{ imageDigest: images[tag] }] };
      }
      if (command instanceof BatchGetImageCommand) return { images: [{ imageManifest: '{"m":1}', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }] };
      if (command instanceof PutImageCommand) {
        calls.push(`PutImage ${command.input.imageTag} ${command.input.imageManifest}`);
        return {};
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  } as unknown as ECRClient;
  return { ecr, calls, registryIds };
}

/** A `docker` on PATH that logs each call and acts like the real one enough for the build flow. */
function fakeDocker(behaviour: { buildx?: boolean; buildExit?: number; pushOutput?: string; pushExit?: number; noEngine?: boolean } = {}) {
  const bin = mkdtempSync(join(ROOT, 'fake-docker-'));
  const log = join(bin, 'calls.jsonl');
  const script = `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
const stdin = fs.readFileSync(0, 'utf8');
const dir = process.env.DOCKER_CONFIG;
const config = dir && fs.existsSync(dir + '/config.json') ? fs.readFileSync(dir + '/config.json', 'utf8') : null;
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, stdin, dir, config, buildkit: process.env.DOCKER_BUILDKIT }) + '\\n');
const b = ${JSON.stringify(behaviour)};
if (args[0] === 'buildx' && args[1] === 'version') process.exit(b.buildx ? 0 : 1);
if (args[0] === 'version' && b.noEngine) { console.error('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'); process.exit(1); }
if (args[0] === 'login') {
  if (stdin !== ${JSON.stringify(PASSWORD)}) { console.error('Error response from daemon: login attempt failed with status: 401 Unauthorized'); process.exit(1); }
  fs.writeFileSync(dir + '/config.json', JSON.stringify({ auths: { [args[args.length - 1]]: { auth: 'x' } } }));
  console.log('Login Succeeded');
}
if ((args[0] === 'buildx' && args[1] === 'build') || args[0] === 'build') {
  for (let i = 1; i <= 25; i++) console.log('step ' + i);
  if (b.buildExit) { console.error("The command '/bin/sh -c exit 7' returned a non-zero code: 7"); process.exit(b.buildExit); }
  const m = args.indexOf('--metadata-file');
  if (m >= 0) fs.writeFileSync(args[m + 1], JSON.stringify({ 'containerimage.digest': ${JSON.stringify(DIGEST)} }));
}
if (args[0] === 'push') {
  console.log(b.pushOutput ?? args[1].split(':').pop() + ': digest: ${DIGEST} size: 735');
  process.exit(b.pushExit ?? 0);
}
if (args[0] === 'pull') process.exit(1);
`;
  writeFileSync(join(bin, 'docker'), script);
  chmodSync(join(bin, 'docker'), 0o755);
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[]; stdin: string; dir?: string; config: string | null; buildkit?: string })
      : [];
  return { env: { PATH: `${bin}:${process.env.PATH}`, HOME: bin, RUNNER_TEMP: tmpdir() }, calls };
}

function appDir(withDockerfile = true): string {
  const dir = mkdtempSync(join(ROOT, 'app-'));
  if (withDockerfile) writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

function request(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return {
    image: 'shop/web',
    build: true,
    context: appDir(),
    buildArgs: {},
    labels: {},
    cacheFrom: [],
    cacheTo: [],
    tags: [],
    forceBuild: false,
    commit: SHA,
    ...overrides,
  };
}

function deps(ecr: ECRClient, env: NodeJS.ProcessEnv, reporter = recordingReporter().reporter) {
  return { ecr, reporter, env, region: 'eu-west-1', accountId: async () => '123456789012' };
}

describe('validateImageRequest', () => {
  it('accepts a good request', async () => {
    await expect(validateImageRequest(request())).resolves.toEqual([]);
  });

  it('lists every problem, each naming its input', async () => {
    const problems = await validateImageRequest(
      request({ image: 'shop/web:1', context: appDir(false), tags: ['ok', '-bad'], platform: 'amd64', buildArgs: { 'A B': '1' }, commit: 'main' }),
    );
    expect(problems).toEqual([
      'image: with build: true, give the repository without a tag or digest (the image is tagged with tag, or the commit); got "shop/web:1".',
      expect.stringMatching(/^dockerfile: no Dockerfile in the context \(looked at .*\/Dockerfile\)\.$/),
      'build-args: a name has a space in it (expected KEY=VALUE with no spaces in KEY; not KEY: VALUE).',
      'tags: "-bad" is not a valid tag (letters, digits, _ . - and at most 128 characters, not starting with . or -).',
      'platform: expected os/arch[/variant] such as linux/amd64 (several separated by commas), got "amd64".',
      'commit: "main" is not a git commit SHA.',
    ]);
  });

  it('finds a named Dockerfile from the working directory and names a missing context', async () => {
    const dir = appDir(false);
    writeFileSync(join(dir, 'web.Dockerfile'), 'FROM scratch\n');
    await expect(validateImageRequest(request({ context: '.', dockerfile: 'web.Dockerfile' }), dir)).resolves.toEqual([]);
    const problems = await validateImageRequest(request({ context: 'nope', dockerfile: 'other.Dockerfile' }), dir);
    expect(problems).toEqual([expect.stringMatching(/^context: directory "nope" does not exist/), expect.stringMatching(/^dockerfile: "other.Dockerfile" does not exist/)]);
  });

  it('only checks the reference when not building', async () => {
    await expect(validateImageRequest(request({ build: false, image: 'nginx:1.27', context: '/nonexistent' }))).resolves.toEqual([]);
    await expect(validateImageRequest(request({ build: false, image: 'Bad Image' }))).resolves.toEqual([expect.stringMatching(/^image: "Bad Image" is not a valid image reference/)]);
  });
});

describe('prepareImage', () => {
  it('uses the image as is with build: false, touching neither ECR nor docker', async () => {
    const { ecr, calls } = fakeEcr();
    const docker = fakeDocker();
    const image = `${HOST}/shop/web@${DIGEST}`;
    const result = await prepareImage(request({ build: false, image }), deps(ecr, docker.env));
    expect(result).toEqual({ reference: image, tagged: image, digest: DIGEST, built: false, reused: false });
    expect(calls).toEqual([]);
    expect(docker.calls()).toEqual([]);
  });

  it('reuses the commit image ECR already has, and moves the extra tags to it', async () => {
    const { ecr, calls } = fakeEcr({ images: { '0123456789ab': DIGEST } });
    const docker = fakeDocker();
    const { reporter, log } = recordingReporter();
    const result = await prepareImage(request({ tags: ['latest'] }), deps(ecr, docker.env, reporter));
    expect(result).toEqual({ reference: `${HOST}/shop/web@${DIGEST}`, tagged: `${HOST}/shop/web:0123456789ab`, digest: DIGEST, built: false, reused: true });
    expect(calls).toEqual(['GetAuthorizationToken', 'DescribeImages shop/web:0123456789ab', 'PutImage latest {"m":1}']);
    expect(log[0]).toBe(`secret ${PASSWORD.length}`);
    expect(docker.calls()).toEqual([]);
  });

  it("asks another account's registry about its images, naming it by registryId", async () => {
    const { ecr, calls, registryIds } = fakeEcr({ images: { '0123456789ab': DIGEST } });
    const other = '999988887777.dkr.ecr.eu-west-1.amazonaws.com';
    const result = await prepareImage(request({ image: `${other}/shop/web`, tags: ['latest'] }), deps(ecr, fakeDocker().env));
    expect(result.reference).toBe(`${other}/shop/web@${DIGEST}`);
    expect(calls).toEqual(['GetAuthorizationToken', 'DescribeImages shop/web:0123456789ab', 'PutImage latest {"m":1}']);
    expect(registryIds).toEqual(['999988887777', '999988887777', '999988887777']);
  });

  it('given no Docker engine, stops before logging in: an input error that says so and how to go on, nothing built', async () => {
    const { ecr } = fakeEcr();
    const docker = fakeDocker({ noEngine: true });
    const { reporter } = recordingReporter();
    const failure = prepareImage(request(), deps(ecr, docker.env, reporter));
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(
      /^build: no Docker engine answers at unix:\/\/\/var\/run\/docker\.sock, and building the image needs one\. Nothing was built or changed\. Start one .* or deploy an image built elsewhere: build: false with image set to its full reference/,
    );
    expect(docker.calls().map((call) => call.args[0])).toEqual(['version']);
  });

  it('builds with the classic builder, logging in through a private DOCKER_CONFIG with the password on stdin', async () => {
    const { ecr } = fakeEcr();
    const docker = fakeDocker();
    const { reporter, log } = recordingReporter();
    const req = request({ tags: ['latest'], labels: { team: 'shop' }, buildArgs: { A: '1' }, cacheFrom: ['type=gha'], cacheTo: ['type=gha'] });
    const result = await prepareImage(req, deps(ecr, { ...docker.env, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/shop' }, reporter));
    expect(result).toEqual({ reference: `${HOST}/shop/web@${DIGEST}`, tagged: `${HOST}/shop/web:0123456789ab`, digest: DIGEST, built: true, reused: false });

    const calls = docker.calls();
    expect(calls.map((call) => call.args[0])).toEqual(['version', 'login', 'buildx', 'build', 'push', 'push']);
    const [, login, , build] = calls;
    expect(login.args).toEqual(['login', '--username', 'AWS', '--password-stdin', HOST]);
    expect(login.stdin).toBe(PASSWORD);
    expect(login.dir).toMatch(/ecs-ship-docker-config-/);
    expect(existsSync(login.dir!)).toBe(false);
    expect(calls.slice(1).every((call) => call.dir === login.dir)).toBe(true);
    // The classic path only means buildx is missing; DOCKER_BUILDKIT stays the user's (20.10 runs BuildKit itself with 1).
    expect(build.buildkit).toBeUndefined();
    expect(build.args).toEqual([
      'build', '--file', join(req.context, 'Dockerfile'),
      '--tag', `${HOST}/shop/web:0123456789ab`, '--tag', `${HOST}/shop/web:latest`,
      '--build-arg', 'A=1',
      '--label', 'org.opencontainers.image.source=https://github.com/o/shop',
      '--label', `org.opencontainers.image.revision=${SHA}`,
      '--label', 'team=shop',
      req.context,
    ]);
    expect(calls.slice(4).map((call) => call.args[1])).toEqual([`${HOST}/shop/web:0123456789ab`, `${HOST}/shop/web:latest`]);
    expect(log).toContain('warn cache-to needs docker buildx, which is not installed; no build cache is exported.');
    expect(log).toContain(`phase Build and push ${HOST}/shop/web:0123456789ab`);
    expect(JSON.stringify(calls.map((call) => call.args)) + log.join('\n')).not.toContain(PASSWORD);
  });

  it("leaves the user's DOCKER_BUILDKIT to the classic build (Docker 20.10 runs BuildKit itself)", async () => {
    const { ecr } = fakeEcr();
    const docker = fakeDocker();
    await prepareImage(request({ tags: ['latest'] }), deps(ecr, { ...docker.env, DOCKER_BUILDKIT: '1' }));
    const build = docker.calls().find((call) => call.args[0] === 'build')!;
    expect(build.buildkit).toBe('1');
  });

  it('builds and pushes in one go with buildx, taking the digest from the metadata file', async () => {
    const { ecr } = fakeEcr({ images: { '0123456789ab': `sha256:${'0'.repeat(64)}` } });
    const docker = fakeDocker({ buildx: true });
    const result = await prepareImage(request({ forceBuild: true, platform: 'linux/amd64,linux/arm64', cacheFrom: ['type=gha'] }), deps(ecr, docker.env));
    expect(result).toMatchObject({ digest: DIGEST, built: true, reused: false });
    const build = docker.calls().find((call) => call.args[1] === 'build')!;
    expect(build.args).toEqual(expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64', '--cache-from', 'type=gha', '--push', '--metadata-file']));
    expect(docker.calls().some((call) => call.args[0] === 'push')).toBe(false);
  });

  it('fails a broken build with its exit code and the last 20 lines of output', async () => {
    const { ecr } = fakeEcr();
    const docker = fakeDocker({ buildExit: 7 });
    const error = await prepareImage(request(), deps(ecr, docker.env)).catch((e) => e);
    expect(error.name).toBe('DeployError');
    expect(error.message).toMatch(/^docker build failed \(exit code 7\)\./);
    expect(error.message).toContain("returned a non-zero code: 7");
    expect(error.details).toHaveLength(20);
    expect(error.message).not.toContain('step 5\n');
    expect(existsSync(docker.calls().find((call) => call.args[0] === 'login')!.dir!)).toBe(false);
  });

  it('says when the registry refuses the push', async () => {
    const { ecr } = fakeEcr();
    const docker = fakeDocker({ pushOutput: 'denied: not authorized to perform: ecr:InitiateLayerUpload', pushExit: 1 });
    const error = await prepareImage(request(), deps(ecr, docker.env)).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`^docker push ${HOST}/shop/web:0123456789ab failed \\(exit code 1\\): registry ${HOST} refused the credentials`));
  });

  it('says authentication failed when docker login is refused, without printing the password', async () => {
    const { ecr } = fakeEcr({ password: 'stale-token-password' });
    const { reporter, log } = recordingReporter();
    const error = await prepareImage(request(), deps(ecr, fakeDocker().env, reporter)).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`^docker login to ${HOST} failed \\(exit code 1\\): registry ${HOST} refused the credentials \\(authentication`));
    expect(JSON.stringify(error) + error.message + log.join('\n')).not.toContain('stale-token-password');
  });

  it('fails with the ECR reason when the repository does not exist', async () => {
    const { ecr } = fakeEcr({ missingRepository: true });
    await expect(prepareImage(request(), deps(ecr, fakeDocker().env))).rejects.toThrow(`ECR repository "shop/web" does not exist in ${HOST}; create it before deploying.`);
  });

  it('refuses an ECR registry in another region than the ECR client as an input problem, before any ECR or docker call', async () => {
    const { ecr, calls } = fakeEcr();
    const docker = fakeDocker();
    const error = await prepareImage(request({ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' }), deps(ecr, docker.env)).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^image: registry 123456789012.dkr.ecr.us-east-1.amazonaws.com is in us-east-1, but ECR is used in eu-west-1/);
    expect(calls).toEqual([]);
    expect(docker.calls()).toEqual([]);
  });

  it('builds the ECR host from the account when the token has no proxyEndpoint', async () => {
    const { ecr } = fakeEcr({ proxyEndpoint: '', images: { '0123456789ab': DIGEST } });
    const result = await prepareImage(request(), deps(ecr, fakeDocker().env));
    expect(result.reference).toBe(`${HOST}/shop/web@${DIGEST}`);
  });

  it('rejects an invalid request before doing anything', async () => {
    const { ecr, calls } = fakeEcr();
    await expect(prepareImage(request({ context: appDir(false) }), deps(ecr, fakeDocker().env))).rejects.toMatchObject({ name: 'InputError' });
    expect(calls).toEqual([]);
  });
});
