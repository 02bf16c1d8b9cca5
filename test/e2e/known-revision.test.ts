// task-definition-arn: an existing revision deployed as it is (the hand rollback, the promotion of a tested revision).
import { DeregisterTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runAction, runCli, type RunResult } from '../support/harness';
import { deploy, failureMessage } from '../support/scenarios';
import { CLUSTER, INITIAL_IMAGE, REGISTRY, REPOSITORY, SERVICE, SOMEONE_ELSE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const TESTED_IMAGE = `${REGISTRY}/${REPOSITORY}:v2`;

/** A revision of `family` that runs the v2 image, registered by someone else (a test stage, say). */
function givenRevision(family = 'web', image = TESTED_IMAGE): string {
  const definition = webTemplate();
  definition.family = family;
  definition.containerDefinitions[0].image = image;
  definition.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.tested.internal' }];
  return world.sim.addTaskDefinition(definition);
}

function deployRevision(reference: string, extra: Record<string, string> = {}): Promise<RunResult> {
  return runAction({ cluster: CLUSTER, service: SERVICE, 'task-definition-arn': reference, ...extra }, { endpoint: world.sim.url });
}

const runTaskInputs = () => world.sim.calls.filter((c) => c.action === 'RunTask').map((c) => c.input);

describe('deploying a known revision', () => {
  test('given a tested revision web:2, it is deployed as it is: nothing registered, the migration runs with it, the service completes on it', async () => {
    world = await givenService();
    const tested = givenRevision();
    const run = await deployRevision(tested, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['RunTask', 'UpdateService']);
    expect(world.sim.taskDefinitions('web')).toHaveLength(2);
    expect(world.serviceTaskDefinition()).toBe(tested);
    const [runTask] = runTaskInputs();
    expect(runTask.taskDefinition).toBe(tested);
    expect(runTask.overrides.containerOverrides).toEqual([{ name: 'web', command: ['bin/migrate'] }]);
    expect(run.outputs['task-definition-arn']).toBe(tested);
    expect(run.outputs['previous-task-definition-arn']).toBe(world.initialArn);
    expect(run.outputs.image).toBe(TESTED_IMAGE);
    expect(run.outputs['migration-exit-code']).toBe('0');
    expect(run.log).toContain(`Deploying the existing revision ${tested} as it is: nothing is built, rendered or registered.`);
    expect(run.summary).toContain('| Task definition | web:2 (existing revision, deployed as it is)');
  });

  test('given a deploy of web:2, the hand rollback to "web:1" (family:revision) puts the service back without registering', async () => {
    world = await givenService();
    const first = await deploy(world);
    expect(first.code).toBe(0);
    const registeredBefore = world.sim.mutatingCalls().filter((action) => action === 'RegisterTaskDefinition').length;

    const run = await deployRevision('web:1');

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls().filter((action) => action === 'RegisterTaskDefinition')).toHaveLength(registeredBefore);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    expect(run.outputs['task-definition-arn']).toBe(world.initialArn);
    expect(run.outputs.image).toBe(INITIAL_IMAGE);
  });

  test("given a revision of another family (staging's), the promotion is deployed and the log says the family changes", async () => {
    world = await givenService();
    const staging = givenRevision('web-staging');
    const run = await deployRevision(staging);

    expect(run.code).toBe(0);
    expect(world.serviceTaskDefinition()).toBe(staging);
    expect(run.log).toContain(`${staging} is of family "web-staging", the service runs family "web": the service moves to family "web-staging".`);
  });

  test("given keep-revisions with a promotion from another family, that family's revisions are left alone and the log says why", async () => {
    world = await givenService();
    givenRevision('web-staging');
    const promoted = givenRevision('web-staging');
    const run = await deployRevision(promoted, { 'keep-revisions': '1' });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService']);
    expect(run.log).toContain('keep-revisions: the service moved from family "web" to "web-staging", whose old revisions another pipeline may need, so none was deregistered.');
  });

  test('given a revision that does not exist, the run fails with exit 2 naming task-definition-arn, before any change', async () => {
    world = await givenService();
    const run = await deployRevision('web:9', { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('task-definition-arn: "web:9" was not found');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given an INACTIVE (deregistered) revision, the run fails with exit 2 saying so, before any change', async () => {
    world = await givenService();
    const old = givenRevision();
    const ecs = new ECSClient({ endpoint: world.sim.url, region: 'us-east-1', credentials: SOMEONE_ELSE });
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: old }));
    ecs.destroy();
    const changesBefore = world.sim.mutatingCalls().length;

    const run = await deployRevision(old);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toMatch(new RegExp(`task-definition-arn: "${old}" is INACTIVE since .* \\(deregistered\\): ECS starts no task of it\\. Expected an ACTIVE revision\\.`));
    expect(world.sim.mutatingCalls().slice(changesBefore)).toEqual([]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('given inputs that build or render, the run fails with exit 2 naming each with task-definition-arn, before any AWS call', async () => {
    world = await givenService();
    const run = await deployRevision('web:1', { image: TESTED_IMAGE, 'task-definition': world.writeTemplate(webTemplate()), vars: 'DB_HOST=db', 'container-name': 'web' });

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    for (const input of ['image', 'task-definition', 'vars', 'container-name']) {
      expect(message).toContain(`task-definition-arn: the existing revision is deployed as it is, so ${input} (which`);
      expect(message).toContain(`Leave out ${input} or task-definition-arn.`);
    }
    expect(world.sim.calls).toEqual([]);
  });

  test('given something that is not a revision (a family without a revision number), it is refused by name, before any AWS call', async () => {
    world = await givenService();
    const run = await deployRevision('web');

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('task-definition-arn: "web" is not a task definition revision. Expected arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION or FAMILY:REVISION.');
    expect(world.sim.calls).toEqual([]);
  });

  test('given a revision whose image is not in ECR, verification finds it before any change', async () => {
    world = await givenService();
    const broken = givenRevision('web', `${REGISTRY}/${REPOSITORY}:v9`);
    const run = await deployRevision(broken);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`container "web" image: ${REGISTRY}/${REPOSITORY}:v9 is not in ECR`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('the dry run shows the diff from the running revision to the given one, and changes nothing', async () => {
    world = await givenService();
    const tested = givenRevision();
    const run = await deployRevision(tested, { 'dry-run': 'true', 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(0);
    expect(run.log).toContain(`Task definition, running (-) against ${tested} (+):`);
    expect(run.log).toMatch(/-.*db\.internal/);
    expect(run.log).toMatch(/\+.*db\.tested\.internal/);
    expect(run.log).toContain(`1. deploy the existing revision ${tested} as it is (no build, no render, no registration)`);
    expect(run.log).toContain('run the migration ["bin/migrate"] in container "web"');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('redeploying what runs', () => {
  test('given one service and no config file, redeploy starts a new deployment of the revision it runs: no image, no registration, no migration', async () => {
    world = await givenService();
    const run = await runCli(['redeploy', '--cluster', CLUSTER, '--service', SERVICE], { endpoint: world.sim.url });

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService']);
    const update = world.sim.calls.find((c) => c.action === 'UpdateService')!.input as { taskDefinition: string; forceNewDeployment: boolean };
    expect(update).toMatchObject({ taskDefinition: world.initialArn, forceNewDeployment: true });
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    expect(run.outputs['task-definition-arn']).toBe(world.initialArn);
    expect(run.log).toMatch(/web:1 \(the revision it ran, redeployed\)/);
  }, 30_000);
});
