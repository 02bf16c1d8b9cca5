// A release tag: `tag` names the tag a build pushes and the tag an image deployed without a build takes
// when it has none, so that a deploy of --tag 1.0.0 deploys what a build of --tag 1.0.0 pushed; a tag the
// registry does not have is refused by verification (exit 2) before anything changes.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runCli } from '../support/harness';
import { deploy, failureMessage } from '../support/scenarios';
import { CLUSTER, givenService, REGISTRY, REPOSITORY, SERVICE, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const RELEASE_DIGEST = 'sha256:' + '10'.repeat(32);
const UNTAGGED = `${REGISTRY}/${REPOSITORY}`;

describe('the release tag', () => {
  test('given web:1.0.0 in ECR, `ecs-ship deploy --no-build --image <repository> --tag 1.0.0` registers and deploys web:1.0.0', async () => {
    world = await givenService();
    world.sim.addImage(REPOSITORY, '1.0.0', RELEASE_DIGEST);
    const run = await runCli(
      ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', UNTAGGED, '--no-build', '--tag', '1.0.0', '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db'],
      { endpoint: world.sim.url },
    );

    expect(run.code).toBe(0);
    expect(run.outputs.image).toBe(`${UNTAGGED}:1.0.0`);
    expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].image).toBe(`${UNTAGGED}:1.0.0`);
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });

  test('a tag the registry does not have is refused by verification, exit 2, naming the image and the tag; nothing changes', async () => {
    world = await givenService();
    const run = await deploy(world, { image: UNTAGGED, tag: '9.9.9' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`${UNTAGGED}:9.9.9 is not in ECR: repository ${REPOSITORY} has no image tagged 9.9.9`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('without a tag, an untagged image takes the commit\'s tag (GITHUB_SHA), and an unknown commit is an input error naming tag', async () => {
    world = await givenService();
    const commit = '0123456789abcdef0123456789abcdef01234567';
    world.sim.addImage(REPOSITORY, commit.slice(0, 12), RELEASE_DIGEST);
    const run = await deploy(world, { image: UNTAGGED }, { env: { GITHUB_SHA: commit } });
    expect(run.code).toBe(0);
    expect(run.outputs.image).toBe(`${UNTAGGED}:${commit.slice(0, 12)}`);

    const unknown = await deploy(world, { image: UNTAGGED }, { env: { GITHUB_SHA: '' } });
    expect(unknown.code).toBe(2);
    expect(failureMessage(unknown)).toMatch(/image: ".*\/web" has no tag or digest, and with build: false it takes tag, which is empty/);
  });

  test('a whole app: `--env prod --tag 1.0.0` deploys each prebuilt image at that tag; ecs-ship.yml names no commit', async () => {
    const app: AppWorld = await givenApp();
    world = app;
    world.sim.addImage(REPOSITORY, '1.0.0', RELEASE_DIGEST);
    app.writeConfig(appConfig({ images: { app: { image: UNTAGGED, build: false } }, migration: undefined, environments: { prod: { vars: { DB_HOST: 'db.prod.internal' } } } }));

    const run = await runCli(['deploy', '--env', 'prod', '--tag', '1.0.0'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    for (const service of ['web', 'worker', 'queue']) {
      expect(world.sim.taskDefinitions(service).at(-1).containerDefinitions[0].image).toBe(`${UNTAGGED}:1.0.0`);
    }
  });
});
