// A report that outlives the run: every run (deploy, run, rollback…) writes a JSON report (report-file;
// by default RUNNER_TEMP on GitHub, the shared storage dir in the Pipe; on the CLI only where asked), its
// path is an output, and it keeps what ECS forgets within the hour: why the tasks stopped and what they
// said last.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runPipe, tempDir } from '../support/harness';
import { deploy, IMAGE } from '../support/scenarios';
import { CLUSTER, givenService, SERVICE, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('the report file', () => {
  test('given a new revision whose tasks crash, the failed deploy\'s report holds the stopped tasks\' reasons and last log lines, the deployment followed and where the service ended up', async () => {
    world = await givenService({ circuitBreaker: { enable: false, rollback: false } });
    const crash = { runMs: 100, exitCode: 1, containerReason: 'Error: Cannot find module /app/server.js', logLines: ['booting web', 'FATAL: DATABASE_URL is not set'] };
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? crash : {});

    const run = await deploy(world, { 'max-task-failures': '2', 'wait-timeout-minutes': '10' });

    expect(run.code).toBe(1);
    const path = run.outputs['report-file'];
    expect(path).toMatch(/ecs-ship-report-.*\.json$/);
    const report = readReport(path);
    expect(report).toMatchObject({ tool: 'ecs-ship', verb: 'deploy', outcome: 'failed', exitCode: 1, reportVersion: 1 });
    expect(report.message).toMatch(/^Rollout failed: \d+ tasks of deployment/);
    const [service] = report.services;
    expect(service).toMatchObject({ name: SERVICE, cluster: CLUSTER, previousTaskDefinitionArn: world.initialArn, deployment: { deploymentId: run.outputs['deployment-id'], state: 'FAILED' } });
    expect(service.stoppedTasks.length).toBeGreaterThanOrEqual(2);
    const [stopped] = service.stoppedTasks;
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', taskArn: expect.stringContaining(':task/prod/') });
    expect(stopped.containers.find((c: { name: string }) => c.name === 'web')).toMatchObject({
      exitCode: 1,
      reason: 'Error: Cannot find module /app/server.js',
      lastLogLines: ['booting web', 'FATAL: DATABASE_URL is not set'],
    });
    // Where the service is: read from ECS as the failed run ended, back on the revision it ran.
    expect(service.finalState).toMatchObject({ taskDefinition: world.initialArn, readFromEcs: true });
    expect(report.changes.map((c: { action: string }) => c.action)).toEqual(expect.arrayContaining(['RegisterTaskDefinition', 'UpdateService']));
    expect(report.request.services[0].inputs).toMatchObject({ cluster: CLUSTER, service: SERVICE, vars: ['DB_HOST'] });
  });

  test('given a migration that exits 3, the report holds its exit code and its last log lines, and the service was not updated', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 200, exitCode: 3, logLines: ['migrating orders', 'ERROR: relation "orders" already exists'] } : {});

    const run = await deploy(world, { 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    const [service] = readReport(run.outputs['report-file']).services;
    expect(service.migration).toMatchObject({ result: 'failed', exitCode: 3, logTail: ['migrating orders', 'ERROR: relation "orders" already exists'] });
    expect(service.deployment).toBeUndefined();
    expect(service.finalState).toMatchObject({ taskDefinition: world.initialArn });
  });

  test('a successful deploy writes one too, where report-file says, with the plan it carried out; the CLI writes none unless asked', async () => {
    world = await givenService();
    const dir = tempDir();
    const path = join(dir, 'reports', 'deploy.json');
    const base = ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db.prod.internal'];

    const asked = await runCli([...base, '--report-file', 'reports/deploy.json'], { endpoint: world.sim.url, cwd: dir });
    expect(asked.code).toBe(0);
    expect(asked.outputs['report-file']).toBe(path);
    const report = readReport(path);
    expect(report).toMatchObject({ outcome: 'deployed', exitCode: 0 });
    expect(report.plan.map((c: { action: string }) => c.action)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(report.changes.map((c: { action: string }) => c.action)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(report.services[0]).toMatchObject({ deployment: { state: 'COMPLETED' }, finalState: { taskDefinition: asked.outputs['task-definition-arn'], readFromEcs: false } });

    const unasked = await runCli(base, { endpoint: world.sim.url, cwd: dir });
    expect(unasked.code).toBe(0);
    expect(unasked.outputs['report-file']).toBeUndefined();
    expect(readReport(path).startedAt).toBe(report.startedAt);
  });

  test("the Pipe writes it to the shared storage directory; an input error's report says why the run stopped", async () => {
    world = await givenService();
    const run = await runPipe({ CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate()), VARS: 'DB_HOST=db', WAIT_TIMEOUT_MINUTES: 'soon' }, { endpoint: world.sim.url });

    expect(run.code).toBe(2);
    const path = run.outputs['report-file'];
    expect(path).toMatch(/shared\/ecs-ship\/report\.json$/);
    expect(existsSync(path)).toBe(true);
    expect(readReport(path)).toMatchObject({ outcome: 'failed', exitCode: 2, message: expect.stringMatching(/WAIT_TIMEOUT_MINUTES/) });
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('a rollback writes one too: its verb, what it changed, and where the service ended up', async () => {
    world = await givenService();
    const deployed = await deploy(world);
    expect(deployed.code).toBe(0);
    const path = join(tempDir(), 'rollback.json');

    const rolledBack = await runCli(['rollback', '--cluster', CLUSTER, '--service', SERVICE, '--report-file', path], { endpoint: world.sim.url });

    expect(rolledBack.code).toBe(0);
    const report = readReport(path);
    expect(report).toMatchObject({ verb: 'rollback', outcome: 'deployed', exitCode: 0 });
    expect(report.services[0].finalState).toMatchObject({ taskDefinition: world.initialArn });
    expect(report.changes).toEqual([expect.objectContaining({ action: 'UpdateService' })]);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });
});
