// Issue 12, "Modern ECS deployments": ecs-ship follows ECS's own record of the deployment through the
// strategies (rolling, blue/green, linear, canary), reports hooks and alarms, rolls back with
// StopServiceDeployment, and bakes a rolling deployment after success. In the world's timing an ECS
// minute lasts 60 ms (WORLD_TIMING.secondMs is 1 ms), so a 45-minute bake takes 2.7 s.
import { ContinueServiceDeploymentCommand, ECSClient } from '@aws-sdk/client-ecs';
import { TEST_CREDENTIALS } from '../support/harness';
import { HOOK_ROLE, SMOKE_TEST, whenLogShows } from '../support/steering';
import { deploy, failureMessage, logIndex, warnings } from '../support/scenarios';
import { BEHIND_ALB, givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const REVISION = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;

function serviceTasksOfRevision(revision: number, script: object) {
  world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === revision ? script : ctx.startedBy === 'runTask' ? { runMs: 50, exitCode: 0 } : {});
}

function ecsClient(): ECSClient {
  return new ECSClient({
    endpoint: world.sim.url,
    region: world.sim.region,
    credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN },
  });
}

/** Where each line first appears in the log, for "in this order" assertions. */
const positions = (log: string, needles: string[]) => needles.map((needle) => log.indexOf(needle));
const ascending = (values: number[]) => values.every((value, i) => value >= 0 && (i === 0 || value > values[i - 1]));

describe('a blue/green service', () => {
  test('given a bake time longer than the wait, the deploy warns in preflight, waits through the bake instead of timing out, and succeeds', async () => {
    world = await givenService({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 } });

    const run = await deploy(world, { 'wait-timeout-minutes': '0.02' });

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain('wait-timeout-minutes is 0.02, shorter than the 45 minutes ECS bakes this BLUE_GREEN deployment plus 10 minutes');
    expect(warnings(run)).toMatch(/wait-timeout-minutes passed while ECS bakes deployment ecs-svc\/\d+, which is healthy so far/);
    expect(run.log).toContain('The service deploys with the BLUE_GREEN strategy: ECS bakes it 45 minutes.');
    // The stages before the bake last moments here; the bake is long enough for every poll to see it.
    expect(ascending(positions(run.log, ['status PENDING', 'stage BAKE_TIME', 'status SUCCESSFUL']))).toBe(true);
    expect(run.log).toMatch(/stage BAKE_TIME; production traffic 100% on the new revision; bake time: about \d+ minutes left/);
    expect(run.outputs['service-deployment-arn']).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/\S+$/);
    expect(run.summary).toContain('(ECS: SUCCESSFUL)');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('given a lifecycle hook that fails in test traffic, ECS rolls back to blue, and the deploy reports it with the hook and does not roll back again', async () => {
    world = await givenService({
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 1,
        lifecycleHooks: [{ hookTargetArn: SMOKE_TEST, roleArn: HOOK_ROLE, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
      },
    });
    world.sim.scenario.hook = (ctx) => (ctx.stage === 'TEST_TRAFFIC_SHIFT' ? 'FAILED' : 'SUCCEEDED');

    const run = await deploy(world);

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(failureMessage(run)).toMatch(new RegExp(`^Rollout failed: ECS's record of deployment ${id.replace('/', '\\/')} says ROLLBACK_(IN_PROGRESS|SUCCESSFUL)`));
    expect(failureMessage(run)).toContain(`ECS, started by a lifecycle hook, rolled the service back to ${world.initialArn}`);
    expect(failureMessage(run)).toContain('the rollback completed and the service is stable.');
    expect(warnings(run)).toContain('not rolling back again');
    expect(run.log).toContain('hooks: smoke-test at TEST_TRAFFIC_SHIFT');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a PAUSE hook after test traffic, the deploy reports the pause with its hook ID while it waits, and succeeds once someone continues it', async () => {
    world = await givenService({
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] },
    });
    const ecs = ecsClient();
    let continuedAt = 0;
    const paused = /paused by lifecycle hook (\S+): ECS waits for ContinueServiceDeployment/;

    const run = await deploy(world, {}, {
      onSpawn: whenLogShows(paused, async (log) => {
        const arn = /\(service deployment (arn:\S+)\)/.exec(log)![1];
        await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: paused.exec(log)![1], action: 'CONTINUE' }));
        continuedAt = log.length;
      }),
    });
    ecs.destroy();

    expect(run.code).toBe(0);
    expect(continuedAt).toBeGreaterThan(0);
    expect(logIndex(run, paused)).toBeGreaterThan(logIndex(run, 'stage POST_TEST_TRAFFIC_SHIFT'));
    expect(logIndex(run, 'status SUCCESSFUL')).toBeGreaterThan(logIndex(run, paused));
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });
});

describe('linear and canary services', () => {
  test('given a LINEAR service in steps of 50%, the progress lines show production traffic at 50% and then 100% while ECS bakes it', async () => {
    world = await givenService({ ...BEHIND_ALB, deploymentConfiguration: { strategy: 'LINEAR', bakeTimeInMinutes: 30, linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 30 } } });

    const run = await deploy(world, { 'wait-timeout-minutes': '1' });

    expect(run.code).toBe(0);
    expect(ascending(positions(run.log, ['production traffic 50% on the new revision', 'production traffic 100% on the new revision']))).toBe(true);
    expect(run.log).toContain('The service deploys with the LINEAR strategy: ECS bakes it 60 minutes.');
  });

  test('given a CANARY service with Service Connect at 10%, the progress lines show the canary shift and then all the traffic', async () => {
    world = await givenService({
      serviceConnectConfiguration: { enabled: true, namespace: 'internal' },
      deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 30, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 30 } },
    });

    const run = await deploy(world, { 'wait-timeout-minutes': '1' });

    expect(run.code).toBe(0);
    expect(ascending(positions(run.log, ['production traffic 10% on the new revision', 'production traffic 100% on the new revision']))).toBe(true);
  });

  // ECS developer guide: "Amazon ECS linear deployments require that your service use one of the following
  // features: Application Load Balancer, Network Load Balancer, Service Connect", and so do canary ones;
  // ECS refuses the UpdateService of a service without (the seed builds one, as no client could).
  test.each(['LINEAR', 'CANARY'])('given a %s service with neither a load balancer nor Service Connect, the deploy stops in preflight naming the service and what ECS needs, before any change', async (strategy) => {
    world = await givenService({ deploymentConfiguration: { strategy, bakeTimeInMinutes: 1 } });

    const run = await deploy(world);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`service: "web" deploys with the ${strategy} strategy, which ECS runs only on a service with an Application Load Balancer, a Network Load Balancer or Service Connect, and it has none`);
    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('deployment alarms', () => {
  test('given a deployment alarm that goes into ALARM during a rolling deployment, ECS rolls back and the message names the alarm', async () => {
    world = await givenService({ deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } });
    world.sim.addAlarm('web-5xx');

    const run = await deploy(world, {}, { onSpawn: whenLogShows(/Updated service web to/, () => world.sim.setAlarm('web-5xx', 'ALARM')) });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toContain('alarm web-5xx in ALARM');
    expect(failureMessage(run)).toContain(`ECS, started by the alarm web-5xx, rolled the service back to ${world.initialArn}`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('ecs-ship rolls back natively', () => {
  test('given crash-looping tasks ECS does not act on, ecs-ship stops the deployment with a rollback and says the previous revision runs against the migrated schema', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });

    const run = await deploy(world, { 'max-task-failures': '2', 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    const message = failureMessage(run);
    expect(message).toMatch(/^Rollout failed: \d+ tasks of deployment ecs-svc\/\d+ failed \(limit 2\)\. ecs-ship stopped it with a rollback, and ECS rolled the service back to /);
    expect(message).toContain(`rolled the service back to ${world.initialArn} (service revision arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/`);
    expect(message).toContain(`The migration of this deploy ran and is not undone: ${world.initialArn} now runs against the migrated schema.`);
    expect(run.summary).toContain('that revision runs against the migrated schema');
    const stop = world.sim.calls.find((call) => call.action === 'StopServiceDeployment')!;
    expect(stop.input).toEqual({ serviceDeploymentArn: run.outputs['service-deployment-arn'], stopType: 'ROLLBACK' });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService', 'StopServiceDeployment']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given StopServiceDeployment denied, the rollback is an UpdateService to the previous revision, with a warning saying why', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });
    world.sim.scenario.deniedActions = ['StopServiceDeployment'];

    const run = await deploy(world, { 'max-task-failures': '2' });

    expect(run.code).toBe(1);
    expect(warnings(run)).toMatch(/ECS refused to stop deployment ecs-svc\/\d+ \(ECS answered StopServiceDeployment with AccessDeniedException: .*\); rolling back with UpdateService/);
    expect(failureMessage(run)).toMatch(/Rolled the service back to .*web:1 \(the rollback completed and the service is stable\)\.$/);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given an endpoint without the service-deployment APIs, the deploy says so once and follows the deployment through DescribeServices', async () => {
    world = await givenService();
    world.sim.scenario.unsupportedActions = ['ListServiceDeployments', 'DescribeServiceDeployments', 'StopServiceDeployment'];

    const run = await deploy(world);

    expect(run.code).toBe(0);
    expect(warnings(run)).toMatch(/^ECS's deployment records cannot be read here \(ECS answered ListServiceDeployments with UnknownOperationException: .*\); following deployments through DescribeServices alone\./);
    expect(warnings(run).split('\n')).toHaveLength(1);
    expect(run.outputs['service-deployment-arn']).toBe('');
    expect(world.sim.calls.filter((call) => call.action === 'DescribeServiceDeployments')).toEqual([]);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });
});

describe('what a rollback report says', () => {
  test('given a wait so short that ecs-ship stops following its rollback before ECS switches, the report names the revision ECS rolls back to, not the one the service still runs', async () => {
    world = await givenService({ timing: { stabilizeMs: 3_600_000 } });

    const run = await deploy(world, { 'wait-timeout-minutes': '0.001' });

    expect(run.code).toBe(1);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    const message = failureMessage(run);
    expect(message).toMatch(/ECS is rolling the service back to \S*web:1\b/);
    expect(message).not.toMatch(/back to \S*web:2\b/);
    expect(run.summary).not.toMatch(/rolled back .*to web:2/);
  }, 30_000);

  test('given a rollback that ends while ecs-ship follows it, the summary shows the status the log ended with', async () => {
    world = await givenService({ circuitBreaker: { enable: true, rollback: true }, timing: { stabilizeMs: 1_500 } });
    serviceTasksOfRevision(2, { failToStart: 'ResourceInitializationError: unable to pull secrets or registry auth' });

    const run = await deploy(world);

    expect(run.code).toBe(1);
    expect(run.log).toMatch(/status ROLLBACK_SUCCESSFUL/);
    expect(run.summary).toMatch(/\(ECS: ROLLBACK_SUCCESSFUL\)/);
    expect(run.summary).not.toMatch(/\(ECS: ROLLBACK_IN_PROGRESS\)/);
  }, 30_000);
});

describe('ECS\'s deployment records are an extra, not a dependency', () => {
  test('given an UpdateService answer that names the new deployment\'s record, the deploy follows that record without listing the service\'s deployments', async () => {
    world = await givenService();

    const run = await deploy(world);

    expect(run.code).toBe(0);
    const current = world.sim.service('prod', 'web').currentServiceDeployment;
    expect(run.outputs['service-deployment-arn']).toBe(current);
    expect(world.sim.calls.filter((c) => c.action === 'ListServiceDeployments')).toEqual([]);
    expect(world.sim.calls.filter((c) => c.action === 'DescribeServiceDeployments').length).toBeGreaterThan(0);
  });

  test('given an endpoint whose record APIs answer 500 with a body that is not JSON, the deploy warns once, follows the deployment through DescribeServices and succeeds', async () => {
    world = await givenService();
    // The UpdateService answer names the deployment's record: DescribeServiceDeployments is the first record API
    // a deploy calls (moto 5.2.1 fails ListServiceDeployments this way); the SDK retries it first.
    world.sim.scenario.brokenActions = ['ListServiceDeployments', 'DescribeServiceDeployments'];

    // Fewer SDK attempts than ecs-ship's 10 keep the scenario quick (AWS_MAX_ATTEMPTS, the SDKs' own setting).
    const run = await deploy(world, {}, { env: { AWS_MAX_ATTEMPTS: '3' } });

    expect(run.code).toBe(0);
    expect(warnings(run)).toBe(
      "ECS's deployment records cannot be read here (ECS answered DescribeServiceDeployments with HTTP 500 and a body that is not an AWS answer); following deployments through DescribeServices alone.",
    );
    // The SDK retried it before ecs-ship gave up on the records.
    expect(world.sim.calls.filter((c) => c.action === 'DescribeServiceDeployments')).toHaveLength(3);
    expect(warnings(run).split('\n')).toHaveLength(1);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });
});

describe('bake-minutes', () => {
  test('given tasks that crash after their rolling deployment succeeded, bake-minutes catches the crash, rolls back and fails the deploy', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 1_500, exitCode: 1, containerReason: 'OOM on the first real request' });

    const run = await deploy(world, { 'bake-minutes': '0.1' });

    expect(run.code).toBe(1);
    expect(logIndex(run, /Deployment ecs-svc\/\d+ completed/)).toBeGreaterThan(0);
    expect(run.log).toMatch(/Baking deployment ecs-svc\/\d+ for 0.1 minutes \(bake-minutes\): watching its tasks\./);
    expect(failureMessage(run)).toMatch(/^Rollout failed: \d+ task\(s\) of deployment ecs-svc\/\d+ stopped abnormally during the 0.1-minute bake\. Rolled the service back to .*web:1/);
    expect(warnings(run)).toContain('OOM on the first real request');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given a deployment alarm with ECS rollback on that fires during the bake, the report says where the service runs, as ECS has it', async () => {
    world = await givenService({ deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } });
    world.sim.addAlarm('web-5xx');

    const run = await deploy(world, { 'bake-minutes': '0.1' }, { onSpawn: whenLogShows(/Baking deployment/, () => world.sim.setAlarm('web-5xx', 'ALARM')) });

    // ecs-ship's rollback to web:1 is itself a deployment the firing alarm fails, and ECS returns the service to web:2.
    expect(run.code).toBe(1);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
    const message = failureMessage(run);
    expect(message).not.toMatch(/Rolled the service back to/);
    expect(message).toMatch(/ecs-ship rolled back to .*web:1 with UpdateService, but ECS rolled that deployment back \(started by the alarm web-5xx\): the service runs .*web:2 now\./);
    expect(run.log).toMatch(/Rollout: deployment ecs-svc\/\d+ failed .*; ecs-ship's rollback to web:1 did not hold: the service runs web:2/);
    expect(run.log).toContain('Runs now: web:2 (read from ECS as the run ended)');
  });

  test('given a healthy revision and its deployment alarm OK, the bake passes and the deploy succeeds; an alarm in ALARM during the bake fails it', async () => {
    world = await givenService({ deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } });
    world.sim.addAlarm('web-5xx');

    const passed = await deploy(world, { 'bake-minutes': '0.02' });

    expect(passed.code).toBe(0);
    expect(passed.log).toMatch(/Bake of deployment ecs-svc\/\d+ passed: no task stopped abnormally and no alarm went into ALARM in 0.02 minutes\./);

    const failed = await deploy(world, { 'bake-minutes': '0.1', 'force-new-deployment': 'true' }, { onSpawn: whenLogShows(/Baking deployment/, () => world.sim.setAlarm('web-5xx', 'ALARM')) });

    expect(failed.code).toBe(1);
    expect(failureMessage(failed)).toMatch(/^Rollout failed: alarm web-5xx is in ALARM.* during the 0.1-minute bake\. Rolled the service back to .*web:2/);
  });
});
