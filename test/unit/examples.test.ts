import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INPUTS, toUpperSnake } from '../../src/inputs/schema';
import { loadTemplate, parseTaskDefinition } from '../../src/taskdef/load';
import { buildLookup, renderTaskDefinition } from '../../src/taskdef/render';

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
