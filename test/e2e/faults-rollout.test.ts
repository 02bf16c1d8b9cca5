// Issue 5, "Fail fast, explain, recover": the rollout phase under failing tasks, timeouts,
// someone else's deployment and cancellation. Each scenario checks the exit code, the message,
// the outputs, the ordered mutating calls and the task definition the service is left on.
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CLUSTER, HOTFIX_IMAGE, SERVICE, SOMEONE_ELSE, givenService, webTemplate, type World } from '../support/world';
import type { RunOptions } from '../support/harness';
import { deploy, failureMessage, logIndex, signalWhenCalled, signalWhenLogShows, warnings, type SignalPlan } from '../support/scenarios';

let world: World;
afterEach(async () => world?.close());

const REVISION = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${n}`;
const DEPLOYMENT_ID = /^ecs-svc\/\d+$/;
/** A service revision of web in prod, as a pattern. */
const SERVICE_REVISION = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/\\S+';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Service tasks of the given revision behave as scripted; everything else runs normally. */
function serviceTasksOfRevision(revision: number, script: object) {
  world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === revision ? script : {});
}

/** The service revision the run's message says the service went back to. */
const serviceRevision = (run: { log: string }) => /\(service revision (\S+)\)/.exec(run.log)?.[1] ?? 'none';

const updateServiceInputs = () => world.sim.calls.filter((c) => c.action === 'UpdateService' && !c.error).map((c) => c.input);

describe('a rollout whose tasks fail', () => {
  test('given the circuit breaker fails the rollout and rolls back, the deploy fails, says the circuit breaker rolled back, and does not roll back twice', async () => {
    // ECS takes a while to settle the rollback, so the failed deployment is still listed when ecs-ship looks.
    world = await givenService({ circuitBreaker: { enable: true, rollback: true }, timing: { stabilizeMs: 2_500 } });
    serviceTasksOfRevision(2, { failToStart: 'ResourceInitializationError: unable to pull secrets or registry auth' });

    const run = await deploy(world);

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toMatch(
      new RegExp(
        `^Rollout failed: ECS's record of deployment ${escape(id)} says ROLLBACK_(IN_PROGRESS|SUCCESSFUL): ECS deployment circuit breaker: tasks failed to start; ` +
          `circuit breaker triggered: \\d+ failed tasks \\(threshold 3\\)\\. ` +
          `ECS, started by the circuit breaker, rolled the service back to ${escape(world.initialArn)} \\(service revision ${SERVICE_REVISION}\\): the rollback completed and the service is stable\\.$`,
      ),
    );
    expect(warnings(run)).toMatch(new RegExp(`\\d+ task\\(s\\) of deployment ${escape(id)} stopped`));
    expect(warnings(run)).toContain('TaskFailedToStart, "ResourceInitializationError: unable to pull secrets or registry auth"');
    expect(warnings(run)).toContain("not rolling back again");
    expect(run.outputs['task-definition-arn']).toBe(REVISION(2));
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given crash-looping tasks and no circuit breaker, the deploy fails after max-task-failures, explains the stopped tasks, and rolls back itself', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1, containerReason: 'Error: Cannot find module /app/server.js' });

    // The wait would allow 10 minutes: the run must end on the failures, not on the timeout.
    const run = await deploy(world, { 'max-task-failures': '2', 'wait-timeout-minutes': '10' });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toMatch(
      new RegExp(
        `^Rollout failed: \\d+ tasks of deployment ${escape(id)} failed \\(limit 2\\)\\. ` +
          `ecs-ship stopped it with a rollback, and ECS rolled the service back to ${escape(world.initialArn)} \\(service revision ${SERVICE_REVISION}\\): the rollback completed and the service is stable\\.$`,
      ),
    );
    expect(failureMessage(run)).not.toMatch(/did not complete within/);
    expect(warnings(run)).toMatch(new RegExp(`\\d+ task\\(s\\) of deployment ${escape(id)} stopped`));
    expect(warnings(run)).toContain('EssentialContainerExited, "Essential container in task exited"');
    expect(warnings(run)).toContain('container web: exit code 1, reason "Error: Cannot find module /app/server.js"');
    expect(run.outputs['task-definition-arn']).toBe(REVISION(2));
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(updateServiceInputs().map((input) => input.taskDefinition)).toEqual([REVISION(2)]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  // DeploymentCircuitBreaker.resetOnHealthyTask (default true): a task that gets healthy resets ECS's failure
  // count, and a task that exits after it started is not counted (Deployment.failedTasks; the open
  // aws/containers-roadmap issue 1206): ECS's circuit breaker never trips on this crash loop.
  test('given an image that starts and crashes a moment later, with the circuit breaker on, ECS never trips it; max-task-failures fails the deploy and rolls back, explaining the crashes', async () => {
    world = await givenService({ circuitBreaker: { enable: true, rollback: true } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1, containerReason: 'Error: Cannot find module /app/server.js' });

    const run = await deploy(world, { 'max-task-failures': '3', 'wait-timeout-minutes': '10' });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(failureMessage(run)).toMatch(new RegExp(`^Rollout failed: \\d+ tasks of deployment ${escape(id)} failed \\(limit 3\\)\\. ecs-ship stopped it with a rollback`));
    expect(failureMessage(run)).not.toMatch(/circuit breaker/);
    expect(warnings(run)).toContain('container web: exit code 1, reason "Error: Cannot find module /app/server.js"');
    expect(world.sim.transitions.some((t) => t.kind === 'deployment-failed' && t.id === id)).toBe(false);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given crash-looping tasks, no circuit breaker and rollback false, the deploy fails and says the service was left on the new revision', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });

    const run = await deploy(world, { 'max-task-failures': '2', 'wait-timeout-minutes': '10', rollback: 'false' });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toMatch(
      new RegExp(`^Rollout failed: \\d+ tasks of deployment ${escape(id)} failed \\(limit 2\\)\\. rollback is false, so the service was left on ${escape(REVISION(2))}\\.$`),
    );
    expect(warnings(run)).toContain('container web: exit code 1');
    expect(run.outputs['task-definition-arn']).toBe(REVISION(2));
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });
  test('given tasks that crash-loop until the limit and then run, the read that sees COMPLETED with failures at the limit fails the deploy and rolls back', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    // The first two tasks of revision 2 crash; their replacements run, so ECS goes on to complete the deployment.
    let crashesLeft = 2;
    world.sim.scenario.task = (ctx) => {
      if (ctx.startedBy !== 'service' || ctx.taskDefinition.revision !== 2 || crashesLeft === 0) return {};
      crashesLeft--;
      return { runMs: 100, exitCode: 1, containerReason: 'Error: connection refused to db.prod.internal:5432' };
    };
    // ecs-ship's reads of the service fail (5xx) from its update until ECS has completed the deployment,
    // so the first answer it gets shows COMPLETED and failedTasks 2 together.
    const outageUntilCompleted: RunOptions['onSpawn'] = (_pid, output) => {
      const timer = setInterval(() => {
        const completed = world.sim.transitions.some((t) => t.kind === 'deployment-completed');
        if (completed) {
          world.sim.scenario = { ...world.sim.scenario, serverErrorRate: 0, faultActions: undefined };
          clearInterval(timer);
        } else if (/Updated service web to/.test(output()) && !world.sim.scenario.serverErrorRate) {
          world.sim.scenario = { ...world.sim.scenario, serverErrorRate: 1, faultActions: ['DescribeServices'] };
        }
      }, 5);
      timer.unref();
    };

    const run = await deploy(world, { 'max-task-failures': '2' }, { onSpawn: outageUntilCompleted });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    const completed = world.sim.transitions.find((t) => t.kind === 'deployment-completed' && t.id === id);
    expect(completed).toBeDefined();
    expect(failureMessage(run)).toBe(
      `Rollout failed: 2 tasks of deployment ${id} failed (limit 2). Rolled the service back to ${world.initialArn} (the rollback completed and the service is stable).`,
    );
    expect(run.log).not.toContain(`Deployment ${id} completed`);
    expect(warnings(run)).toContain('container web: exit code 1, reason "Error: connection refused to db.prod.internal:5432"');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(updateServiceInputs().map((input) => input.taskDefinition)).toEqual([REVISION(2), world.initialArn]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  }, 90_000);
});

describe('a rollout that never becomes stable', () => {
  test('given new tasks stuck in PENDING, the wait times out and the deploy rolls the service back', async () => {
    world = await givenService();
    serviceTasksOfRevision(2, { pendingMs: Infinity });

    const run = await deploy(world, { 'wait-timeout-minutes': '0.05' });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toBe(
      `Rollout failed: deployment ${id} did not complete within 0.05 minutes. ` +
        `ecs-ship stopped it with a rollback, and ECS rolled the service back to ${world.initialArn} (service revision ${serviceRevision(run)}): the rollback completed and the service is stable.`,
    );
    expect(run.log).toContain(`Deployment ${id}: running 0/2, pending 2, failed 0`);
    expect(run.outputs['task-definition-arn']).toBe(REVISION(2));
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(updateServiceInputs().map((input) => input.taskDefinition)).toEqual([REVISION(2)]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('a rollout ecs-ship cannot follow', () => {
  test('given DescribeServices denied once the service is updated, the deploy fails, says why, and rolls the service back', async () => {
    world = await givenService();
    serviceTasksOfRevision(2, { pendingMs: Infinity });
    const denyOnUpdate: RunOptions['onSpawn'] = (_pid, output) => {
      const timer = setInterval(() => {
        if (!/Updated service/.test(output())) return;
        clearInterval(timer);
        world.sim.scenario = { ...world.sim.scenario, deniedActions: ['DescribeServices'] };
      }, 10);
      timer.unref();
    };

    const run = await deploy(world, {}, { onSpawn: denyOnUpdate });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    const denied = 'is not authorized to perform: ecs:DescribeServices';
    expect(failureMessage(run)).toMatch(
      new RegExp(
        `^Rollout failed: ecs-ship could not follow deployment ${escape(id)} \\(ECS answered DescribeServices with AccessDeniedException: User: .*${escape(denied)}.*\\)\\. ` +
          `ecs-ship stopped it with a rollback, and ECS rolled the service back to ${escape(world.initialArn)} \\(service revision ${SERVICE_REVISION}\\): the rollback completed and the service is stable\\.$`,
      ),
    );
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(updateServiceInputs().map((input) => input.taskDefinition)).toEqual([REVISION(2)]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});

describe('a rollback AWS refuses', () => {
  test('given the rollback UpdateService denied, the deploy fails saying what AWS answered and that the service is left on the new revision', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });
    // The role may not stop deployments; the first UpdateService (ours) goes through, and from then on it may not update the service.
    world.sim.scenario.deniedActions = ['StopServiceDeployment'];
    const denyAfterFirstUpdate: RunOptions['onSpawn'] = () => {
      const timer = setInterval(() => {
        if (!world.sim.calls.some((c) => c.action === 'UpdateService')) return;
        clearInterval(timer);
        world.sim.scenario = { ...world.sim.scenario, deniedActions: ['StopServiceDeployment', 'UpdateService'] };
      }, 5);
      timer.unref();
    };

    const run = await deploy(world, { 'max-task-failures': '2' }, { onSpawn: denyAfterFirstUpdate });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(failureMessage(run)).toMatch(
      new RegExp(
        `^Rollout failed: \\d+ tasks of deployment ${escape(id)} failed \\(limit 2\\)\\. Rolling back to ${escape(world.initialArn)} failed too ` +
          `\\(ECS answered UpdateService with AccessDeniedException: User: .* is not authorized to perform: ecs:UpdateService .*\\): the service is on ${escape(REVISION(2))}\\.$`,
      ),
    );
    expect(updateServiceInputs().map((input) => input.taskDefinition)).toEqual([REVISION(2)]);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });
});

describe('a rollout that meets someone else', () => {
  test("given another deployment in progress, the deploy reports it, waits for it to complete, then runs its own", async () => {
    world = await givenService({ timing: { stabilizeMs: 2_000 } });
    const hotfixDefinition = webTemplate();
    hotfixDefinition.containerDefinitions[0].image = HOTFIX_IMAGE;
    hotfixDefinition.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
    const hotfix = world.sim.addTaskDefinition(hotfixDefinition);
    const ecs = new ECSClient({ endpoint: world.sim.url, region: 'us-east-1', credentials: SOMEONE_ELSE });
    const theirs = await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: hotfix }));
    ecs.destroy();
    const theirId = theirs.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;

    const run = await deploy(world);

    expect(run.code).toBe(0);
    expect(failureMessage(run)).toBe('');
    expect(warnings(run)).toBe(`Another deployment (${theirId}, ${hotfix}) is in progress on the service; waiting for it before starting ours.`);
    const theirsCompleted = logIndex(run, `(deployment ${theirId}) deployment completed.`);
    expect(theirsCompleted).toBeGreaterThan(logIndex(run, 'Another deployment'));
    expect(theirsCompleted).toBeLessThan(logIndex(run, 'Updated service web to'));
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(id).not.toBe(theirId);
    expect(run.log).toContain(`Deployment ${id} completed`);
    expect(run.outputs['task-definition-arn']).toBe(REVISION(3));
    expect(run.outputs['previous-task-definition-arn']).toBe(hotfix);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService', 'RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(REVISION(3));
  });
  test('given another UpdateService while our deployment rolls out, the deploy fails, says which deployment and revision superseded ours, and does not roll back', async () => {
    world = await givenService();
    const hotfixDefinition = webTemplate();
    hotfixDefinition.containerDefinitions[0].image = HOTFIX_IMAGE;
    hotfixDefinition.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
    const hotfix = world.sim.addTaskDefinition(hotfixDefinition);
    // Ours (revision 3) never gets its tasks running; someone else's update arrives meanwhile.
    serviceTasksOfRevision(3, { pendingMs: Infinity });
    let theirId = '';
    const theirUpdate: RunOptions['onSpawn'] = (_pid, output) => {
      const timer = setInterval(() => {
        if (!/Updated service web to/.test(output())) return;
        clearInterval(timer);
        const ecs = new ECSClient({ endpoint: world.sim.url, region: 'us-east-1', credentials: SOMEONE_ELSE });
        void ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: hotfix })).then((out) => {
          theirId = out.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
          ecs.destroy();
        });
      }, 10);
      timer.unref();
    };

    const run = await deploy(world, {}, { onSpawn: theirUpdate });

    expect(run.code).toBe(1);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(theirId).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toBe(
      `Rollout failed: deployment ${id} was superseded by deployment ${theirId} on ${hotfix}, started by another UpdateService while ours rolled out. ` +
        `The service is left on ${hotfix}: rolling back would undo that newer deployment.`,
    );
    expect(run.log).not.toMatch(/circuit breaker/i);
    expect(run.summary).toContain(`superseded by deployment ${theirId}`);
    expect(run.outputs['task-definition-arn']).toBe(REVISION(3));
    const ours = world.sim.calls.filter((c) => c.accessKeyId !== SOMEONE_ELSE.accessKeyId && ['RegisterTaskDefinition', 'UpdateService'].includes(c.action) && !c.error);
    expect(ours.map((c) => c.action)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(hotfix);
  });
});

describe('a deploy cancelled during the rollout', () => {
  test('given SIGINT while the deployment rolls out, the deploy exits 130 within 5 s, names the deployment in flight, and does not roll back', async () => {
    world = await givenService({ timing: { stabilizeMs: 3_600_000 } });
    const signal: SignalPlan = {};

    const run = await deploy(world, {}, { onSpawn: signalWhenLogShows(/Updated service web to .*: deployment ecs-svc\//, 'SIGINT', signal) });
    const exitedAt = Date.now();

    expect(signal.sentAt).toBeDefined();
    expect(exitedAt - signal.sentAt!).toBeLessThan(5_000);
    expect(run.code).toBe(130);
    const id = run.outputs['deployment-id'];
    expect(id).toMatch(DEPLOYMENT_ID);
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. In flight: deployment ${id} of service web is still rolling out in ECS.`);
    expect(run.outputs['task-definition-arn']).toBe(REVISION(2));
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(REVISION(2));
  });

  test('given SIGINT while UpdateService is sent and not answered yet, the deploy exits 130 and names the UpdateService in flight', async () => {
    world = await givenService();
    world.sim.scenario = { latencyMs: 6_000, faultActions: ['UpdateService'] };
    const signal: SignalPlan = {};

    const run = await deploy(world, {}, { onSpawn: signalWhenCalled(world.sim, 'UpdateService', 'SIGINT', signal) });

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    expect(failureMessage(run)).toBe(
      `Cancelled by SIGINT. In flight: UpdateService of service web to ${REVISION(2)} was sent and not answered yet, so the service may be starting a deployment of it.`,
    );
    expect(run.outputs['deployment-id']).toBe('');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  test('given SIGINT while ECS rolls back at ecs-ship\'s request (StopServiceDeployment), the deploy exits 130 and names that rollback in flight', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false }, timing: { stabilizeMs: 3_600_000 } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });
    const signal: SignalPlan = {};

    const run = await deploy(world, { 'max-task-failures': '2' }, { onSpawn: signalWhenLogShows(/Stopping deployment ecs-svc\/\d+ with a rollback/, 'SIGINT', signal) });

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    const id = run.outputs['deployment-id'];
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. In flight: the rollback ecs-ship asked for of deployment ${id} of service web (to ${world.initialArn}) is still rolling out in ECS.`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
  });

  test("given SIGINT while ecs-ship's own rollback rolls out, the deploy exits 130 and names the rollback deployment in flight", async () => {
    // The rollback's tasks run but the service never holds steady long enough for ECS to complete it.
    world = await givenService({ circuitBreaker: { enable: false, rollback: false }, timing: { stabilizeMs: 3_600_000 } });
    serviceTasksOfRevision(2, { runMs: 100, exitCode: 1 });
    // Without ECS's deployment records the rollback is an UpdateService to the previous revision.
    world.sim.scenario.unsupportedActions = ['ListServiceDeployments', 'DescribeServiceDeployments', 'StopServiceDeployment'];
    const signal: SignalPlan = {};

    const run = await deploy(world, { 'max-task-failures': '2' }, { onSpawn: signalWhenLogShows(/Updated service web to .*web:1: deployment ecs-svc\/\d+/, 'SIGINT', signal) });

    expect(signal.sentAt).toBeDefined();
    expect(run.code).toBe(130);
    const rollbackId = /Updated service web to .*web:1: deployment (ecs-svc\/\d+)/.exec(run.log)![1];
    expect(rollbackId).not.toBe(run.outputs['deployment-id']);
    expect(failureMessage(run)).toBe(`Cancelled by SIGINT. In flight: rollback deployment ${rollbackId} of service web (to ${world.initialArn}) is still rolling out in ECS.`);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});
