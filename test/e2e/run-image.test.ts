// `ecs-ship run SERVICE --image … -- COMMAND`: the one-off task runs an image of this run (as given with
// build false, the commit's image reused when the registry has it, or a build and push, as for deploy) in a
// revision of the service's definition with that image in the task's container, registered (or reused when
// equal). The service is never updated. Builds use the real Docker engine and registry (.ci/docker-up.sh).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDigest } from '../../src/image/registry';
import { appConfig, givenApp } from '../support/app-world';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { runCli, type RunOptions, type RunResult } from '../support/harness';
import { runOneOff, runTaskCallsOf, scriptOneOffs } from '../support/one-off';
import { givenService, INITIAL_IMAGE, REGISTRY, type World } from '../support/world';

const docker = dockerEnv();
const V2 = `${REGISTRY}/web:v2`;

let world: World;
afterEach(async () => world?.close());

const run = (args: string[], options: Partial<RunOptions> = {}): Promise<RunResult> => runOneOff(world, args, options);
const runTaskCalls = () => runTaskCallsOf(world);
const oneOff = (script: object) => scriptOneOffs(world, script);
const revisions = () => world.sim.taskDefinitions('web');

describe('ecs-ship run with an image', () => {
  test('with build false and a full reference, a new revision of the family holds the image in the task\'s container; the task runs it, the service stays on its revision; a second run reuses the revision', async () => {
    world = await givenService();
    oneOff({ runMs: 150, exitCode: 0, logLines: ['seeded with v2'] });
    const reportFile = join(world.dir, 'report.json');

    const result = await run(['--image', V2, '--no-build', '--report-file', reportFile, '--', 'rake', 'db:seed']);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('│ seeded with v2');
    expect(revisions()).toHaveLength(2);
    const registered = revisions().at(-1);
    expect(registered.containerDefinitions[0]).toMatchObject({ name: 'web', image: V2, environment: [{ name: 'DB_HOST', value: 'db.internal' }] });
    expect(registered.taskDefinitionArn).not.toBe(world.initialArn);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    expect(runTaskCalls()[0]).toMatchObject({ taskDefinition: registered.taskDefinitionArn, overrides: { containerOverrides: [{ name: 'web', command: ['rake', 'db:seed'] }] } });
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(result.outputs).toMatchObject({ image: V2, 'task-definition-arn': registered.taskDefinitionArn, 'exit-code': '0' });
    expect(result.stderr).toContain(`It ran ${V2} (web:2).`);

    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.services[0]).toMatchObject({ image: V2, taskDefinitionArn: registered.taskDefinitionArn, registered: true });
    expect(report.services[0].task).toMatchObject({ result: 'succeeded', container: 'web', image: V2, taskDefinitionArn: registered.taskDefinitionArn });
    expect(report.changes.map((c: { action: string }) => c.action)).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(report.request.image).toMatchObject({ image: V2, build: false });

    const again = await run(['--image', V2, '--no-build', '--', 'rake', 'db:seed']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`Task definition unchanged: reusing ${registered.taskDefinitionArn}`);
    expect(revisions()).toHaveLength(2);
    expect(runTaskCalls()[1].taskDefinition).toBe(registered.taskDefinitionArn);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'RunTask']);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('--container chooses the container that gets the image and runs the command; the others keep theirs', async () => {
    world = await givenService({ sidecar: true });

    // The simulator stops the sidecar when the essential web container exits: how the task ends is not the point here.
    const result = await run(['--image', 'fluent/fluent-bit:3.1', '--no-build', '--container', 'log-router', '--', 'fluent-bit', '--dry-run']);

    expect(result.stderr).toContain('container "log-router" with fluent/fluent-bit:3.1');
    const registered = revisions().at(-1);
    expect(registered.containerDefinitions.map((c: { name: string; image: string }) => [c.name, c.image])).toEqual([
      ['web', INITIAL_IMAGE],
      ['log-router', 'fluent/fluent-bit:3.1'],
    ]);
    expect(runTaskCalls()[0]).toMatchObject({ taskDefinition: registered.taskDefinitionArn, overrides: { containerOverrides: [{ name: 'log-router', command: ['fluent-bit', '--dry-run'] }] } });
  });

  test('image with task-definition-arn is refused naming both, and build settings without image are refused (exit 2), with no AWS change', async () => {
    world = await givenService();

    const both = await run(['--image', V2, '--no-build', '--task-definition-arn', 'web:1', '--', 'bin/x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--image and --task-definition-arn: the task runs either an existing revision as it is');

    const noImage = await run(['--dockerfile', 'Dockerfile.worker', '--', 'bin/x']);
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain('--dockerfile: a build setting, but --image is not given');

    const badImage = await run(['--image', 'web:NOT VALID', '--no-build', '--', 'bin/x']);
    expect(badImage.code).toBe(2);
    expect(badImage.stderr).toMatch(/image: "web:NOT VALID" is not a valid image reference/);

    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(world.sim.calls.filter((call) => call.action !== 'GetCallerIdentity')).toEqual([]);
  });

  test('with a config file, an image is refused (exit 2): the task runs its service\'s revision', async () => {
    const app = await givenApp();
    world = app;
    app.writeConfig(appConfig({}));

    const result = await runCli(['run', 'worker', '--image', V2, '--no-build', '--', 'bin/reindex'], { endpoint: world.sim.url, cwd: world.dir });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--image: run takes an image only without a config file');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('ecs-ship run building its image', () => {
  const registry = () => ({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
  const auth = () => ({ username: docker.registry.username, password: docker.registry.password });
  const REPO = 'ecs-ship-run/web';

  dockerIt(
    "builds and pushes the commit's image, and the task runs it pinned by digest; a second run of the commit builds nothing",
    async () => {
      world = await givenService(registry());
      oneOff({ runMs: 150, exitCode: 0 });
      const commit = randomBytes(20).toString('hex');
      const context = makeAppContext(join(world.dir, 'app'), { marker: commit });
      const options = { cwd: world.dir, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000 };

      const first = await run(['--image', REPO, '--context', context, '--', 'bin/import'], options);

      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/Build and push/);
      const digest = await manifestDigest(docker.registry.host, REPO, commit.slice(0, 12), auth());
      const pinned = `${docker.registry.host}/${REPO}@${digest}`;
      expect(first.outputs).toMatchObject({ image: pinned, 'image-digest': digest });
      const registered = revisions().at(-1);
      expect(registered.containerDefinitions[0].image).toBe(pinned);
      expect(runTaskCalls()[0].taskDefinition).toBe(registered.taskDefinitionArn);
      expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
      expect(world.serviceTaskDefinition()).toBe(world.initialArn);

      const second = await run(['--image', REPO, '--context', context, '--', 'bin/import'], options);

      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/already in the registry/);
      expect(second.stderr).not.toMatch(/Build and push/);
      expect(second.outputs.image).toBe(pinned);
      expect(runTaskCalls()[1].taskDefinition).toBe(registered.taskDefinitionArn);
      expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'RunTask']);
    },
    240_000,
  );

  dockerIt(
    'a build that fails changes nothing in ECS: no revision is registered and no task runs (exit 1)',
    async () => {
      world = await givenService(registry());
      const commit = randomBytes(20).toString('hex');
      const context = makeAppContext(join(world.dir, 'app'), { failingRun: true });

      const result = await run(['--image', REPO, '--context', context, '--', 'bin/import'], { cwd: world.dir, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000 });

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/about to fail/);
      expect(world.sim.mutatingCalls()).toEqual([]);
      expect(revisions()).toHaveLength(1);
      expect(runTaskCalls()).toEqual([]);
    },
    240_000,
  );
});
