// `ecs-ship run [SERVICE] -- COMMAND [ARGS…]`: a one-off task from the service's revision, with its network,
// launch type and platform version; the log streams live, the container's exit code is an output, and a
// non-zero exit, a task that never starts or a timeout fails the step; a cancel stops the task.
import { readFileSync } from 'node:fs';
import { appConfig, givenApp } from '../support/app-world';
import { runAction, runCli, runPipe, type RunOptions, type RunResult } from '../support/harness';
import { signalWhenLogShows, type SignalPlan } from '../support/scenarios';
import { runOneOff, runTaskCallsOf, scriptOneOffs } from '../support/one-off';
import { CLUSTER, givenService, INITIAL_IMAGE, NETWORK, SERVICE, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const run = (args: string[], options: Partial<RunOptions> = {}): Promise<RunResult> => runOneOff(world, args, options);
const runTaskCalls = () => runTaskCallsOf(world);
const oneOff = (script: object) => scriptOneOffs(world, script);

describe('ecs-ship run', () => {
  test('given a service on revision 1, `ecs-ship run web -- rake db:seed` exits 0, the log shows the task\'s output, and the task took the service\'s settings', async () => {
    world = await givenService();
    oneOff({ runMs: 300, exitCode: 0, logLines: ['seeding 12 products', 'seeded'] });

    const result = await run(['--', 'rake', 'db:seed', 'RAILS_ENV=production']);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/│ seeding 12 products\n.*│ seeded/s);
    expect(result.outputs['exit-code']).toBe('0');
    expect(result.outputs['task-arns']).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/);
    expect(result.stderr).toContain(`✔ Task ${result.outputs['task-arns']} of service web exited 0.`);
    const [input] = runTaskCalls();
    expect(input).toMatchObject({
      taskDefinition: world.initialArn,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: NETWORK,
      count: 1,
      group: 'ecs-ship-run:web',
      overrides: { containerOverrides: [{ name: 'web', command: ['rake', 'db:seed', 'RAILS_ENV=production'] }] },
    });
    expect(world.sim.mutatingCalls()).toEqual(['RunTask']);
  });

  test('a command that exits 3 fails the step (exit 1) naming the container and the code; the exit-code output is 3 and the log\'s last lines are in the message', async () => {
    world = await givenService();
    oneOff({ runMs: 200, exitCode: 3, logLines: ['crawling shop.example', 'ERROR: 503 from shop.example'] });

    const result = await run(['--', 'bin/crawl']);

    expect(result.code).toBe(1);
    expect(result.outputs['exit-code']).toBe('3');
    expect(result.stderr).toMatch(/✖ The task failed: container "web" exited with code 3 \(stopCode EssentialContainerExited.*\)\.\nLast lines of the task log:\n {2}crawling shop\.example\n {2}ERROR: 503 from shop\.example/);
  });

  test('a task that never starts fails the step saying why; so does one RunTask cannot place', async () => {
    world = await givenService();
    oneOff({ failToStart: 'CannotPullContainerError: pull access denied for web' });
    const never = await run(['--', 'bin/crawl']);
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/✖ One-off task failed to start \(stopCode TaskFailedToStart, stoppedReason "CannotPullContainerError: pull access denied for web"/);
    expect(never.outputs['exit-code']).toBeUndefined();

    world.sim.scenario.runTaskFailures = [{ reason: 'RESOURCE:CAPACITY', arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/none' }];
    const unplaced = await run(['--', 'bin/crawl']);
    expect(unplaced.code).toBe(1);
    expect(unplaced.stderr).toContain('✖ One-off task could not be started: RESOURCE:CAPACITY');
  });

  test('a task that outlives task-timeout-minutes is stopped and fails the step', async () => {
    world = await givenService();
    oneOff({ runMs: 600_000, logLines: ['waiting for the lock'] });

    const result = await run(['--task-timeout-minutes', '0.05', '--', 'bin/etl']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✖ The task timed out after 0\.05 minutes; the task was stopped \(arn:aws:ecs:[^)]+\)\./);
    expect(world.sim.mutatingCalls()).toEqual(['RunTask', 'StopTask']);
    expect(world.sim.tasks(CLUSTER).find((task) => task.startedBy === 'ecs-ship')?.stoppedReason).toBe('ecs-ship: the task timed out after 0.05 minutes');
  });

  test('a cancel stops the task (stop-task-on-cancel defaults to true) and says so; exit 130', async () => {
    world = await givenService();
    oneOff({ runMs: 600_000, logLines: ['working'] });
    const plan: SignalPlan = {};

    const result = await run(['--', 'bin/etl'], { onSpawn: signalWhenLogShows(/Started one-off task/, 'SIGINT', plan) });

    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/✖ Cancelled by SIGINT\. Task arn:aws:ecs:\S+ was stopped \(--stop-task-on-cancel\)\./);
    expect(world.sim.mutatingCalls()).toEqual(['RunTask', 'StopTask']);
  });

  test('--env-var, --task-cpu, --task-memory and --count reach RunTask; both tasks are waited for', async () => {
    world = await givenService();
    oneOff({ runMs: 150, exitCode: 0 });

    const result = await run(['--env-var', 'BATCH=7', '--env-var', 'SOURCE=feed', '--task-cpu', '512', '--task-memory', '1024', '--count', '2', '--', 'bin/import']);

    expect(result.code).toBe(0);
    expect(result.outputs['task-arns'].split(',')).toHaveLength(2);
    expect(world.sim.tasks(CLUSTER).filter((task) => task.group === 'ecs-ship-run:web').map((task) => task.lastStatus)).toEqual(['STOPPED', 'STOPPED']);
    expect(runTaskCalls()[0]).toMatchObject({
      count: 2,
      overrides: { cpu: '512', memory: '1024', containerOverrides: [{ name: 'web', command: ['bin/import'], environment: [{ name: 'BATCH', value: '7' }, { name: 'SOURCE', value: 'feed' }] }] },
    });
  });

  test('bad input is refused before any AWS change, each problem naming its input (exit 2)', async () => {
    world = await givenService();
    const noCommand = await run([]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('--task-command: required: the command the task runs.');

    const badContainer = await run(['--container', 'wbe', '--', 'bin/x']);
    expect(badContainer.code).toBe(2);
    expect(badContainer.stderr).toMatch(/--container: no container named "wbe" in the task definition\. Did you mean "web"\?/);

    const tooMany = await run(['--count', '11', '--', 'bin/x']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('--count: at most 10 tasks a run');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('in a config file, SERVICE is a service of the app and its environment\'s settings apply', async () => {
    const app = await givenApp();
    world = app;
    oneOff({ runMs: 150, exitCode: 0, logLines: ['rebuilt the search index'] });
    app.writeConfig(appConfig({ cluster: undefined, environments: { prod: { cluster: CLUSTER } } }));

    const result = await runCli(['run', 'worker', '--env', 'prod', '--', 'bin/reindex'], { endpoint: world.sim.url, cwd: world.dir });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('│ rebuilt the search index');
    expect(runTaskCalls()[0]).toMatchObject({ taskDefinition: app.initial.worker, overrides: { containerOverrides: [{ name: 'worker', command: ['bin/reindex'] }] } });
  });

  test('on GitHub (command: run, task-command) and in the Pipe (COMMAND=run) the same task runs and exit-code is an output', async () => {
    world = await givenService();
    oneOff({ runMs: 150, exitCode: 0 });
    const github = await runAction({ command: 'run', cluster: CLUSTER, service: SERVICE, 'task-command': 'rake db:seed' }, { endpoint: world.sim.url });
    expect(github.code).toBe(0);
    expect(github.outputs['exit-code']).toBe('0');
    expect(github.summary).toContain('Task succeeded');
    const report = JSON.parse(readFileSync(github.outputs['report-file'], 'utf8'));
    expect(report).toMatchObject({ verb: 'run', outcome: 'deployed', exitCode: 0, request: { command: ['rake', 'db:seed'] } });
    expect(report.services[0].task).toMatchObject({ result: 'succeeded', exitCode: 0, container: 'web', image: INITIAL_IMAGE, taskDefinitionArn: world.initialArn });

    const pipe = await runPipe({ COMMAND: 'run', CLUSTER, SERVICE, TASK_COMMAND: '["rake", "db:seed"]' }, { endpoint: world.sim.url });
    expect(pipe.code).toBe(0);
    expect(pipe.outputs['exit-code']).toBe('0');
    expect(runTaskCalls().map((input) => input.overrides.containerOverrides[0].command)).toEqual([['rake', 'db:seed'], ['rake', 'db:seed']]);
  });
});
