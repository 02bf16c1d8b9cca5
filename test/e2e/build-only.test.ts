// `ecs-ship build`: images built and pushed without a deploy (each pinned reference and digest an output,
// and an `images` map), found again by a later deploy of the same tag; with a config file, its images in
// dependency order. Real Docker engine and password-protected registry (.ci/docker-up.sh).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDigest } from '../../src/image/registry';
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { runCli, runPipe } from '../support/harness';
import { CLUSTER, givenService, SERVICE, webTemplate, type World } from '../support/world';

const docker = dockerEnv();
const registry = () => ({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
const auth = () => ({ username: docker.registry.username, password: docker.registry.password });
const release = () => `1.0.${randomBytes(3).readUIntBE(0, 3)}`;

let world: World;
afterEach(async () => world?.close());

describe('ecs-ship build', () => {
  dockerIt(
    'builds and pushes one image under the release tag, deploys nothing, and a later deploy of that tag builds nothing and deploys that digest',
    async () => {
      world = await givenService(registry());
      const tag = release();
      const context = makeAppContext(join(world.dir, 'app'), { marker: tag });
      const options = { endpoint: world.sim.url, cwd: world.dir, env: docker.env, timeoutMs: 240_000 };

      const built = await runCli(['build', '--image', 'ecs-ship-build/web', '--context', context, '--tag', tag], options);

      expect(built.code).toBe(0);
      const digest = await manifestDigest(docker.registry.host, 'ecs-ship-build/web', tag, auth());
      expect(built.outputs.image).toBe(`${docker.registry.host}/ecs-ship-build/web@${digest}`);
      expect(built.outputs['image-digest']).toBe(digest);
      expect(JSON.parse(built.outputs.images)).toEqual({ web: { reference: built.outputs.image, tagged: `${docker.registry.host}/ecs-ship-build/web:${tag}`, digest, built: true } });
      expect(built.stderr).toContain(`✔ Built and pushed ${docker.registry.host}/ecs-ship-build/web:${tag} (${digest}).`);
      expect(world.sim.mutatingCalls()).toEqual([]);

      const deployed = await runCli(
        ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', 'ecs-ship-build/web', '--context', context, '--tag', tag, '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db'],
        options,
      );
      expect(deployed.code).toBe(0);
      expect(deployed.stderr).toMatch(/already in the registry/);
      expect(deployed.outputs['image-digest']).toBe(digest);
      expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].image).toBe(built.outputs.image);
    },
    240_000,
  );

  dockerIt(
    "a config file's images, in dependency order (nginx FROM the app image just built), in the Pipe; the images output maps each",
    async () => {
      const app: AppWorld = await givenApp(registry());
      world = app;
      const commit = randomBytes(20).toString('hex');
      makeAppContext(join(app.dir, 'app'), { marker: commit });
      mkdirSync(join(app.dir, 'nginx'));
      writeFileSync(join(app.dir, 'nginx', 'Dockerfile'), ['ARG APP_IMAGE', 'FROM ${APP_IMAGE}', 'RUN ["/bin/busybox", "sh", "-c", "echo proxy > /app/proxy"]', ''].join('\n'));
      app.writeConfig(appConfig({ images: { app: { image: 'shop-build/app', context: 'app' }, nginx: { image: 'shop-build/nginx', context: 'nginx', 'build-args': { APP_IMAGE: '${IMAGE_APP}' } } } }));

      const result = await runPipe({ COMMAND: 'build' }, { endpoint: app.sim.url, cwd: app.dir, env: { ...docker.env, BITBUCKET_COMMIT: commit }, timeoutMs: 240_000 });

      expect(result.code).toBe(0);
      const tag = commit.slice(0, 12);
      const images = JSON.parse(result.outputs.images);
      expect(images.app.digest).toBe(await manifestDigest(docker.registry.host, 'shop-build/app', tag, auth()));
      expect(images.nginx.digest).toBe(await manifestDigest(docker.registry.host, 'shop-build/nginx', tag, auth()));
      expect(result.log.indexOf('Image app')).toBeLessThan(result.log.indexOf('Image nginx'));
      expect(app.sim.mutatingCalls()).toEqual([]);
    },
    240_000,
  );

  test('bad input is refused before anything is built (exit 2): build false has nothing to build', async () => {
    world = await givenService();
    const result = await runCli(['build', '--image', 'web', '--no-build'], { endpoint: world.sim.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--build: false, but build builds and pushes the image: there is nothing to do.');
  });
});
