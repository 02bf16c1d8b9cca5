// build: true where no Docker engine answers: the run says so and what to do, before logging in or building.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, runCli } from '../support/harness';
import { failureMessage } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

/** The docker CLI is what finds out that no engine answers; without it the run says Docker is not installed. */
const dockerCli = spawnSync('docker', ['--version']).status === 0;
const nowhere = () => `unix://${join(mkdtempSync(join(tmpdir(), 'ecs-ship-no-engine-')), 'docker.sock')}`;

function appContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-ship-app-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

describe('build: true without a Docker engine', () => {
  (dockerCli ? test : test.skip)('on GitHub: exit 2, the engine named, how to start one or deploy a prebuilt image; no login, no raw engine lines', async () => {
    world = await givenService({ ecrRegistry: { proxyEndpoint: 'http://127.0.0.1:9', username: 'AWS', password: 'registry-password-never-printed' } });
    const socket = nowhere();
    const run = await runAction(
      { cluster: CLUSTER, service: SERVICE, image: 'web', context: appContext(), 'force-build': 'true', 'task-definition': world.writeTemplate(webTemplate()), vars: 'DB_HOST=db.internal' },
      { endpoint: world.sim.url, env: { DOCKER_HOST: socket, GITHUB_SHA: 'c'.repeat(40) }, secrets: ['registry-password-never-printed'] },
    );

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toBe(
      `build: no Docker engine answers at ${socket}, and building the image needs one. Nothing was built or changed. ` +
        'Start one (Docker Desktop; `sudo systemctl start docker` on Linux; `services: [docker]` on a Bitbucket step; DOCKER_HOST if it listens elsewhere) ' +
        'and run again, or deploy an image built elsewhere: build: false with image set to its full reference (a tag or a digest).',
    );
    expect(run.log).not.toMatch(/docker login|registry .* is not answering|Cannot connect to the Docker daemon/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  }, 60_000);

  (dockerCli ? test : test.skip)('on the CLI: the same, with the flags spelled as flags', async () => {
    world = await givenService({ ecrRegistry: { proxyEndpoint: 'http://127.0.0.1:9', username: 'AWS', password: 'registry-password-never-printed' } });
    const args = ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', 'web', '--context', appContext(), '--force-build', '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db.internal'];
    const run = await runCli(args, { endpoint: world.sim.url, env: { DOCKER_HOST: nowhere(), GITHUB_SHA: 'c'.repeat(40) }, secrets: ['registry-password-never-printed'] });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--build: no Docker engine answers at unix:\/\/\S+docker\.sock, .* deploy an image built elsewhere: --no-build with --image set to its full reference/);
  }, 60_000);
});
