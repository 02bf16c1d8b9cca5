import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INPUTS, inputsOf, toUpperSnake, type Command } from '../../src/inputs/schema';
import { loadTemplate, parseTaskDefinition } from '../../src/taskdef/load';
import { buildLookup, renderTaskDefinition } from '../../src/taskdef/render';
import { parseAppConfig } from '../../src/config/app-config';
import { serviceSettings } from '../../src/config/settings';

const examples = join(__dirname, '../../examples');
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:' + '0'.repeat(64);
const vars = { APP_ENV: 'production', DB_HOST: 'db.internal', AWS_ACCOUNT_ID: '123456789012', QUEUES: 'default,mailers', RELEASE: '7' };

function render(file: string) {
  const definition = parseTaskDefinition(loadTemplate(file), file);
  return renderTaskDefinition(definition, buildLookup([{ IMAGE }, vars]));
}

describe('the example task definitions render as teams would use them', () => {
  const templates = [
    ...readdirSync(join(examples, 'task-definitions')).map((f) => join(examples, 'task-definitions', f)),
    join(examples, 'demo', 'task-definition.yaml'),
  ];

  test.each(templates)('%s: the image, every placeholder, no leftovers', (file) => {
    const rendered = render(file);
    expect(rendered.containerDefinitions[0].image).toBe(IMAGE);
    expect(JSON.stringify(rendered)).not.toContain('${');
    expect(rendered.containerDefinitions[0].logConfiguration.logDriver).toBe('awslogs');
    expect(Object.keys(rendered).filter((key) => key.startsWith('x-'))).toEqual([]);
  });

  test('web.json: secrets stay SSM parameter ARNs, health check numbers stay numbers', () => {
    const web = render(join(examples, 'task-definitions', 'web.json')).containerDefinitions[0];
    expect(web.secrets).toEqual([
      { name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/production/database-password' },
      { name: 'SECRET_KEY_BASE', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/web/production/secret-key-base' },
    ]);
    expect(web.healthCheck.interval).toBe(15);
    expect(web.environment).toContainEqual({ name: 'DB_HOST', value: 'db.internal' });
  });

  test('worker.yaml: the YAML anchor is shared by both containers; the sidecar is not essential', () => {
    const [worker, router] = render(join(examples, 'task-definitions', 'worker.yaml')).containerDefinitions;
    expect(worker.command).toEqual(['bin/jobs', '--queues', 'default,mailers']);
    expect(router.essential).toBe(false);
    expect(router.logConfiguration).toEqual(worker.logConfiguration);
  });
});

describe('the example pipelines use only inputs the schema defines', () => {
  test('GitHub: every `with:` key of the ecs-ship step is an input', () => {
    const workflow = parse(readFileSync(join(examples, 'github', 'deploy.yml'), 'utf8'));
    const step = workflow.jobs.deploy.steps.find((s: { uses?: string }) => s.uses?.startsWith('ecs-ship/ecs-ship@'));
    expect(step.uses).toMatch(/@v\d+\.\d+\.\d+$/);
    for (const key of Object.keys(step.with)) expect(INPUTS.map((i) => i.name)).toContain(key);
  });

  test('Bitbucket: every variable is an input in UPPER_SNAKE (or an AWS credential variable); the step has docker and OIDC', () => {
    const pipeline = parse(readFileSync(join(examples, 'bitbucket', 'bitbucket-pipelines.yml'), 'utf8'));
    const step = pipeline.pipelines.branches.main[0].step;
    const pipe = step.script.find((s: { pipe?: string }) => s.pipe);
    const known = INPUTS.flatMap((i) => [toUpperSnake(i.name), ...(i.bitbucketAliases ?? [])]);
    for (const key of Object.keys(pipe.variables)) expect([...known, 'AWS_OIDC_ROLE_ARN', 'AWS_REGION']).toContain(key);
    expect(step.services).toContain('docker');
    expect(step.oidc).toBe(true);
  });
});

describe('the whole-app example (examples/app)', () => {
  const root = join(__dirname, '../..');
  const file = join(examples, 'app', 'ecs-ship.yml');
  const config = parseAppConfig('examples/app/ecs-ship.yml', readFileSync(file, 'utf8'));
  const dotenv = (path: string) => Object.fromEntries(readFileSync(join(root, path), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('=') as [string, string]));

  test('the file is valid: nginx is built after the app image it is built FROM', () => {
    expect(config.images.map((i) => i.name)).toEqual(['app', 'nginx']);
    expect(config.images[1].uses).toEqual(['app']);
    expect(config.environments.map((e) => e.name)).toEqual(['dev', 'prod']);
  });

  test.each(['dev', 'prod'])('in %s, every service template renders with the images and the vars, each secret an SSM parameter of that environment', (environment) => {
    for (const service of config.services) {
      const settings = serviceSettings(config, environment, service.name);
      const lookup = { ...dotenv(settings['vars-file']), ...Object.fromEntries(settings.vars.split('\n').map((l) => l.split('='))) };
      const images = { IMAGE, IMAGE_APP: IMAGE, IMAGE_NGINX: IMAGE.replace('/web@', '/nginx@') };
      const path = join(root, settings['task-definition']);
      const rendered = renderTaskDefinition(parseTaskDefinition(loadTemplate(path), path), buildLookup([images, lookup]));
      expect(JSON.stringify(rendered)).not.toContain('${');
      for (const container of rendered.containerDefinitions) {
        for (const secret of container.secrets ?? []) expect(secret.valueFrom).toContain(`:parameter/shop/${environment}/`);
      }
      expect(settings.service).toBe(environment === 'dev' ? `shop-${service.name}-dev` : `shop-${service.name}`);
    }
  });

  test('the GitHub workflow and the Bitbucket pipeline give only inputs of the schema', () => {
    const workflow = parse(readFileSync(join(examples, 'github', 'app.yml'), 'utf8'));
    const step = workflow.jobs.deploy.steps.find((s: { uses?: string }) => s.uses?.startsWith('ecs-ship/ecs-ship@'));
    for (const key of Object.keys(step.with)) expect(INPUTS.map((i) => i.name)).toContain(key);
    const pipeline = parse(readFileSync(join(examples, 'bitbucket', 'app-pipelines.yml'), 'utf8'));
    const variables = Object.keys(pipeline.definitions.steps[0].step.script[0].variables).filter((v) => !v.startsWith('AWS_'));
    for (const name of variables) expect(INPUTS.map((i) => toUpperSnake(i.name))).toContain(name);
  });
});

describe('the workflows keep values out of shell scripts', () => {
  const root = join(__dirname, '../..');
  const workflows = ['examples/github', '.github/workflows'].flatMap((dir) => readdirSync(join(root, dir)).map((f) => `${dir}/${f}`));

  /** Every `run:` script of every step of every job. */
  function scripts(file: string): string[] {
    const workflow = parse(readFileSync(join(root, file), 'utf8'));
    return Object.values(workflow.jobs ?? {}).flatMap((job: any) => (job.steps ?? []).map((step: { run?: string }) => step.run).filter((run: unknown): run is string => typeof run === 'string'));
  }

  test.each(workflows)('%s: no ${{ }} expression is pasted into a run: script (script injection); values go through env', (file) => {
    for (const script of scripts(file)) expect(script).not.toMatch(/\$\{\{/);
  });
});

describe('the blue/green gate examples: deploy, stop at the pause, smoke-test, continue or roll back', () => {
  const workflow = parse(readFileSync(join(examples, 'github', 'blue-green-gate.yml'), 'utf8'));
  const steps: Array<{ uses?: string; with?: Record<string, string> }> = workflow.jobs.deploy.steps;

  test('GitHub: each ecs-ship step gives only inputs of its command, and deploy returns at the pause', () => {
    const ours = steps.filter((s) => s.uses?.startsWith('ecs-ship/ecs-ship'));
    expect(ours.map((s) => s.uses)).toEqual(['ecs-ship/ecs-ship@v0.1.0', 'ecs-ship/ecs-ship/continue@v0.1.0', 'ecs-ship/ecs-ship/rollback@v0.1.0']);
    for (const step of ours) {
      const command = (/^ecs-ship\/ecs-ship\/(\w+)@/.exec(step.uses!)?.[1] ?? 'deploy') as Command;
      const known = inputsOf(command).map((spec) => spec.name);
      expect(Object.keys(step.with ?? {}).filter((name) => !known.includes(name))).toEqual([]);
    }
    expect(ours[0].with!['wait-until']).toBe('paused');
  });

  test('Bitbucket: the pipe returns at the pause, then COMMAND continue; its variables are the schema\'s', () => {
    const pipeline = parse(readFileSync(join(examples, 'bitbucket', 'blue-green-gate.yml'), 'utf8'));
    const script: Array<{ pipe?: string; variables?: Record<string, unknown> } | string> = pipeline.pipelines.branches.main[0].step.script;
    const pipes = script.filter((item): item is { pipe: string; variables: Record<string, unknown> } => typeof item === 'object' && item.pipe !== undefined);
    const known = [...INPUTS.flatMap((i) => [toUpperSnake(i.name), ...(i.bitbucketAliases ?? [])]), 'AWS_OIDC_ROLE_ARN', 'AWS_REGION'];
    for (const pipe of pipes) expect(Object.keys(pipe.variables).filter((name) => !known.includes(name))).toEqual([]);
    expect(pipes.map((pipe) => pipe.variables.WAIT_UNTIL ?? pipe.variables.COMMAND)).toEqual(['paused', 'continue']);
  });
});
