// The deploy's outcome decides the exit code: a job summary, an outputs file or a report file that cannot be
// written is a warning that names what was lost, never a failed deploy.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION, NODE24, runPipe, TEST_CREDENTIALS } from '../support/harness';
import { simulatorEnv } from '../support/simulator-env';
import { deploy, failureMessage, IMAGE, warnings } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const OUTPUT_NAMES = 'image, image-digest, task-definition-arn, previous-task-definition-arn, deployment-id, service-deployment-arn';
/** On GitHub the report goes to RUNNER_TEMP, which is there: its path is among the outputs lost. */
const GITHUB_OUTPUT_NAMES = `${OUTPUT_NAMES}, report-file`;

describe('GitHub', () => {
  test('given GITHUB_OUTPUT in a directory that does not exist, the deploy exits 0 and a warning names the outputs not set', async () => {
    world = await givenService();
    const run = await deploy(world, {}, { env: { GITHUB_OUTPUT: join(world.dir, 'gone', 'output') } });

    expect(run.code).toBe(0);
    expect(world.serviceTaskDefinition()).toMatch(/web:2$/);
    expect(failureMessage(run)).toBe('');
    expect(warnings(run)).toContain(`Could not write the step outputs (${GITHUB_OUTPUT_NAMES}) to ${join(world.dir, 'gone', 'output')}`);
  });

  test('given a report-file that cannot be written (its directory is a file), the deploy exits 0 and a warning names report-file', async () => {
    world = await givenService();
    writeFileSync(join(world.dir, 'taken'), '');
    const run = await deploy(world, { 'report-file': join(world.dir, 'taken', 'report.json') });

    expect(run.code).toBe(0);
    expect(world.serviceTaskDefinition()).toMatch(/web:2$/);
    expect(warnings(run)).toMatch(/Could not write the report to \S+taken\/report\.json \(report-file\): .*The log has the same account\./);
    expect(run.outputs['report-file']).toBe('');
  });

  test('given GITHUB_STEP_SUMMARY that is a directory, the deploy exits 0 and a warning says the job summary was not written', async () => {
    world = await givenService();
    const summary = join(world.dir, 'summary-dir');
    mkdirSync(summary);
    const run = await deploy(world, {}, { env: { GITHUB_STEP_SUMMARY: summary } });

    expect(run.code).toBe(0);
    expect(failureMessage(run)).toBe('');
    expect(warnings(run)).toMatch(/^Could not write the job summary/m);
    expect(run.outputs['task-definition-arn']).toBe(world.serviceTaskDefinition());
  });

  test('given a failed deploy and an unwritable outputs file, the run still exits 1 with the reason of the failure', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { exitCode: 3, runMs: 30 } : {});
    const run = await deploy(world, { 'migration-command': 'bin/migrate' }, { env: { GITHUB_OUTPUT: join(world.dir, 'gone', 'output') } });

    expect(run.code).toBe(1);
    expect(failureMessage(run)).toMatch(/^Migration failed: container "web" exited with code 3/);
    expect(warnings(run)).toContain('Could not write the step outputs');
  });
});

describe('the Bitbucket Pipe', () => {
  test('given a shared storage dir that is a file, the deploy exits 0 with its ✔ line and a warning names the outputs not written', async () => {
    world = await givenService();
    const shared = join(world.dir, 'shared-is-a-file');
    writeFileSync(shared, '');
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate()), VARS: 'DB_HOST=db' },
      { endpoint: world.sim.url, env: { BITBUCKET_PIPE_SHARED_STORAGE_DIR: shared } },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✔ Deployed ${IMAGE} to ${SERVICE}.`);
    expect(run.stdout).toContain(`WARNING: Could not write the pipe outputs (${OUTPUT_NAMES}) to ${shared}/ecs-ship/outputs.json: ENOTDIR`);
  });
});

describe('the CLI', () => {
  /** Runs the CLI with its stdout closed by the reader from the start, as `ecs-ship deploy … | head -0` does. */
  function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(NODE24, [ACTION, ...args], { env: simulatorEnv(world.dir, world.sim.url, TEST_CREDENTIALS), cwd: world.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  test('given a stdout nobody reads any more, a deploy that succeeded exits 0 and says on stderr that the outputs were not written', async () => {
    world = await givenService();
    const run = await runWithClosedStdout(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db']);

    expect(run.stderr).toContain('✔ Deployed.');
    expect(run.stderr).toContain('Could not write the outputs (image, image-digest, task-definition-arn, previous-task-definition-arn, deployment-id, service-deployment-arn) to stdout: ');
    expect(run.code).toBe(0);
    expect(world.serviceTaskDefinition()).toMatch(/web:2$/);
  });
});
