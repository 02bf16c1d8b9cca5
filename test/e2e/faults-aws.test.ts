// Issue 5, "Fail fast, explain, recover": an unreliable AWS API (throttling, 5xx, dropped
// connections) must not fail a deploy, and a dry run must change nothing. Each scenario checks
// the exit code, the message, the outputs, the ordered mutating calls and the service's revision.
import { givenService, type World } from '../support/world';
import type { RunOptions } from '../support/harness';
import { deploy, failureMessage, IMAGE, signalWhenCalled, type SignalPlan } from '../support/scenarios';

let world: World;
afterEach(async () => world?.close());

const REVISION_2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const errorsSeen = () => world.sim.calls.filter((c) => c.error).map((c) => c.error!);
const countOf = (errors: string[], name: string) => errors.filter((e) => e === name).length;

describe('an unreliable AWS API', () => {
  test('given half of all calls throttled, the deploy still migrates, rolls out and succeeds', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { logLines: ['migrated 3 tables'] } : {});
    // Never more than 5 in a row for one action: the SDK's 10 attempts always get through, so the
    // test is no lottery (a longer outage of a status read is the next scenario).
    world.sim.scenario = { ...world.sim.scenario, throttleRate: 0.5, maxFaultsInARow: 5 };

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(failureMessage(run)).toBe('');
    expect(run.code).toBe(0);
    expect(countOf(errorsSeen(), 'ThrottlingException')).toBeGreaterThan(0);
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(run.outputs['task-definition-arn']).toBe(REVISION_2);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    // Throttled calls never reached the service: each change happened exactly once.
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(world.sim.taskDefinitions('web')).toHaveLength(2);
    expect(world.serviceTaskDefinition()).toBe(REVISION_2);
  }, 180_000);

  test('given 5xx answers and dropped connections, the deploy still migrates, rolls out and succeeds', async () => {
    world = await givenService();
    // Seeded: the run's first call gets a 5xx and its retry a dropped connection, whatever follows.
    world.sim.scenario = { serverErrorRate: 0.25, dropRate: 0.25, maxFaultsInARow: 5, faultSeed: 4 };

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(failureMessage(run)).toBe('');
    expect(run.code).toBe(0);
    const errors = errorsSeen();
    expect(errors.slice(0, 2)).toEqual(['ServerException', 'ConnectionDropped']);
    expect(countOf(errors, 'ServerException')).toBeGreaterThan(0);
    expect(countOf(errors, 'ConnectionDropped')).toBeGreaterThan(0);
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(run.outputs['task-definition-arn']).toBe(REVISION_2);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(world.sim.taskDefinitions('web')).toHaveLength(2);
    expect(world.serviceTaskDefinition()).toBe(REVISION_2);
  }, 180_000);
});

describe('a status read that fails for longer than the SDK retries', () => {
  test('given DescribeServices answering 5xx through all the SDK attempts during the rollout, the deploy keeps following its deployment and succeeds', async () => {
    world = await givenService();
    let outageFrom = -1;
    const onSpawn: RunOptions['onSpawn'] = (_pid, output) => {
      const timer = setInterval(() => {
        if (outageFrom < 0 && /Updated service web to/.test(output())) {
          outageFrom = world.sim.calls.length;
          world.sim.scenario = { serverErrorRate: 1, faultActions: ['DescribeServices'] };
        }
        // The outage ends once ecs-ship has seen a read fail after all the SDK's attempts.
        if (outageFrom >= 0 && output().includes('Could not read the service')) {
          world.sim.scenario = {};
          clearInterval(timer);
        }
      }, 10);
      timer.unref();
    };

    const run = await deploy(world, {}, { onSpawn });

    expect(failureMessage(run)).toBe('');
    expect(run.code).toBe(0);
    const outage = world.sim.calls.slice(outageFrom).filter((c) => c.action === 'DescribeServices' && c.error === 'ServerException');
    expect(outage.length).toBeGreaterThanOrEqual(10);
    expect(run.log).toContain('Could not read the service (ServerException: An internal error occurred.); trying again.');
    expect(run.log).toMatch(/Deployment ecs-svc\/\d+ completed/);
    expect(run.outputs['task-definition-arn']).toBe(REVISION_2);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(REVISION_2);
  }, 90_000);
});

describe('a dry run', () => {
  test('given dry-run, the deploy shows the task-definition diff and the plan, changes nothing, and exits 0', async () => {
    world = await givenService();

    const run = await deploy(world, { 'dry-run': 'true', 'migration-command': 'bin/rails db:migrate' });

    expect(run.code).toBe(0);
    expect(failureMessage(run)).toBe('');
    expect(run.log).toContain('Task definition, running (-) against rendered (+):');
    const diffLines = run.log.split('\n').filter((line) => /^[-+] /.test(line));
    expect(diffLines).toEqual([
      '-          "value": "db.internal"',
      '+          "value": "db.prod.internal"',
      '-      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1",',
      `+      "image": "${IMAGE}",`,
    ]);
    expect(run.log).toContain('A real run would:');
    expect(run.log).toContain(`1. deploy ${IMAGE} as is`);
    expect(run.log).toContain('2. register a new revision of family "web"');
    expect(run.log).toContain('3. run the migration ["bin/rails","db:migrate"] in container "web" and stop if it fails');
    expect(run.log).toContain('4. update service web and wait up to 30 minutes for the deployment');
    expect(run.summary).toContain('Planned (dry run)');
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(run.outputs['task-definition-arn']).toBe('');
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(world.sim.taskDefinitions('web')).toHaveLength(1);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('a dry run AWS refuses', () => {
  test('given DescribeTaskDefinition denied, the dry run fails naming its step and what AWS said, and nothing changed', async () => {
    world = await givenService();
    world.sim.scenario = { deniedActions: ['DescribeTaskDefinition'] };

    const run = await deploy(world, { 'dry-run': 'true' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(
      // The plan reads the definitions, in Preflight: the dry run prints the plan and reads nothing more.
      /^Preflight failed: ECS answered DescribeTaskDefinition with AccessDeniedException: User: .* is not authorized to perform: ecs:DescribeTaskDefinition .*\. Nothing was changed\.$/,
    );
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('an AWS error after preflight', () => {
  const REVISION_1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
  const denial = (action: string) =>
    `AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy/ecs-ship is not authorized to perform: ecs:${action} because no identity-based policy allows the ecs:${action} action`;

  test('given RunTask denied, the deploy fails naming the migration step and what AWS said, and that the service still runs its revision', async () => {
    world = await givenService();
    world.sim.scenario = { deniedActions: ['RunTask'] };

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toBe(`Migration failed: ECS answered RunTask with ${denial('RunTask')}. The service was not updated: it still runs ${REVISION_1}.`);
    expect(run.log).not.toContain('Unexpected');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(errorsSeen()).toEqual(['AccessDeniedException']);
    expect(world.serviceTaskDefinition()).toBe(REVISION_1);
  });

  test('given DescribeTasks denied while the migration runs, the deploy fails naming the step, says the task was left running, and never updates the service', async () => {
    world = await givenService();
    world.sim.scenario = { deniedActions: ['DescribeTasks'], task: (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 600_000 } : {}) };

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    const taskArn = run.outputs['migration-task-arn'];
    expect(taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\//);
    expect(failureMessage(run)).toBe(
      `Migration failed: ECS answered DescribeTasks with ${denial('DescribeTasks')}. Migration task ${taskArn} may still be running; it was left alone. ` +
        `The service was not updated: it still runs ${REVISION_1}.`,
    );
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(REVISION_1);
  });

  test('given UpdateService denied, the deploy fails naming the rollout step and what AWS said, and that the service still runs its revision', async () => {
    world = await givenService();
    world.sim.scenario = { deniedActions: ['UpdateService'] };

    const run = await deploy(world);

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toBe(`Rollout failed: ECS answered UpdateService with ${denial('UpdateService')}. The service was not updated: it still runs ${REVISION_1}.`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(errorsSeen()).toEqual(['AccessDeniedException']);
    expect(world.serviceTaskDefinition()).toBe(REVISION_1);
  });

  test('given every RunTask connection dropped, the deploy fails saying RunTask got no answer, that a migration task may have started, and that the service was not updated', async () => {
    world = await givenService();
    world.sim.scenario = { dropRate: 1, faultActions: ['RunTask'] };

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(
      new RegExp(
        '^Migration failed: ECS did not answer RunTask \\(.*(socket hang up|ECONNRESET).*\\)\\. ' +
          'ECS may have started the migration task \\(startedBy ecs-ship\\) all the same\\. ' +
          `The service was not updated: it still runs ${REVISION_1.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.$`,
      ),
    );
    expect(countOf(errorsSeen(), 'ConnectionDropped')).toBe(10);
    expect(world.serviceTaskDefinition()).toBe(REVISION_1);
  }, 120_000);
});

describe('an AWS endpoint that refuses connections', () => {
  test('given nothing listening at the endpoint, the deploy fails saying which call got no answer and that nothing was changed', async () => {
    world = await givenService();
    const { url } = world.sim;
    await world.close();

    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, { endpoint: url });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Preflight failed: ECS did not answer DescribeClusters \(.*connect ECONNREFUSED 127\.0\.0\.1:\d+.*\)\. Nothing was changed\.$/);
    expect(run.log).not.toContain('Unexpected');
  }, 120_000);
});

describe('no AWS credentials', () => {
  test('given no credentials anywhere, the deploy says none were found and how to provide them, exits 2, and makes no AWS call', async () => {
    world = await givenService();

    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' } });

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    expect(message).toMatch(/^No AWS credentials were found\b/);
    for (const way of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'aws-actions/configure-aws-credentials', 'AWS_OIDC_ROLE_ARN']) expect(message).toContain(way);
    expect(run.log).not.toContain('Unexpected');
    expect(world.sim.calls).toEqual([]);
  });
});

describe('a cancel while a registration is not answered yet', () => {
  test('given SIGINT while RegisterTaskDefinition is sent and not answered, the deploy exits 130 and says a revision may be registered', async () => {
    world = await givenService();
    world.sim.scenario = { latencyMs: 6_000, faultActions: ['RegisterTaskDefinition'] };
    const signal: SignalPlan = {};

    const run = await deploy(world, {}, { onSpawn: signalWhenCalled(world.sim, 'RegisterTaskDefinition', 'SIGINT', signal) });

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe(
      'Cancelled by SIGINT. In flight: RegisterTaskDefinition of family web was sent and not answered yet, so ECS may register a new revision (the service does not use it).',
    );
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition']);
    expect(world.serviceTaskDefinition()).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
  });
});
