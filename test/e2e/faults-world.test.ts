// Deploys into a world that lacks what the new revision needs: an image that is not in ECR, a secret
// that was never created, a log group nobody made, a health check that never passes. ECS answers
// these the way the simulator now does (TaskFailedToStart with its own reason, failed health checks):
// the deploy must stop, name the reason, and leave the service on a revision that works.
// Preflight's verification finds the missing image, secret and log group before any change (see
// verify.test.ts); these scenarios turn it off (verify: false) to drive the runtime path behind it.
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { givenService, webTemplate, REGISTRY, type World } from '../support/world';
import { deploy, failureMessage, warnings } from '../support/scenarios';

let world: World;
afterEach(async () => world?.close());

const MISSING_IMAGE = `${REGISTRY}/web:never-pushed`;
const UNVERIFIED = { verify: 'false' };

function templateWith(change: (container: any) => void): Record<string, any> {
  const template = webTemplate();
  change(template.containerDefinitions[0]);
  return template;
}

describe('a new revision the world cannot start', () => {
  test('an image that is not in ECR: the migration cannot start, the deploy halts naming the pull error, the service is never touched', async () => {
    world = await givenService();
    const run = await deploy(world, { image: MISSING_IMAGE, 'migration-command': 'bin/migrate', ...UNVERIFIED });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toContain('CannotPullContainerError');
    expect(failureMessage(run)).toContain(`${MISSING_IMAGE}: not found`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('an image that is not in ECR and no migration: the rollout fails on the pull error and the service is back on its revision', async () => {
    world = await givenService();
    const run = await deploy(world, { image: MISSING_IMAGE, ...UNVERIFIED });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Rollout failed: /);
    expect(warnings(run)).toContain('CannotPullContainerError');
    expect(run.log).not.toMatch(/✔ Deployed/);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('a secret that is not in SSM: the migration fails to start, naming the parameter; once it exists the same deploy goes through', async () => {
    world = await givenService();
    const template = templateWith((web) => (web.secrets = [{ name: 'DB_PASSWORD', valueFrom: '/prod/web/db-password' }]));

    const failed = await deploy(world, { 'migration-command': 'bin/migrate', ...UNVERIFIED }, {}, template);
    expect(failed.code).toBe(1);
    expect(failureMessage(failed)).toContain('ResourceInitializationError: unable to pull secrets or registry auth');
    expect(failureMessage(failed)).toContain('/prod/web/db-password');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);

    await world.aws.ssm.send(new PutParameterCommand({ Name: '/prod/web/db-password', Value: 'pw', Type: 'SecureString' }));
    const passed = await deploy(world, { 'migration-command': 'bin/migrate' }, {}, template);
    expect(passed.code).toBe(0);
    expect(world.serviceTaskDefinition()).toBe(passed.outputs['task-definition-arn']);
  });

  test('a log group nobody created: the migration fails to start saying so; with awslogs-create-group it is created', async () => {
    world = await givenService();
    const logTo = (extra: Record<string, string>) =>
      templateWith((web) => Object.assign(web.logConfiguration.options, { 'awslogs-group': '/ecs/web-v2', ...extra }));

    const failed = await deploy(world, { 'migration-command': 'bin/migrate', ...UNVERIFIED }, {}, logTo({}));
    expect(failed.code).toBe(1);
    expect(failureMessage(failed)).toContain('The specified log group does not exist');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);

    const passed = await deploy(world, { 'migration-command': 'bin/migrate' }, {}, logTo({ 'awslogs-create-group': 'true' }));
    expect(passed.code).toBe(0);
  });

  test('a health check that never passes: the rollout fails on the failed health checks and the service is back on its revision', async () => {
    world = await givenService({ timing: { secondMs: 2 } });
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? { health: 'UNHEALTHY' } : {});
    const template = templateWith((web) => (web.healthCheck = { command: ['CMD-SHELL', 'wget -q -O- localhost:8080/health'], interval: 5, retries: 2 }));

    const run = await deploy(world, {}, {}, template);

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Rollout failed: /);
    expect(warnings(run)).toContain('Task failed container health checks');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  // Fargate assumes the execution role to pull from ECR, read secrets and send awslogs (ECS developer
  // guide: task execution IAM role); the role must trust ecs-tasks.amazonaws.com. What skipping
  // verification costs: a registered revision, a rollout that fails and an ECS rollback, instead of exit 2.
  test('an execution role that does not exist: verified, exit 2 before any change; unverified, the rollout fails naming the role and ECS rolls back', async () => {
    world = await givenService();
    const template = templateWith(() => undefined);
    template.executionRoleArn = 'arn:aws:iam::123456789012:role/web-execution-v2';

    const verified = await deploy(world, {}, {}, template);
    expect(verified.code).toBe(2);
    expect(failureMessage(verified)).toContain('task-definition: executionRoleArn: arn:aws:iam::123456789012:role/web-execution-v2 does not exist in IAM.');
    expect(world.sim.mutatingCalls()).toEqual([]);

    const unverified = await deploy(world, UNVERIFIED, {}, template);
    expect(unverified.code).toBe(1);
    expect(failureMessage(unverified)).toMatch(/^Rollout failed: /);
    expect(warnings(unverified)).toContain('unable to assume the task execution role arn:aws:iam::123456789012:role/web-execution-v2 to pull the ECR image, send awslogs: the role does not exist');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('an execution role that does not trust ECS tasks (verify off): the migration cannot start, naming the trust policy; the service is never touched', async () => {
    world = await givenService();
    world.sim.addRole('web-lambda', 'lambda.amazonaws.com');
    const template = templateWith(() => undefined);
    template.executionRoleArn = 'arn:aws:iam::123456789012:role/web-lambda';

    const run = await deploy(world, { 'migration-command': 'bin/migrate', ...UNVERIFIED }, {}, template);

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toContain('its trust policy does not allow ecs-tasks.amazonaws.com to assume it');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});
