// The whole app deploys the images it says it deploys: each container gets the image its template names,
// an image input beside the config is refused, and templates with their own names for images deploy unchanged.
import { EXAMPLE_CONFIG, EXAMPLE_REGISTRY, givenExampleApp, type ExampleAppWorld } from '../support/example-app-world';
import { appConfig, givenApp, serviceTemplate, type AppWorld } from '../support/app-world';
import { runAction, runCli } from '../support/harness';
import { failureMessage, IMAGE } from '../support/scenarios';
import { REGISTRY } from '../support/world';

let example: ExampleAppWorld | undefined;
let world: AppWorld | undefined;
afterEach(async () => {
  await example?.close();
  await world?.close();
  example = world = undefined;
});

const imagesOf = (definition: { containerDefinitions: Array<{ name: string; image: string }> }) =>
  Object.fromEntries(definition.containerDefinitions.map((c) => [c.name, c.image]));

describe('the whole app deploys the images its templates name', () => {
  test('given examples/app as written (nginx listed first with ${IMAGE_NGINX}, web with ${IMAGE_APP}), every container of every registered revision runs its own image, and the report says so', async () => {
    example = await givenExampleApp();
    // The example bakes the worker for five real minutes; the scenario checks what is deployed, not the bake.
    const run = await runCli(['deploy', '--config', EXAMPLE_CONFIG, '--env', 'dev', '--bake-minutes', '0'], {
      endpoint: example.sim.url,
      cwd: example.cwd,
      env: { GITHUB_SHA: example.commit },
    });

    expect(run.code).toBe(0);
    const app = `${EXAMPLE_REGISTRY}/shop/app@${example.digests.app}`;
    const nginx = `${EXAMPLE_REGISTRY}/shop/nginx@${example.digests.nginx}`;
    expect(imagesOf(example.sim.taskDefinitions('shop-web-dev').at(-1))).toEqual({ nginx, web: app });
    expect(imagesOf(example.sim.taskDefinitions('shop-worker-dev').at(-1))).toEqual({ worker: app });
    // The migration ran with web's revision, in the web container.
    const migration = example.sim.calls.find((c) => c.action === 'RunTask')!.input as { overrides: { containerOverrides: Array<{ name: string; command: string[] }> } };
    expect(migration.overrides.containerOverrides[0]).toMatchObject({ name: 'web', command: ['python', 'manage.py', 'migrate', '--noinput'] });
    expect(run.log).toContain(`Image: ${app} (container web)`);
    expect(run.log).not.toMatch(/Image: \S+ \(container nginx\)/);
  }, 90_000);
});

describe('images named by the team\'s own vars', () => {
  /** web runs the app image in container web and an nginx sidecar, both through the team's own var names. */
  function givenTemplatesWithTheirOwnNames(vars: Record<string, string>, images: Record<string, object>): void {
    const web = serviceTemplate('web');
    web.containerDefinitions[0].image = '${web_image}';
    web.containerDefinitions.unshift({ name: 'nginx', image: '${nginx_image}', essential: true, portMappings: [{ containerPort: 80 }] });
    world!.writeTemplate(web, 'web.json');
    world!.writeConfig(appConfig({ vars: { DB_HOST: 'db.prod.internal', ...vars }, images }));
  }

  test('given a template that says ${web_image} and ${nginx_image}, and vars that refer to the run\'s images, each container runs its image', async () => {
    world = await givenApp();
    const nginx = `${REGISTRY}/web:v2`;
    givenTemplatesWithTheirOwnNames({ web_image: '${IMAGE_APP}', nginx_image: '${IMAGE_NGINX}' }, { app: { image: IMAGE, build: false }, nginx: { image: nginx, build: false } });
    const run = await runAction({}, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(imagesOf(world.sim.taskDefinitions('web').at(-1))).toEqual({ nginx, web: IMAGE });
    expect(run.summary).toContain(`${IMAGE} (container web)`);
  }, 60_000);

  test('given a var that refers to an image the config does not have, the deploy is an input error naming the container, before any change', async () => {
    world = await givenApp();
    givenTemplatesWithTheirOwnNames({ web_image: '${IMAGE_APP}', nginx_image: '${IMAGE_NGINX}' }, { app: { image: IMAGE, build: false } });
    const run = await runAction({}, { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('web: task-definition: container "nginx" gets the image "${IMAGE_NGINX}", a placeholder that names no image of this run. Expected one of ${IMAGE_APP}, ${IMAGE}.');
    expect(run.log).not.toMatch(/\[web\] Verified/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  }, 60_000);
});

describe('the image input beside a config', () => {
  test('given image beside ecs-ship.yml, the deploy is an input error naming image, before any AWS call', async () => {
    world = await givenApp();
    world.writeConfig(appConfig({ images: { app: { image: IMAGE, build: false }, queue: { image: 'rabbitmq:3', build: false } } }));
    const run = await runCli(['deploy', '--image', `${REGISTRY}/web:v2`, '--build=false'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toMatch(/--image: not used with a config file \(ecs-ship\.yml\), whose images \(app, queue\) each have their own\. Expected it in the file, as images\.<name>\.image\./);
    expect(world.sim.calls.filter((c) => c.service !== 'sts')).toEqual([]);
  }, 30_000);
});
