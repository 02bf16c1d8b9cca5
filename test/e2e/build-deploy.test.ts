// The whole path through the bundled program: build in the real Docker engine, push to the real
// password-protected registry (which the simulator's ECR hands out as its proxyEndpoint), deploy.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { manifestDigest } from '../../src/image/registry';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { expectNoSecretsIn, runAction, TEST_CREDENTIALS, type RunOptions, type RunResult } from '../support/harness';
import { failureMessage, signalWhenLogShows, type SignalPlan } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

const docker = dockerEnv();
const REPOSITORY = 'ecs-ship-bundle/web';

let world: World;
afterEach(async () => world?.close());

async function givenServiceWithRegistry(password = docker.registry.password): Promise<World> {
  return givenService({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password } });
}

function deployBuilding(context: string, commit: string, extra: Record<string, string> = {}, options: Partial<RunOptions> = {}): Promise<RunResult> {
  return runAction(
    {
      cluster: CLUSTER,
      service: SERVICE,
      image: REPOSITORY,
      context,
      'task-definition': world.writeTemplate(webTemplate()),
      vars: 'DB_HOST=db.internal',
      'migration-command': 'migrate',
      ...extra,
    },
    { endpoint: world.sim.url, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000, ...options },
  );
}

const newCommit = () => randomBytes(20).toString('hex');
const registryAuth = () => ({ username: docker.registry.username, password: docker.registry.password });

function expectNoSecrets(run: RunResult, password = docker.registry.password): void {
  expectNoSecretsIn(run, [password, TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, TEST_CREDENTIALS.AWS_SESSION_TOKEN]);
}

describe('build, push and deploy in one step', () => {
  dockerIt(
    'builds the commit, pushes it, and deploys it pinned by digest; the migration runs the new image',
    async () => {
      world = await givenServiceWithRegistry();
      const commit = newCommit();
      const run = await deployBuilding(makeAppContext(join(world.dir, 'app'), { marker: commit }), commit);

      expect(run.code).toBe(0);
      const tag = commit.slice(0, 12);
      const inRegistry = await manifestDigest(docker.registry.host, REPOSITORY, tag, registryAuth());
      expect(run.outputs['image-digest']).toBe(inRegistry);
      expect(run.outputs.image).toBe(`${docker.registry.host}/${REPOSITORY}@${inRegistry}`);
      const registered = world.sim.taskDefinitions('web').at(-1);
      expect(registered.containerDefinitions[0].image).toBe(run.outputs.image);
      expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
      expectNoSecrets(run);
    },
    240_000,
  );

  dockerIt(
    'a second run of the same commit builds nothing and deploys the same digest',
    async () => {
      world = await givenServiceWithRegistry();
      const commit = newCommit();
      const context = makeAppContext(join(world.dir, 'app'), { marker: commit });
      const first = await deployBuilding(context, commit);
      const second = await deployBuilding(context, commit);

      expect(first.code).toBe(0);
      expect(second.code).toBe(0);
      expect(second.log).toMatch(/already in the registry/);
      expect(second.log).not.toMatch(/Step \d+\/\d+|docker build/);
      expect(second.outputs['image-digest']).toBe(first.outputs['image-digest']);
    },
    240_000,
  );

  dockerIt(
    "the plan knows the commit's image: a dry run of a re-run plans no change and the re-run makes none; a new commit's plans a build and every change",
    async () => {
      world = await givenServiceWithRegistry();
      const commit = newCommit();
      const context = makeAppContext(join(world.dir, 'app'), { marker: commit });
      expect((await deployBuilding(context, commit)).code).toBe(0);
      const deployed = world.sim.mutatingCalls().length;

      const rerunPlan = await deployBuilding(context, commit, { 'dry-run': 'true' });
      expect(rerunPlan.code).toBe(0);
      expect(JSON.parse(rerunPlan.outputs['planned-changes'])).toEqual([]);
      expect(rerunPlan.log).toContain(`reuse ${docker.registry.host}/${REPOSITORY}:${commit.slice(0, 12)}, already in the registry`);
      expect(rerunPlan.log).toContain('skip the migration');
      const rerun = await deployBuilding(context, commit);
      expect(rerun.code).toBe(0);
      expect(world.sim.mutatingCalls().slice(deployed)).toEqual([]);

      const next = newCommit();
      const nextPlan = await deployBuilding(makeAppContext(join(world.dir, 'next'), { marker: next }), next, { 'dry-run': 'true' });
      expect(JSON.parse(nextPlan.outputs['planned-changes']).map((c: { action: string }) => c.action)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
      expect(nextPlan.log).toContain(`build and push ${docker.registry.host}/${REPOSITORY}:${next.slice(0, 12)}`);
      expect(world.sim.mutatingCalls().slice(deployed)).toEqual([]);
    },
    240_000,
  );
});

describe('a build that cannot finish changes nothing in ECS', () => {
  dockerIt(
    'a cancel while the image builds ends the run there: exit 130, nothing registered, no task, the service untouched',
    async () => {
      world = await givenServiceWithRegistry();
      const commit = newCommit();
      const signal: SignalPlan = {};
      const context = makeAppContext(join(world.dir, 'app'), { marker: commit, slowRunSeconds: 2 });
      const run = await deployBuilding(context, commit, {}, { onSpawn: signalWhenLogShows(/building slowly/, 'SIGINT', signal) });

      expect(signal.sentAt).toBeDefined();
      expect(run.code).toBe(130);
      expect(failureMessage(run)).toBe('Cancelled by SIGINT. Nothing was in flight.');
      expect(world.sim.mutatingCalls()).toEqual([]);
      expect(world.sim.taskDefinitions('web')).toHaveLength(1);
      expect(world.serviceTaskDefinition()).toBe(world.initialArn);
    },
    240_000,
  );

  dockerIt(
    'a cancel during a long build stops the docker build it was waiting for',
    async () => {
      world = await givenServiceWithRegistry();
      const commit = newCommit();
      const context = makeAppContext(join(world.dir, 'slow-app'), { marker: commit, slowRunSeconds: 60 });
      const run = await deployBuilding(context, commit, {}, { onSpawn: signalWhenLogShows(/building slowly/, 'SIGINT', {}) });

      expect(run.code).toBe(130);
      // The docker CLI names the context in its arguments: none is left running.
      expect(spawnSync('pgrep', ['-f', context]).status).toBe(1);
      expect(world.sim.mutatingCalls()).toEqual([]);
    },
    240_000,
  );

  dockerIt(
    'a failing RUN step fails the deploy with its exit code; no revision, no task',
    async () => {
      world = await givenServiceWithRegistry();
      const run = await deployBuilding(makeAppContext(join(world.dir, 'app'), { failingRun: true }), newCommit());

      expect(run.code).toBe(1);
      expect(run.log).toMatch(/exit code 7/);
      expect(run.log).toContain('about to fail');
      expect(world.sim.mutatingCalls()).toEqual([]);
      expect(world.sim.taskDefinitions('web')).toHaveLength(1);
    },
    240_000,
  );

  dockerIt(
    'a missing Dockerfile is named before anything runs',
    async () => {
      world = await givenServiceWithRegistry();
      const run = await deployBuilding(world.dir, newCommit());

      expect(run.code).toBe(2);
      expect(run.log).toMatch(/dockerfile: no Dockerfile in the context/);
      expect(world.sim.mutatingCalls()).toEqual([]);
      expect(world.sim.calls.filter((c) => c.action === 'GetAuthorizationToken')).toEqual([]);
    },
    240_000,
  );

  dockerIt(
    'wrong registry credentials fail the deploy without printing the password; no revision, no task',
    async () => {
      const wrong = `wrong-${randomBytes(12).toString('hex')}`;
      world = await givenServiceWithRegistry(wrong);
      const run = await deployBuilding(makeAppContext(join(world.dir, 'app')), newCommit(), { 'force-build': 'true' });

      expect(run.code).toBe(1);
      expect(run.log).toMatch(/refused the credentials/i);
      expect(world.sim.mutatingCalls()).toEqual([]);
      expectNoSecrets(run, wrong);
    },
    240_000,
  );
});
