// The whole app built for real: an app image and an nginx image built FROM it (its reference passed as a
// build arg), each once, pushed to the password-protected registry, and three services deployed from them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDigest } from '../../src/image/registry';
import { appConfig, givenApp, serviceTemplate, type AppWorld } from '../support/app-world';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { runAction } from '../support/harness';

const docker = dockerEnv();
let world: AppWorld;
afterEach(async () => world?.close());

describe('the whole app, built', () => {
  dockerIt(
    'builds the app image, then nginx FROM it, once each; web runs both, worker and queue the app image; all pinned by digest',
    async () => {
      world = await givenApp({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
      const commit = randomBytes(20).toString('hex');
      makeAppContext(join(world.dir, 'app'), { marker: commit });
      mkdirSync(join(world.dir, 'nginx'));
      writeFileSync(join(world.dir, 'nginx', 'Dockerfile'), ['ARG APP_IMAGE', 'FROM ${APP_IMAGE}', 'RUN ["/bin/busybox", "sh", "-c", "echo proxy > /app/proxy"]', ''].join('\n'));
      const web = serviceTemplate('web');
      web.containerDefinitions.push({ name: 'nginx', image: '${IMAGE_NGINX}', essential: true, portMappings: [{ containerPort: 80 }] });
      world.writeTemplate(web, 'web.json');
      world.writeConfig(
        appConfig({
          images: {
            app: { image: 'shop/app', context: 'app' },
            nginx: { image: 'shop/nginx', context: 'nginx', 'build-args': { APP_IMAGE: '${IMAGE_APP}' } },
          },
        }),
      );
      const run = await runAction({}, { endpoint: world.sim.url, cwd: world.dir, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000 });

      expect(run.code).toBe(0);
      const auth = { username: docker.registry.username, password: docker.registry.password };
      const tag = commit.slice(0, 12);
      const appDigest = await manifestDigest(docker.registry.host, 'shop/app', tag, auth);
      const nginxDigest = await manifestDigest(docker.registry.host, 'shop/nginx', tag, auth);
      expect(run.log.indexOf('::group::Image app')).toBeGreaterThan(-1);
      expect(run.log.indexOf('::group::Image app')).toBeLessThan(run.log.indexOf('::group::Image nginx'));
      const registered = world.sim.taskDefinitions('web').at(-1);
      expect(registered.containerDefinitions.map((c: { image: string }) => c.image)).toEqual([`${docker.registry.host}/shop/app@${appDigest}`, `${docker.registry.host}/shop/nginx@${nginxDigest}`]);
      expect(world.sim.taskDefinitions('worker').at(-1).containerDefinitions[0].image).toBe(`${docker.registry.host}/shop/app@${appDigest}`);
      expect(world.sim.mutatingCalls().filter((c) => c === 'RunTask')).toHaveLength(1);
      expect(run.summary).toMatch(/\| app \| \S+shop\/app@sha256:[0-9a-f]{64} \(built and pushed\) \|/);
    },
    240_000,
  );
});
