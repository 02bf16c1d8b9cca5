import { deploy, IMAGE, logIndex } from '../support/scenarios';
import { runAction } from '../support/harness';
import { CLUSTER, NETWORK, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const deployWith = (extra: Record<string, string> = {}, template: object = webTemplate()) => deploy(world, extra, {}, template);

const runTaskInputs = () => world.sim.calls.filter((c) => c.action === 'RunTask').map((c) => c.input);

describe('a deploy with a migration', () => {
  test('given a steady service, the migration runs on the new revision with the service network, then the service completes on it', async () => {
    world = await givenService();
    const run = await deployWith({ 'migration-command': 'bin/migrate --to "latest version"' });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    const newArn = run.outputs['task-definition-arn'];
    expect(newArn).toMatch(/task-definition\/web:2$/);
    expect(world.serviceTaskDefinition()).toBe(newArn);
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(run.outputs.image).toBe(IMAGE);
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(run.outputs['migration-task-arn']).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\//);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(run.summary).toContain(`| AWS endpoint | ${world.sim.url} (AWS_ENDPOINT_URL), not AWS itself: the console links are of the real AWS console and show nothing of this run. |`);

    const [runTask] = runTaskInputs();
    expect(runTask.taskDefinition).toBe(newArn);
    expect(runTask.networkConfiguration).toEqual(NETWORK);
    expect(runTask.launchType).toBe('FARGATE');
    expect(runTask.platformVersion).toBe('LATEST');
    expect(runTask.overrides.containerOverrides).toEqual([{ name: 'web', command: ['bin/migrate', '--to', 'latest version'] }]);

    const registered = world.sim.taskDefinitions('web').at(-1);
    expect(registered.containerDefinitions[0].image).toBe(IMAGE);
    expect(registered.containerDefinitions[0].environment).toEqual([{ name: 'DB_HOST', value: 'db.prod.internal' }]);
  });

  test('given a migration that exits 1, the deploy fails, names the exit code, and the service stays on its revision', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { exitCode: 1, runMs: 50, containerReason: 'migration 0042 failed' } : {});
    const run = await deployWith({ 'migration-command': '["bin/migrate"]' });

    expect(run.code).toBe(1);
    expect(run.log).toMatch(/exited with code 1/);
    expect(run.log).toContain('migration 0042 failed');
    expect(run.outputs['migration-exit-code']).toBe('1');
    expect(world.sim.mutatingCalls()).not.toContain('UpdateService');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given RunTask answers with failures, the deploy fails with the reason and never updates the service', async () => {
    world = await givenService();
    world.sim.scenario.runTaskFailures = [{ reason: 'RESOURCE:ENI', detail: 'no ENIs left in subnet-0a1b2c' }];
    const run = await deployWith({ 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(run.log).toContain('RESOURCE:ENI');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a migration task that fails to start, the deploy fails with the stopped reason', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) =>
      ctx.startedBy === 'runTask' ? { failToStart: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' } : {};
    const run = await deployWith({ 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(run.log).toMatch(/failed to start/);
    expect(run.log).toContain('CannotPullContainerError');
    expect(world.sim.mutatingCalls()).not.toContain('UpdateService');
  });

  test('given a sidecar that exits 1, only the migration container decides', async () => {
    world = await givenService({ sidecar: true });
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { exitCode: 0, runMs: 50, containerExitCodes: { 'log-router': 1 } } : {});
    const run = await deployWith({ 'migration-command': 'bin/migrate', 'migration-container': 'web' }, webTemplate({ sidecar: true }));

    expect(run.code).toBe(0);
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(runTaskInputs()[0].overrides.containerOverrides[0].name).toBe('web');
    const migrationTask = world.sim.tasks(CLUSTER).find((t) => t.taskArn === run.outputs['migration-task-arn']);
    expect(migrationTask.containers.find((c: { name: string }) => c.name === 'log-router').exitCode).toBe(1);
  });
});

describe('a re-run of the commit already deployed', () => {
  test('given the service already runs the revision, the re-run skips the migration, says so, and changes nothing', async () => {
    world = await givenService();
    const first = await deployWith({ 'migration-command': 'bin/migrate' });
    expect(first.code).toBe(0);
    expect(first.outputs['migration-exit-code']).toBe('0');
    const callsAfterFirst = world.sim.calls.length;

    const rerun = await deployWith({ 'migration-command': 'bin/migrate' });

    expect(rerun.code).toBe(0);
    const revision = first.outputs['task-definition-arn'];
    expect(rerun.outputs['task-definition-arn']).toBe(revision);
    expect(rerun.log).toContain(`The service already runs ${revision}: the migration is skipped (it ran when that revision was deployed; force-new-deployment runs it again).`);
    expect(rerun.log).toContain('Migration: skipped, the service already runs web:2');
    expect(rerun.outputs['migration-task-arn']).toBe('');
    expect(rerun.outputs['migration-exit-code']).toBe('');
    const rerunCalls = world.sim.calls.slice(callsAfterFirst).map((c) => c.action);
    const verifyCalls = ['DescribeImages', 'DescribeLogGroups', 'GetRole', 'GetRole'];
    expect(rerunCalls.filter((action) => !verifyCalls.includes(action))).toEqual(['DescribeClusters', 'DescribeServices', 'DescribeTaskDefinition', 'DescribeServices']);
    expect(rerunCalls.filter((action) => verifyCalls.includes(action)).sort()).toEqual(verifyCalls);
    expect(world.serviceTaskDefinition()).toBe(revision);
  });

  test('given force-new-deployment, the re-run of the same revision runs the migration again and starts a deployment', async () => {
    world = await givenService();
    const first = await deployWith({ 'migration-command': 'bin/migrate' });
    const callsAfterFirst = world.sim.mutatingCalls().length;

    const rerun = await deployWith({ 'migration-command': 'bin/migrate', 'force-new-deployment': 'true' });

    expect(rerun.code).toBe(0);
    expect(rerun.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(rerun.outputs['migration-exit-code']).toBe('0');
    expect(world.sim.mutatingCalls().slice(callsAfterFirst)).toEqual(['RunTask', 'UpdateService']);
  });
});

describe('a deploy without a migration', () => {
  test('registers the revision and updates the service', async () => {
    world = await givenService();
    const run = await deployWith();

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(run.outputs['migration-task-arn'] ?? '').toBe('');
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });

  test('given the same template twice, the second run reuses the revision and registers nothing', async () => {
    world = await givenService();
    const first = await deployWith();
    const callsAfterFirst = world.sim.mutatingCalls().length;
    const second = await deployWith({ 'force-new-deployment': 'true' });

    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(second.log).toMatch(/unchanged/i);
    expect(world.sim.mutatingCalls().slice(callsAfterFirst)).toEqual(['UpdateService']);
    expect(world.sim.taskDefinitions('web')).toHaveLength(2);
  });
});

describe('where the new revision comes from', () => {
  test('without a template, the running definition gets the new image in the first essential container and nothing else changes', async () => {
    world = await givenService();
    const run = await runAction({ cluster: CLUSTER, service: SERVICE, image: IMAGE, build: 'false' }, { endpoint: world.sim.url });

    expect(run.code).toBe(0);
    const [before, after] = world.sim.taskDefinitions('web');
    expect(after.containerDefinitions[0].image).toBe(IMAGE);
    expect({ ...after.containerDefinitions[0], image: '' }).toEqual({ ...before.containerDefinitions[0], image: '' });
  });

  test('a pasted describe-task-definition result is accepted: the wrapper and read-only fields are dropped', async () => {
    world = await givenService();
    const pasted = { taskDefinition: { ...webTemplate(), taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:9', revision: 9, status: 'ACTIVE', compatibilities: ['EC2', 'FARGATE'], requiresAttributes: [{ name: 'ecs.capability.task-eni' }], registeredAt: '2026-01-01T00:00:00Z', registeredBy: 'arn:aws:iam::123456789012:user/someone' } };
    const run = await deployWith({}, pasted);

    expect(run.code).toBe(0);
    const input = world.sim.calls.find((c) => c.action === 'RegisterTaskDefinition')!.input;
    for (const field of ['taskDefinition', 'taskDefinitionArn', 'revision', 'status', 'compatibilities', 'requiresAttributes', 'registeredAt', 'registeredBy']) {
      expect(input).not.toHaveProperty(field);
    }
    expect(input.family).toBe('web');
  });

  test('a YAML template works the same as JSON', async () => {
    world = await givenService();
    const yaml = `family: web\nrequiresCompatibilities: [FARGATE]\nnetworkMode: awsvpc\ncpu: "256"\nmemory: "512"\nexecutionRoleArn: arn:aws:iam::123456789012:role/web-execution\ncontainerDefinitions:\n  - name: web\n    image: \${IMAGE}\n    environment:\n      - name: DB_HOST\n        value: \${DB_HOST}\n`;
    const run = await runAction(
      { cluster: CLUSTER, service: SERVICE, image: IMAGE, build: 'false', 'task-definition': world.writeTemplate(yaml as never, 'task-definition.yaml'), vars: `DB_HOST='db: "quoted" # kept, the value is single-quoted'` },
      { endpoint: world.sim.url },
    );

    expect(run.code).toBe(0);
    expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].environment).toEqual([{ name: 'DB_HOST', value: 'db: "quoted" # kept, the value is single-quoted' }]);
  });
});

describe('services without rolloutState', () => {
  test('the deploy completes when its deployment is the only one and running equals desired', async () => {
    world = await givenService({ rolloutState: false });
    const run = await deployWith();

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/completed in/);
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });

  // Without a load balancer or health check, ECS counts a new task as healthy 40 s after it is RUNNING; only
  // then do the old tasks go. An ECS second lasts 60 ms here, so ecs-ship reads the service in that window.
  test('given old tasks that drain 40 s after the new ones run, the deploy shows every new task running and completes only once the old ones have stopped', async () => {
    const secondMs = 60;
    world = await givenService({ rolloutState: false, timing: { secondMs } });
    const run = await deployWith();

    expect(run.code).toBe(0);
    const tasks = world.sim.tasks(CLUSTER);
    const newStarted = Math.max(...tasks.filter((t) => t.taskDefinitionArn !== world.initialArn).map((t) => t.startedAt));
    const oldStopping = Math.min(...tasks.filter((t) => t.taskDefinitionArn === world.initialArn).map((t) => t.stoppingAt));
    expect((oldStopping - newStarted) * 1000).toBeGreaterThanOrEqual(40 * secondMs);
    const allRunning = logIndex(run, /: running 2\/2, pending 0, failed 0/);
    const oldStopped = logIndex(run, /has stopped 2 running tasks/);
    expect(allRunning).toBeGreaterThan(-1);
    expect(allRunning).toBeLessThan(oldStopped);
    expect(oldStopped).toBeLessThan(logIndex(run, /completed in \d+ s/));
  });
});

describe('bad input stops the run before any change', () => {
  test('every undefined placeholder is named at once, exit code 2, and nothing is changed', async () => {
    world = await givenService();
    const template = webTemplate({ env: { API_KEY_PARAM: '${API_KEY_PARAM}' } });
    const run = await runAction(
      { cluster: CLUSTER, service: SERVICE, image: IMAGE, build: 'false', 'task-definition': world.writeTemplate(template) },
      { endpoint: world.sim.url },
    );

    expect(run.code).toBe(2);
    expect(run.log).toMatch(/unresolved placeholders.*\$\{API_KEY_PARAM\}, \$\{DB_HOST\}/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('a missing service is named, exit code 2, and nothing is registered or run', async () => {
    world = await givenService();
    const run = await runAction(
      { cluster: CLUSTER, service: 'wbe', image: IMAGE, build: 'false', 'task-definition': world.writeTemplate(webTemplate()), vars: 'DB_HOST=x', 'migration-command': 'bin/migrate' },
      { endpoint: world.sim.url },
    );

    expect(run.code).toBe(2);
    expect(run.log).toMatch(/service: "wbe" was not found/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('a service deployed by CodeDeploy is refused by name, exit code 2, before anything is registered or run', async () => {
    world = await givenService({ deploymentController: 'CODE_DEPLOY' });
    const run = await deployWith({ 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(2);
    expect(run.log).toContain(`service: "${SERVICE}" uses the CODE_DEPLOY deployment controller`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('an unknown migration-container is named before any change when there is a migration, and not looked at when there is none', async () => {
    world = await givenService();
    const withMigration = await deployWith({ 'migration-container': 'wbe', 'migration-command': 'bin/migrate' });

    expect(withMigration.code).toBe(2);
    expect(withMigration.log).toContain('migration-container: "wbe" is not a container of the task definition');
    expect(world.sim.mutatingCalls()).toEqual([]);

    const without = await deployWith({ 'migration-container': 'wbe' });
    expect(without.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});

describe('a rollout that does not complete', () => {
  test('given the circuit breaker fails the rollout and rolls back, the deploy fails, says so, and does not roll back twice', async () => {
    world = await givenService({ circuitBreaker: { enable: true, rollback: true } });
    world.sim.scenario.task = (ctx) =>
      ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? { failToStart: 'ResourceInitializationError: unable to pull secrets' } : {};
    const run = await deployWith();

    expect(run.code).toBe(1);
    expect(run.log).toMatch(/Rollout failed: .*ECS, started by the circuit breaker, rolled the service back/);
    expect(run.log).toContain('ResourceInitializationError: unable to pull secrets');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a deployment that never stabilises, the wait times out and the service is rolled back', async () => {
    world = await givenService({ timing: { stabilizeMs: 3_600_000 } as any });
    const run = await deployWith({ 'wait-timeout-minutes': '0.05' });

    expect(run.code).toBe(1);
    expect(run.log).toMatch(/did not complete within 0.05 minutes\. ecs-ship stopped it with a rollback, and ECS is rolling the service back to .*web:1/);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});
