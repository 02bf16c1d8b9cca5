import { imagePlaceholder, parseAppConfig } from '../../src/config/app-config';
import { environmentProblems, imageSettings, serviceSelectionProblems, serviceSettings } from '../../src/config/settings';
import { problemsIfAny } from '../support/problems';

const problemsOf = (text: string): string[] => problemsIfAny(() => parseAppConfig('ecs-ship.yml', text));

const APP = `
wait-timeout-minutes: 20
vars:
  DB_HOST: db.internal
  LOG_LEVEL: info
images:
  nginx:
    image: my-nginx
    context: nginx
    build-args:
      APP_IMAGE: \${IMAGE_APP}
  app:
    image: my-app
    build-args: [PYTHON=3.12]
    tags: [latest, stable]
services:
  web:
    task-definition: ecs/web.json
    image: app
  worker:
    service: app-worker
    task-definition: ecs/worker.json
    image: app
    bake-minutes: 5
migration:
  service: web
  command: python manage.py migrate
  timeout-minutes: 15
environments:
  dev:
    cluster: dev
    vars: { DB_HOST: dev-db.internal }
    services:
      worker: { service: worker-dev }
  prod:
    cluster: prod
`;

describe('the config file', () => {
  test('given images that use each other, they come in the order they are built, each with the images it uses', () => {
    const config = parseAppConfig('ecs-ship.yml', APP);
    expect(config.images.map((i) => i.name)).toEqual(['app', 'nginx']);
    expect(config.images[1].uses).toEqual(['app']);
    expect(config.images[0].settings).toMatchObject({ image: 'my-app', 'build-args': 'PYTHON=3.12', tags: 'latest\nstable' });
    expect(config.images[1].settings['build-args']).toBe('APP_IMAGE=${IMAGE_APP}');
    expect(imagePlaceholder('nginx-proxy')).toBe('IMAGE_NGINX_PROXY');
  });

  test('a service gets, lowest first: the top level, the environment, its image, itself, the environment override, and the migration for its own service', () => {
    const config = parseAppConfig('ecs-ship.yml', APP);
    const web = serviceSettings(config, 'dev', 'web');
    expect(web).toMatchObject({ cluster: 'dev', service: 'web', image: 'my-app', 'wait-timeout-minutes': '20', 'migration-command': 'python manage.py migrate', 'migration-timeout-minutes': '15' });
    // vars merge by name: the environment's DB_HOST over the top level's, LOG_LEVEL kept.
    expect(web.vars.split('\n').sort()).toEqual(['DB_HOST=dev-db.internal', 'LOG_LEVEL=info']);
    const worker = serviceSettings(config, 'dev', 'worker');
    expect(worker).toMatchObject({ service: 'worker-dev', 'bake-minutes': '5' });
    expect(worker['migration-command']).toBeUndefined();
    expect(serviceSettings(config, 'prod', 'worker')).toMatchObject({ service: 'app-worker', cluster: 'prod' });
    expect(imageSettings(config, 'prod', 'nginx')).toMatchObject({ cluster: 'prod', image: 'my-nginx', context: 'nginx' });
  });

  test('every problem comes at once, each naming the file, the line and the key, and what was expected', () => {
    const problems = problemsOf(
      ['images:', '  app:', '    image: my-app', '    platfrom: linux/arm64', '  Web:', '    image: x', 'services:', '  web:', '    image: ap', '    task-definition: [a, b]', 'migration:', '  service: api', ''].join('\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^ecs-ship\.yml:4: images\.app\.platfrom: unknown key\. Did you mean "platform"\? Expected one of: image, build, context, dockerfile, .*platform/),
      'ecs-ship.yml:5: images.Web: not a name. Expected lowercase letters, digits and dashes, starting with a letter.',
      'ecs-ship.yml:10: services.web.task-definition: expected a single value.',
      'ecs-ship.yml:9: services.web.image: "ap" is not an image of the file. Did you mean "app"? Expected one of: app.',
      'ecs-ship.yml:12: migration.service: "api" is not a service of the file. Expected one of: web.',
      'ecs-ship.yml:11: migration.command: required: the migration command, as a command line or a list of its arguments.',
    ]);
  });

  test('a reference to no image, and a cycle of images, are problems of the images section', () => {
    const unknown = problemsOf(['images:', '  app:', '    image: a', '    build-args: { BASE: "${IMAGE_NGINXX}" }', 'services:', '  web: { image: app }', ''].join('\n'));
    expect(unknown).toEqual(['ecs-ship.yml:4: images.app.build-args: ${IMAGE_NGINXX} names no image. Expected one of: ${IMAGE_APP}.']);
    const cycle = problemsOf(
      ['images:', '  app:', '    build-args: { BASE: "${IMAGE_NGINX}" }', '  nginx:', '    build-args: { BASE: "${IMAGE_APP}" }', 'services:', '  web: { image: app }', ''].join('\n'),
    );
    expect(cycle).toEqual(['ecs-ship.yml:1: images: a cycle: app → nginx → app. Expected each image to use only images built before it.']);
  });

  test('numbers stay as written: a version 3.10 is not 3.1', () => {
    const config = parseAppConfig('ecs-ship.yml', ['wait-timeout-minutes: 010', 'images:', '  app:', '    build-args: { PYTHON_VERSION: 3.10 }', '    tags: [1.0, v2]', 'services:', '  web: { image: app }', ''].join('\n'));
    expect(config.shared['wait-timeout-minutes']).toBe('010');
    expect(config.images[0].settings).toMatchObject({ 'build-args': 'PYTHON_VERSION=3.10', tags: '1.0\nv2' });
  });

  test('a duplicate key and broken YAML name their line', () => {
    expect(problemsOf(['cluster: a', 'cluster: b', ''].join('\n'))).toEqual(['ecs-ship.yml:2: key "cluster" appears twice (lines 1 and 2). Expected each key once.']);
    expect(problemsOf('services: [a\n')[0]).toMatch(/^ecs-ship\.yml:\d+: /);
  });

  test('a map where a single value is expected, and a choice of the run in the file, are problems', () => {
    expect(problemsOf(['wait: { a: 1 }', 'environment: dev', 'services:', '  web: { image: app }', 'images:', '  app: {}', ''].join('\n'))).toEqual([
      'ecs-ship.yml:1: wait: expected a single value.',
      expect.stringMatching(/^ecs-ship\.yml:2: environment: unknown key\./),
    ]);
  });

  test('the environment is required when the file has environments, and must be one of them; a subset must name services of the file', () => {
    const config = parseAppConfig('ecs-ship.yml', APP);
    expect(environmentProblems(config, '')).toEqual(['environment: required, as ecs-ship.yml has environments. Expected one of: dev, prod.']);
    expect(environmentProblems(config, 'stage')).toEqual(['environment: "stage" is not an environment of ecs-ship.yml. Expected one of: dev, prod.']);
    expect(environmentProblems(config, 'prod')).toEqual([]);
    expect(serviceSelectionProblems(config, ['web', 'wrker'])).toEqual(['services: "wrker" is not a service of ecs-ship.yml. Did you mean "worker"? Expected one of: web, worker.']);
  });
});
