// Where the image goes, and what the run says it deployed: `${IMAGE}` places the image only where it is a
// container's `image`; the report states what the registered task definition runs.
import { runPipe } from '../support/harness';
import { deploy, failureMessage, IMAGE } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const OLD_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1';
const registered = () => world.sim.taskDefinitions('web').at(-1);

/** The web template with a literal image and `${IMAGE}` only in an environment value. */
function literalImageTemplate(): Record<string, any> {
  const template = webTemplate({ env: { DEPLOYED_IMAGE: '${IMAGE}' } });
  template.containerDefinitions[0].image = OLD_IMAGE;
  return template;
}

describe('a template that mentions ${IMAGE} outside any container image', () => {
  test('given a literal image and ${IMAGE} in an environment value, the new image goes into the first essential container, and the outputs say what is registered', async () => {
    world = await givenService();
    const run = await deploy(world, {}, {}, literalImageTemplate());

    expect(run.code).toBe(0);
    const web = registered().containerDefinitions[0];
    expect(web.image).toBe(IMAGE);
    expect(web.environment).toEqual(expect.arrayContaining([{ name: 'DEPLOYED_IMAGE', value: IMAGE }]));
    expect(run.outputs.image).toBe(web.image);
    expect(run.log).toContain(`Image: ${IMAGE} (container web)`);
  });

  test('given container-name, the image goes into that container and the others keep theirs', async () => {
    world = await givenService({ sidecar: true });
    const template = literalImageTemplate();
    template.containerDefinitions.push({ name: 'log-router', image: 'fluent/fluent-bit:3', essential: false });
    const run = await deploy(world, { 'container-name': 'log-router' }, {}, template);

    expect(run.code).toBe(0);
    const [web, router] = registered().containerDefinitions;
    expect(router.image).toBe(IMAGE);
    expect(web.image).toBe(OLD_IMAGE);
    expect(run.outputs.image).toBe(IMAGE);
    expect(run.log).toContain(`Image: ${IMAGE} (container log-router)`);
  });
});

describe('a template that places ${IMAGE} in a container image', () => {
  test('given container-name naming another container, the run fails with an input error naming both, before any change', async () => {
    world = await givenService({ sidecar: true });
    const run = await deploy(world, { 'container-name': 'log-router' }, {}, webTemplate({ sidecar: true }));

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('container-name: "log-router" does not get the image: the template puts ${IMAGE} in the image of container "web".');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given ${IMAGE} as only part of an image, the run fails with an input error, before any change', async () => {
    world = await givenService();
    const template = webTemplate();
    template.containerDefinitions[0].image = '${IMAGE}-debug';
    const run = await deploy(world, {}, {}, template);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('task-definition: containerDefinitions[0].image is "${IMAGE}-debug"; ${IMAGE} is the whole image reference, so write it alone.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given ${IMAGE} in a container that is not the first, the migration runs in that container by default', async () => {
    world = await givenService();
    const template = webTemplate();
    template.containerDefinitions.unshift({ name: 'proxy', image: 'envoyproxy/envoy:v1.31', essential: true });
    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, {}, template);

    expect(run.code).toBe(0);
    const [runTask] = world.sim.calls.filter((c) => c.action === 'RunTask');
    expect(runTask.input.overrides.containerOverrides).toEqual([{ name: 'web', command: ['bin/migrate'] }]);
    expect(registered().containerDefinitions.map((c: { image: string }) => c.image)).toEqual(['envoyproxy/envoy:v1.31', IMAGE]);
  });

  test('the Bitbucket ✔ line names the image the registered revision runs', async () => {
    world = await givenService();
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(literalImageTemplate()), VARS: 'DB_HOST=db' },
      { endpoint: world.sim.url },
    );

    expect(run.code).toBe(0);
    expect(registered().containerDefinitions[0].image).toBe(IMAGE);
    expect(run.stdout).toContain(`✔ Deployed ${IMAGE} to ${SERVICE}.`);
    expect(run.outputs.image).toBe(IMAGE);
  });
});
