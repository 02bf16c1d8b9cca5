// keep-revisions: after a successful deploy, the family's old ACTIVE revisions go — never one in use.
import { appConfig, givenApp, serviceTemplate, type AppWorld } from '../support/app-world';
import { runAction } from '../support/harness';
import { deploy, failureMessage, warnings } from '../support/scenarios';
import { CLUSTER, INITIAL_IMAGE, NETWORK, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const arnOf = (key: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${key}`;
const statuses = (family = 'web') => world.sim.taskDefinitions(family).map((d) => `${d.revision} ${d.status}`);

/**
 * Given the service "web" on web:1, revisions web:2 to web:5 registered since (never deployed to it),
 * service "api" of the same cluster on web:2, and a family "web-worker" that familyPrefix "web" could match.
 * The deploy registers web:6.
 */
async function givenSixRevisions(): Promise<void> {
  world = await givenService();
  for (let i = 2; i <= 5; i++) {
    const definition = webTemplate();
    definition.containerDefinitions[0].image = INITIAL_IMAGE;
    world.sim.addTaskDefinition(definition);
  }
  const worker = webTemplate();
  worker.family = 'web-worker';
  worker.containerDefinitions[0].image = INITIAL_IMAGE;
  world.sim.addTaskDefinition(worker);
  world.sim.addService({ cluster: CLUSTER, name: 'api', taskDefinition: arnOf('web:2'), desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK });
}

describe('keep-revisions after a deploy', () => {
  test('given six revisions and keep-revisions 2, the newest two, the rollback target and the one service api runs stay; the rest are deregistered', async () => {
    await givenSixRevisions();
    const run = await deploy(world, { 'keep-revisions': '2' });

    expect(run.code).toBe(0);
    expect(run.outputs['task-definition-arn']).toBe(arnOf('web:6'));
    expect(statuses()).toEqual(['1 ACTIVE', '2 ACTIVE', '3 INACTIVE', '4 INACTIVE', '5 ACTIVE', '6 ACTIVE']);
    expect(statuses('web-worker')).toEqual(['1 ACTIVE']);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'DeregisterTaskDefinition', 'DeregisterTaskDefinition']);
    expect(run.log).toContain('Deregistered web:4');
    expect(run.log).toContain('Revisions of family "web": deregistered web:4, web:3.');
    expect(run.log).toContain('Kept the newest 2 (web:6, web:5), and in use:');
    expect(run.log).toContain('web:2: service api runs it');
    expect(run.log).toContain('web:1: what a rollback would go back to');
    expect(run.summary).toContain('| Revisions | deregistered web:4, web:3 (keeping the newest 2); kept in use: web:2 (service api runs it), web:1 (what a rollback would go back to) |');
    expect(warnings(run)).toBe('');
  });

  test('given a Scheduler schedule that runs web:3 and scheduled-tasks off, pruning keeps web:3; without the permission to look schedules up, nothing is deregistered', async () => {
    await givenSixRevisions();
    const ecsParameters = { TaskDefinitionArn: arnOf('web:3'), LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-0a1b2c'] } } };
    world.sim.addSchedule({ Name: 'nightly', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', RoleArn: 'arn:aws:iam::123456789012:role/scheduler', EcsParameters: ecsParameters } });
    const plan = await deploy(world, { 'keep-revisions': '2', 'dry-run': 'true' });

    expect(plan.log).toContain('a real run would deregister: web:4.');
    expect(plan.log).toContain('web:3: Scheduler schedule default/nightly runs it');

    const run = await deploy(world, { 'keep-revisions': '2' });

    expect(run.code).toBe(0);
    expect(statuses()).toEqual(['1 ACTIVE', '2 ACTIVE', '3 ACTIVE', '4 INACTIVE', '5 ACTIVE', '6 ACTIVE']);
    expect(run.log).toContain('web:3: Scheduler schedule default/nightly runs it');

    world.sim.scenario.deniedActions = ['ListSchedules'];
    const denied = await deploy(world, { 'keep-revisions': '1', 'force-new-deployment': 'true' });

    expect(denied.code).toBe(0);
    expect(warnings(denied)).toMatch(/keep-revisions: the scheduled tasks that may run family "web" could not be looked up \(.*AccessDeniedException.*\); no revision is deregistered\./);
    expect(statuses()).toEqual(['1 ACTIVE', '2 ACTIVE', '3 ACTIVE', '4 INACTIVE', '5 ACTIVE', '6 ACTIVE']);
  });

  test('given more services than one page and one DescribeServices batch hold, the revision the last of them runs is kept too', async () => {
    await givenSixRevisions();
    for (let i = 1; i <= 11; i++) {
      const taskDefinition = i === 11 ? arnOf('web:3') : arnOf('web:5');
      world.sim.addService({ cluster: CLUSTER, name: `worker-${String(i).padStart(2, '0')}`, taskDefinition, desiredCount: 0, launchType: 'FARGATE', networkConfiguration: NETWORK });
    }
    const run = await deploy(world, { 'keep-revisions': '2' });

    expect(run.code).toBe(0);
    expect(statuses()).toEqual(['1 ACTIVE', '2 ACTIVE', '3 ACTIVE', '4 INACTIVE', '5 ACTIVE', '6 ACTIVE']);
    expect(run.log).toContain('web:3: service worker-11 runs it');
    expect(world.sim.calls.filter((call) => call.action === 'ListServices').length).toBeGreaterThan(1);
  });

  test('given a migration that fails, the deploy fails and no revision is deregistered', async () => {
    await givenSixRevisions();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { exitCode: 1, runMs: 50 } : {});
    const run = await deploy(world, { 'keep-revisions': '2', 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    expect(world.sim.mutatingCalls()).not.toContain('DeregisterTaskDefinition');
    expect(statuses().filter((s) => s.endsWith('INACTIVE'))).toEqual([]);
  });

  test('given a role that may not deregister, each revision it could not deregister is a warning, and the deploy exits 0', async () => {
    await givenSixRevisions();
    world.sim.scenario.deniedActions = ['DeregisterTaskDefinition'];
    const run = await deploy(world, { 'keep-revisions': '2' });

    expect(run.code).toBe(0);
    expect(world.serviceTaskDefinition()).toBe(arnOf('web:6'));
    for (const key of ['web:4', 'web:3']) expect(warnings(run)).toMatch(new RegExp(`keep-revisions: could not deregister ${key}: ECS answered DeregisterTaskDefinition with AccessDeniedException`));
    expect(statuses().filter((s) => s.endsWith('INACTIVE'))).toEqual([]);
    expect(run.summary).toContain('could not deregister: web:4, web:3');
  });

  test('given a role that may not list the services, nothing is deregistered (what is in use is unknown), with a warning, exit 0', async () => {
    await givenSixRevisions();
    world.sim.scenario.deniedActions = ['ListServices'];
    const run = await deploy(world, { 'keep-revisions': '2' });

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain('keep-revisions: could not find out which revisions are in use (ECS answered ListServices with AccessDeniedException');
    expect(world.sim.mutatingCalls()).not.toContain('DeregisterTaskDefinition');
  });

  test('the dry run lists what a real run would deregister, and changes nothing', async () => {
    await givenSixRevisions();
    const run = await deploy(world, { 'keep-revisions': '2', 'dry-run': 'true' });

    expect(run.code).toBe(0);
    expect(run.log).toContain('After a successful deploy (keep-revisions: 2), a real run would deregister: web:4, web:3.');
    expect(run.log).toContain('Kept the newest 2 (web:5), and in use:');
    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(statuses().filter((s) => s.endsWith('INACTIVE'))).toEqual([]);
  });

  test('given keep-revisions 0, the run fails with exit 2 naming it, before any AWS call', async () => {
    world = await givenService();
    const run = await deploy(world, { 'keep-revisions': '0' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('keep-revisions: expected a whole number of 1 or more, got "0".');
    expect(world.sim.calls).toEqual([]);
  });
});

describe('keep-revisions in a whole app whose services share a family', () => {
  test('given web and worker on one family, each service\'s pruning keeps the other\'s rollback target: both services can still roll back', async () => {
    const app: AppWorld = await givenApp();
    world = app;
    for (const name of ['web', 'worker']) {
      const template = serviceTemplate(name);
      template.family = 'shared';
      app.writeTemplate(template, `${name}.json`);
    }
    const deployApp = (dbHost: string, extra: Record<string, unknown> = {}) => {
      app.writeConfig(appConfig({ vars: { DB_HOST: dbHost }, ...extra }));
      return runAction({ services: 'web,worker' }, { endpoint: app.sim.url, cwd: app.dir });
    };
    // web → shared:1, worker → shared:2; then web → shared:3, worker → shared:4, keeping the newest one.
    expect((await deployApp('db-1.internal')).code).toBe(0);
    const run = await deployApp('db-2.internal', { 'keep-revisions': 1 });

    expect(run.code).toBe(0);
    expect(app.taskDefinitionOf('web')).toBe(arnOf('shared:3'));
    expect(app.taskDefinitionOf('worker')).toBe(arnOf('shared:4'));
    // shared:1 is web's rollback target, shared:2 worker's: neither goes.
    expect(statuses('shared')).toEqual(['1 ACTIVE', '2 ACTIVE', '3 ACTIVE', '4 ACTIVE']);
    expect(run.log).toMatch(/what a rollback of worker would go back to/);
  }, 90_000);
});
