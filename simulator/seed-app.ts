// `--seed app`: the world examples/app/ecs-ship.yml deploys to, so that the example deploys as its README
// says, verification on, with no Docker: ECR already holds the commit's app and nginx images, as if CI had
// built them.
import { createHash, randomBytes } from 'node:crypto';
import type { Simulator, TaskScript, TaskScriptContext } from './types';

export const APP_SEED = {
  region: 'eu-west-1',
  repositories: ['shop/app', 'shop/nginx'],
  roles: ['shop-execution', 'shop-task'],
  /** What each environment of the example names: its cluster, its ECS services, its parameters and log group. */
  environments: [
    { name: 'dev', cluster: 'shop-dev', services: ['shop-web-dev', 'shop-worker-dev'] },
    { name: 'prod', cluster: 'shop-prod', services: ['shop-web', 'shop-worker'] },
  ],
  parameters: ['database-password', 'django-secret-key'],
  /** The tag of the images the services run before the first deploy. */
  previousTag: 'previous',
};

const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0shop000000000a1'], securityGroups: ['sg-0shop000000000b1'], assignPublicIp: 'DISABLED' },
};

const digestOf = (repository: string, tag: string) => `sha256:${createHash('sha256').update(`ecs-ship app seed ${repository}:${tag}`).digest('hex')}`;

/** What the example's tasks do: the migration prints Django's lines and succeeds; services start and serve. */
export function appTaskScript(context: TaskScriptContext): TaskScript {
  if (context.startedBy === 'runTask') {
    return { logLines: ['Operations to perform:', '  Apply all migrations: admin, auth, contenttypes, sessions, shop', 'Running migrations:', '  No migrations to apply.'], exitCode: 0 };
  }
  return /worker/.test(context.taskDefinition.family ?? '')
    ? { logLines: ['celery@worker ready.'] }
    : { logLines: ['[INFO] Starting gunicorn', '[INFO] Listening at: http://127.0.0.1:8000'] };
}

/** `commitTag`: the tag (the commit's first 12 hex digits) under which ECR holds the images to deploy. */
export function seedApp(sim: Simulator, commitTag: string | undefined): void {
  const registry = `${sim.accountId}.dkr.ecr.${sim.region}.amazonaws.com`;
  for (const repository of APP_SEED.repositories) {
    for (const tag of [APP_SEED.previousTag, ...(commitTag ? [commitTag] : [])]) sim.addImage(repository, tag, digestOf(repository, tag));
  }
  for (const role of APP_SEED.roles) sim.addRole(role);
  for (const environment of APP_SEED.environments) {
    sim.addCluster(environment.cluster);
    sim.addLogGroup(`/ecs/shop-${environment.name}`);
    for (const name of APP_SEED.parameters) sim.addParameter(`/shop/${environment.name}/${name}`, randomBytes(16).toString('hex'));
    for (const service of environment.services) {
      const taskDefinition = sim.addTaskDefinition({
        family: service.replace(/^shop-(web|worker)$/, `shop-$1-${environment.name}`),
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        executionRoleArn: `arn:aws:iam::${sim.accountId}:role/shop-execution`,
        containerDefinitions: [{ name: /worker/.test(service) ? 'worker' : 'web', image: `${registry}/shop/app:${APP_SEED.previousTag}`, essential: true }],
      });
      sim.addService({
        cluster: environment.cluster,
        name: service,
        taskDefinition,
        desiredCount: /worker/.test(service) ? 1 : 2,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        networkConfiguration: NETWORK,
        circuitBreaker: { enable: true, rollback: true },
      });
    }
  }
  sim.scenario.task = appTaskScript;
}
