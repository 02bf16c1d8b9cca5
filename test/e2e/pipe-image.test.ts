// The Bitbucket Pipe as Bitbucket runs it: the pipe image, Bitbucket-style variables, Docker through the
// step's docker service (here the test engine's socket), against the simulator on this machine's loopback.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { expectNoSecretsIn, spawnCollect, TEST_CREDENTIALS } from '../support/harness';
import { buildPipeImage, docker } from '../support/pipe-image';
import { appConfig, givenApp } from '../support/app-world';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

const engine = dockerEnv();
let world: World;
let image: string;
beforeAll(() => {
  if (engine.available) image = buildPipeImage();
}, 300_000);
afterEach(async () => world?.close());

/** Asynchronous on purpose: the simulator answers from this process, so blocking here would starve it. */
async function runPipeContainer(variables: Record<string, string>, workdir: string): Promise<{ code: number | null; log: string }> {
  const socket = engine.env.DOCKER_HOST.replace('unix://', '');
  const variablesWithAws = { ...variables, ...TEST_CREDENTIALS, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: world.sim.url, BITBUCKET_BUILD_NUMBER: '7', BITBUCKET_CLONE_DIR: '/clone', BITBUCKET_PIPE_SHARED_STORAGE_DIR: '/clone/.pipe-shared', DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_API_VERSION: '1.41', DOCKER_BUILDKIT: '0' };
  const envFile = join(world.dir, 'pipe.env');
  writeFileSync(envFile, Object.entries(variablesWithAws).map(([name, value]) => `${name}=${value}\n`).join(''));
  const args = ['run', '--rm', '--network', 'host', '-v', `${workdir}:/clone`, '-w', '/clone', '-v', `${socket}:/var/run/docker.sock`, '--env-file', envFile, image];
  const env = { ...(process.env as Record<string, string>), ...engine.env };
  return spawnCollect('docker', args, { env, cwd: workdir, timeoutMs: 240_000 });
}

describe('the pipe image', () => {
  dockerIt(
    'builds the app inside the pipe container, pushes it and deploys it, with outputs in the shared storage dir',
    async () => {
      world = await givenService({ ecrRegistry: { proxyEndpoint: `http://${engine.registry.host}`, username: engine.registry.username, password: engine.registry.password } });
      const workdir = world.dir;
      makeAppContext(join(workdir, 'app'), { marker: 'pipe' });
      world.writeTemplate(webTemplate());
      const commit = randomBytes(20).toString('hex');
      const run = await runPipeContainer(
        { CLUSTER, SERVICE, IMAGE: 'ecs-ship-pipe/web', CONTEXT: 'app', TASK_DEFINITION: 'task-definition.json', VARS: 'DB_HOST=db', MIGRATION_COMMAND: 'migrate', BITBUCKET_COMMIT: commit },
        workdir,
      );

      expect(run.log).toMatch(/✔ Deployed /);
      expect(run.code).toBe(0);
      const outputs = JSON.parse(readFileSync(join(workdir, '.pipe-shared', 'ecs-ship', 'outputs.json'), 'utf8'));
      expect(outputs.image).toBe(`${engine.registry.host}/ecs-ship-pipe/web@${outputs['image-digest']}`);
      expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].image).toBe(outputs.image);
      expect(run.log).not.toMatch(/^::/m);
      expectNoSecretsIn({ log: run.log, outputs, summary: '' } as never, [engine.registry.password, TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY]);
    },
    300_000,
  );

  dockerIt(
    'deploys the whole app of the ecs-ship.yml in the clone, in the environment a variable chooses',
    async () => {
      const app = await givenApp();
      world = app;
      app.writeConfig(appConfig({ cluster: undefined, environments: { prod: { cluster: CLUSTER } } }));
      const run = await runPipeContainer({ ENVIRONMENT: 'prod' }, app.dir);

      expect(run.code).toBe(0);
      const outputs = JSON.parse(readFileSync(join(app.dir, '.pipe-shared', 'ecs-ship', 'outputs.json'), 'utf8'));
      expect(Object.keys(JSON.parse(outputs.services))).toEqual(['web', 'worker', 'queue']);
      for (const name of ['web', 'worker', 'queue']) expect(app.taskDefinitionOf(name)).toMatch(new RegExp(`${name}:2$`));
      expect(run.log).toMatch(/Service queue: deployed/);
    },
    300_000,
  );

  dockerIt('runs as root with Node 24 and the Docker CLI', async () => {
    const version = docker(['run', '--rm', '--entrypoint', '/usr/local/bin/node', image, '-p', 'process.version + " " + process.getuid()']);
    expect(version.trim()).toMatch(/^v24\.\d+\.\d+ 0$/);
    expect(existsSync(join(__dirname, '../../Dockerfile'))).toBe(true);
    expect(docker(['run', '--rm', '--entrypoint', '/usr/local/bin/docker', image, '--version'])).toMatch(/^Docker version/);
  });
});
