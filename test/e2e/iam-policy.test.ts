// Least privilege, proven: docs/iam-policy.json grants exactly what ecs-ship uses. The scenarios below
// drive every AWS path of the bundle against the simulator (which records each ECS, ECR and CloudWatch
// Logs call in sim.calls); every action called must be granted, and every action granted must be
// called — or be in AUTHORISED_WITHOUT_A_CALL below, with the reason IAM needs it anyway.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { ROOT, runAction, type RunResult } from '../support/harness';
import { PAUSED_AFTER_TEST_TRAFFIC, steerAction } from '../support/steering';
import { CLUSTER, SERVICE, givenService, webTemplate, type World, type WorldOptions } from '../support/world';
import { IMAGE } from '../support/scenarios';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';

/**
 * Granted, but never an API call a simulator can record. Each entry says why it is still needed;
 * an entry that is no longer in the policy, or that the scenarios do see called, fails the test.
 */
const AUTHORISED_WITHOUT_A_CALL: Record<string, string> = {
  // IAM checks it inside RegisterTaskDefinition (a definition with taskRoleArn / executionRoleArn) and
  // RunTask (the migration task runs with those roles); there is no PassRole API call.
  // PutTargets and UpdateSchedule (scheduled-tasks) pass the target's RoleArn to EventBridge and Scheduler the same way.
  'iam:PassRole': 'implied by RegisterTaskDefinition and RunTask with a task role and an execution role, and by PutTargets and UpdateSchedule with a target role',
  // Tag-on-create: RegisterTaskDefinition with `tags` (a template's tags, or the running revision's
  // tags carried over) is also authorised as ecs:TagResource; ecs-ship never calls TagResource itself.
  'ecs:TagResource': 'required when RegisterTaskDefinition carries tags (tag on create)',
  // `docker push` / `docker buildx build --push` speak the registry protocol to <account>.dkr.ecr…,
  // which ECR authorises as these actions; they are not ECR API calls.
  'ecr:BatchCheckLayerAvailability': 'docker push asks the registry which layers it already has',
  'ecr:InitiateLayerUpload': 'docker push uploads a new layer (start)',
  'ecr:UploadLayerPart': 'docker push uploads a new layer (the data)',
  'ecr:CompleteLayerUpload': 'docker push uploads a new layer (finish)',
  // Pulls through the registry protocol: cache-from images the classic builder pulls, the buildx
  // registry cache, and base images kept in the same repository.
  'ecr:GetDownloadUrlForLayer': 'docker pull of cache-from images and base images from the repository',
};

/**
 * Calls the scenarios may see that the deploy role's permissions do not govern.
 * STS AssumeRoleWithWebIdentity (Bitbucket OIDC) is allowed by the role's trust policy, not by this policy.
 */
const NOT_THE_ROLES_PERMISSIONS = new Set(['sts:AssumeRoleWithWebIdentity']);

const IAM_PREFIX: Record<string, string> = { ecs: 'ecs', ecr: 'ecr', logs: 'logs', sts: 'sts', ssm: 'ssm', secretsmanager: 'secretsmanager', iam: 'iam', cloudwatch: 'cloudwatch', events: 'events', scheduler: 'scheduler' };

/**
 * Statements a deploy does without: each action they grant is still called by the scenarios (so it is
 * not unused), and a scenario that is denied all of them deploys all the same, with a warning.
 */
const OPTIONAL_STATEMENTS = ['VerifyBeforeDeploying', 'KeepTheLastRevisions', 'KeepTheLastImages', 'FollowServiceDeployments', 'StopTheDeploymentWithARollback', 'WatchDeploymentAlarmsWhileBaking', 'FollowScheduledTasks', 'PassTheScheduledTasksRole'];

interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

const POLICY = JSON.parse(readFileSync(join(ROOT, 'docs/iam-policy.json'), 'utf8')) as { Version: string; Statement: Statement | Statement[] };
const statements = (): Statement[] => (Array.isArray(POLICY.Statement) ? POLICY.Statement : [POLICY.Statement]);
const actionsOf = (statement: Statement): string[] => (statement.Action === undefined ? [] : typeof statement.Action === 'string' ? [statement.Action] : statement.Action);

/** Every granted action, with the statement (Sid) that grants it. */
function grantedActions(): Map<string, string> {
  const granted = new Map<string, string>();
  for (const statement of statements()) for (const action of actionsOf(statement)) granted.set(action, statement.Sid ?? '(no Sid)');
  return granted;
}

/** `service:Action` → the scenarios that called it. */
const called = new Map<string, Set<string>>();
const finished = new Set<string>();
const SCENARIOS = ['deploy with a logged migration', 'dry run', 'migration timeout', 'rollback', 'circuit breaker', 'ECR reuse and tag', 'verify secrets', 'bake with alarms', 'keep revisions', 'keep images', 'one-off task', 'one-off task with an image', 'build only', 'known revision', 'scheduled tasks', 'optional statements denied', 'continue', 'rollback command', 'status'];

let world: World;
afterEach(async () => world?.close());

/** Records every call the simulator saw (failed ones too: IAM authorises before the service answers). */
function collect(scenario: string): void {
  for (const call of world.sim.calls) {
    const action = `${IAM_PREFIX[call.service] ?? call.service}:${call.action}`;
    if (!called.has(action)) called.set(action, new Set());
    called.get(action)!.add(scenario);
  }
  finished.add(scenario);
}

async function scenario(name: string, options: WorldOptions, drive: () => Promise<RunResult>, expectCode: number): Promise<RunResult> {
  world = await givenService(options);
  const run = await drive();
  expect({ scenario: name, code: run.code }).toEqual({ scenario: name, code: expectCode });
  collect(name);
  return run;
}


/** The web template with tags, so RegisterTaskDefinition takes the tag-on-create path. */
const taggedTemplate = () => ({ ...webTemplate(), tags: [{ key: 'team', value: 'web' }] });

function deployWith(extra: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
  return runAction(
    {
      cluster: CLUSTER,
      service: SERVICE,
      image: IMAGE,
      build: 'false',
      'task-definition': world.writeTemplate(taggedTemplate()),
      vars: 'DB_HOST=db.prod.internal',
      ...extra,
    },
    { endpoint: world.sim.url, env, timeoutMs: 120_000 },
  );
}

describe('every AWS path of a run', () => {
  test('a deploy whose migration logs to CloudWatch: preflight, register, RunTask, log tail, rollout', async () => {
    const run = await scenario(
      'deploy with a logged migration',
      {},
      () => {
        world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 300, exitCode: 0, logLines: ['migrating', 'done'] } : {});
        return deployWith({ 'migration-command': 'bin/migrate' });
      },
      0,
    );
    expect(run.log).toContain('│ done');
    expect(world.sim.taskDefinitions('web').length).toBe(2);
  });

  test('a dry run: only reads', async () => {
    await scenario('dry run', {}, () => deployWith({ 'dry-run': 'true', 'migration-command': 'bin/migrate' }), 0);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('a migration that times out: the task is stopped', async () => {
    await scenario(
      'migration timeout',
      {},
      () => {
        world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 3_600_000 } : {});
        return deployWith({ 'migration-command': 'bin/migrate', 'migration-timeout-minutes': '0.02' });
      },
      1,
    );
    expect(world.sim.mutatingCalls()).toContain('StopTask');
  });

  test('a rollout that never completes: the failed tasks are listed and the service is rolled back', async () => {
    await scenario('rollback', { timing: { stabilizeMs: 3_600_000 } }, () => deployWith({ 'wait-timeout-minutes': '0.05' }), 1);
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
  });

  test("a bake after success that watches the service's deployment alarms", async () => {
    await scenario(
      'bake with alarms',
      { deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } },
      () => {
        world.sim.addAlarm('web-5xx');
        return deployWith({ 'bake-minutes': '0.02' });
      },
      0,
    );
    expect(world.sim.calls.some((call) => call.action === 'DescribeAlarms')).toBe(true);
  });

  test("a rollout the circuit breaker fails: the stopped tasks are described", async () => {
    await scenario(
      'circuit breaker',
      { circuitBreaker: { enable: true, rollback: true } },
      () => {
        world.sim.scenario.task = (ctx) =>
          ctx.startedBy === 'service' && ctx.taskDefinition.revision === 2 ? { failToStart: 'ResourceInitializationError: unable to pull secrets' } : {};
        return deployWith({});
      },
      1,
    );
    expect(world.sim.calls.some((call) => call.action === 'DescribeTasks')).toBe(true);
  });

  test("build: true when ECR already has the commit's image: DescribeImages, and the extra tag through BatchGetImage + PutImage", async () => {
    const commit = randomBytes(20).toString('hex');
    const digest = `sha256:${randomBytes(32).toString('hex')}`;
    await scenario(
      'ECR reuse and tag',
      {},
      () => {
        world.sim.addImage('web', commit.slice(0, 12), digest);
        const context = join(world.dir, 'app');
        mkdirSync(context, { recursive: true });
        writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
        return deployWith({ build: 'true', image: 'web', context, tags: 'latest' }, { GITHUB_SHA: commit });
      },
      0,
    );
    expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${digest}`);
  });

  test('a template with SSM and Secrets Manager secrets: verification describes them, never reads them', async () => {
    await scenario(
      'verify secrets',
      {},
      async () => {
        world.sim.scenario.deniedActions = ['GetParameters', 'GetSecretValue'];
        await world.aws.ssm.send(new PutParameterCommand({ Name: '/prod/web/db-password', Value: 'pw', Type: 'SecureString' }));
        const secret = await world.aws.secrets.send(new CreateSecretCommand({ Name: 'prod/web/api', SecretString: '{"key":"k"}' }));
        const template: Record<string, any> = taggedTemplate();
        template.containerDefinitions[0].secrets = [
          { name: 'DB_PASSWORD', valueFrom: '/prod/web/db-password' },
          { name: 'API_KEY', valueFrom: `${secret.ARN}:key::` },
        ];
        return runAction(
          { cluster: CLUSTER, service: SERVICE, image: IMAGE, build: 'false', 'task-definition': world.writeTemplate(template), vars: 'DB_HOST=db', 'dry-run': 'true' },
          { endpoint: world.sim.url, timeoutMs: 120_000 },
        );
      },
      0,
    );
    // The world was set up with these; they are the test's calls, not ecs-ship's.
    for (const setUp of ['ssm:PutParameter', 'secretsmanager:CreateSecret']) called.delete(setUp);
  });

  test('keep-revisions: the family listed, the services of the cluster described, the old revisions deregistered', async () => {
    await scenario(
      'keep revisions',
      {},
      () => {
        for (let i = 0; i < 2; i++) world.sim.addTaskDefinition({ ...taggedTemplate(), containerDefinitions: [{ ...webTemplate().containerDefinitions[0], image: IMAGE }] });
        return deployWith({ 'keep-revisions': '1' });
      },
      0,
    );
    expect(world.sim.mutatingCalls().filter((action) => action === 'DeregisterTaskDefinition')).toHaveLength(2);
  });

  test('keep-images: the repository listed, the running tasks and ACTIVE revisions described, the old images deleted', async () => {
    await scenario(
      'keep images',
      {},
      () => {
        world.sim.addImage('web', 'old', `sha256:${'e'.repeat(64)}`, Date.now() - 86_400_000);
        return deployWith({ 'keep-images': '1' });
      },
      0,
    );
    expect(world.sim.mutatingCalls()).toContain('BatchDeleteImage');
  });

  test('ecs-ship run: the service and its revision described, the task run, its log read, and stopped when it times out', async () => {
    await scenario(
      'one-off task',
      {},
      () => {
        world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 600_000, logLines: ['importing'] } : {});
        return runAction({ command: 'run', cluster: CLUSTER, service: SERVICE, 'task-command': 'bin/import', 'task-timeout-minutes': '0.03' }, { endpoint: world.sim.url, timeoutMs: 120_000 });
      },
      1,
    );
    expect(world.sim.mutatingCalls()).toEqual(['RunTask', 'StopTask']);
  });

  test("ecs-ship run with an image: the commit's image found in ECR, a revision of the service's definition registered with it (its roles passed), the task run with it", async () => {
    await scenario(
      'one-off task with an image',
      {},
      () => {
        world.sim.addImage('web', '0123456789ab', `sha256:${'ce'.repeat(32)}`);
        world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 150, exitCode: 0, logLines: ['imported'] } : {});
        const context = join(world.dir, 'app');
        mkdirSync(context, { recursive: true });
        writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
        return runAction(
          { command: 'run', cluster: CLUSTER, service: SERVICE, image: 'web', context, 'task-command': 'bin/import' },
          { endpoint: world.sim.url, env: { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }, timeoutMs: 120_000 },
        );
      },
      0,
    );
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  test("ecs-ship build when ECR already has the commit's image: the login and the lookup, nothing else", async () => {
    await scenario(
      'build only',
      {},
      () => {
        world.sim.addImage('web', '0123456789ab', `sha256:${'cd'.repeat(32)}`);
        const context = join(world.dir, 'app');
        mkdirSync(context, { recursive: true });
        writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
        return runAction({ command: 'build', image: 'web', context }, { endpoint: world.sim.url, env: { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }, timeoutMs: 120_000 });
      },
      0,
    );
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('task-definition-arn: the given revision is described and deployed, nothing registered', async () => {
    await scenario('known revision', {}, () => runAction({ cluster: CLUSTER, service: SERVICE, 'task-definition-arn': 'web:1', 'force-new-deployment': 'true' }, { endpoint: world.sim.url, timeoutMs: 120_000 }), 0);
    expect(world.sim.mutatingCalls()).toEqual(['UpdateService']);
  });

  test('scheduled-tasks: true finds a rule and a schedule of the family and points them at the new revision', async () => {
    const prod = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
    const role = 'arn:aws:iam::123456789012:role/scheduled-tasks';
    await scenario(
      'scheduled tasks',
      {},
      () => {
        world.sim.addRule({ Name: 'nightly', ScheduleExpression: 'rate(1 day)' }, [{ Id: 'report', Arn: prod, RoleArn: role, EcsParameters: { TaskDefinitionArn: world.initialArn } }]);
        world.sim.addSchedule({ Name: 'cleanup', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: prod, RoleArn: role, EcsParameters: { TaskDefinitionArn: world.initialArn } } });
        return deployWith({ 'scheduled-tasks': 'true' });
      },
      0,
    );
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'PutTargets', 'UpdateSchedule']);
  });

  test('a role without the optional statements still deploys, warning once for each permission it lacks', async () => {
    const optional = statements().filter((statement) => OPTIONAL_STATEMENTS.includes(statement.Sid!)).flatMap(actionsOf);
    const run = await scenario(
      'optional statements denied',
      {},
      () => {
        world.sim.scenario.deniedActions = optional.map((action) => action.split(':')[1]);
        return deployWith({ 'keep-revisions': '1', 'keep-images': '1', 'scheduled-tasks': 'true' });
      },
      0,
    );
    expect(optional.length).toBeGreaterThan(0);
    for (const action of ['ecr:DescribeImages', 'logs:DescribeLogGroups', 'events:ListRuleNamesByTarget', 'scheduler:ListSchedules']) expect(run.log).toContain(`the role may not perform ${action}`);
    expect(run.log).toContain('keep-revisions: could not find out which revisions are in use');
    expect(run.log).toContain('keep-images: could not find out which images are in use');
  });

  test('continue: a deploy that returned at a pause, then continue answers the PAUSE hook and follows the deployment', async () => {
    await scenario(
      'continue',
      { deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC },
      async () => {
        expect((await deployWith({ 'wait-until': 'paused' })).code).toBe(0);
        return steerAction(world, 'continue');
      },
      0,
    );
    expect(world.sim.mutatingCalls()).toContain('ContinueServiceDeployment');
  });

  test('rollback: a paused deployment stopped with a rollback, then (none in progress) back to the revision before', async () => {
    await scenario(
      'rollback command',
      { deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC },
      async () => {
        expect((await deployWith({ 'wait-until': 'paused' })).code).toBe(0);
        expect((await steerAction(world, 'rollback')).code).toBe(0);
        expect((await deployWith({ 'wait-until': 'paused' })).code).toBe(0);
        expect((await steerAction(world, 'continue')).code).toBe(0);
        return steerAction(world, 'rollback');
      },
      0,
    );
    expect(world.sim.mutatingCalls().filter((action) => action === 'StopServiceDeployment')).toHaveLength(1);
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('status: reads only', async () => {
    await scenario('status', { deploymentConfiguration: PAUSED_AFTER_TEST_TRAFFIC }, () => steerAction(world, 'status'), 0);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  const docker = dockerEnv();
  dockerIt(
    'build: true with a real build: the image is pushed through the registry protocol with the ECR login',
    async () => {
      world = await givenService({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
      const commit = randomBytes(20).toString('hex');
      const run = await runAction(
        {
          cluster: CLUSTER,
          service: SERVICE,
          image: 'ecs-ship-iam/web',
          context: makeAppContext(join(world.dir, 'app'), { marker: commit }),
          'task-definition': world.writeTemplate(taggedTemplate()),
          vars: 'DB_HOST=db',
        },
        { endpoint: world.sim.url, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000 },
      );
      expect(run.code).toBe(0);
      expect(world.sim.calls.some((call) => call.action === 'GetAuthorizationToken')).toBe(true);
      collect('real build and push');
    },
    240_000,
  );
});

describe('docs/iam-policy.json', () => {
  test('is an Allow-only policy of named statements with explicit actions (no wildcards, no NotAction)', () => {
    expect(POLICY.Version).toBe('2012-10-17');
    const sids = statements().map((s) => s.Sid);
    expect(sids.every((sid) => typeof sid === 'string' && /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
    for (const statement of statements()) {
      expect({ sid: statement.Sid, effect: statement.Effect, notAction: statement.NotAction }).toEqual({ sid: statement.Sid, effect: 'Allow', notAction: undefined });
      for (const action of actionsOf(statement)) expect(action).toMatch(/^(ecs|ecr|logs|iam|ssm|secretsmanager|cloudwatch|events|scheduler):[A-Z][A-Za-z]+$/);
    }
  });

  test('grants every action the runs called, and nothing they did not use', () => {
    // The comparison only means something once every scenario has run to the end.
    expect(SCENARIOS.filter((name) => !finished.has(name))).toEqual([]);
    const granted = grantedActions();
    const used = [...called.keys()].filter((action) => !NOT_THE_ROLES_PERMISSIONS.has(action));

    const calledButNotGranted = used.filter((action) => !granted.has(action)).map((action) => `${action} (called in: ${[...called.get(action)!].join(', ')})`);
    const grantedButUnused = [...granted.keys()]
      .filter((action) => !called.has(action) && !(action in AUTHORISED_WITHOUT_A_CALL))
      .map((action) => `${action} (statement ${granted.get(action)})`);
    // The allow-list stays honest: each entry is granted, and none is in fact an API call we make.
    const allowListedButNotGranted = Object.keys(AUTHORISED_WITHOUT_A_CALL).filter((action) => !granted.has(action));
    const allowListedButCalled = Object.keys(AUTHORISED_WITHOUT_A_CALL).filter((action) => called.has(action));
    expect({ calledButNotGranted, grantedButUnused, allowListedButNotGranted, allowListedButCalled }).toEqual({
      calledButNotGranted: [],
      grantedButUnused: [],
      allowListedButNotGranted: [],
      allowListedButCalled: [],
    });
    // Not vacuous: the scenarios reached all three services.
    expect(['ecs:UpdateService', 'ecr:GetAuthorizationToken', 'logs:GetLogEvents'].filter((action) => !called.has(action))).toEqual([]);
  });

  test('the README shows this policy and says what each statement is for', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^## IAM permissions$/m)[1]?.split(/^## /m)[0] ?? '';
    expect(section).not.toBe('');
    const shown = /```json\n([\s\S]*?)\n```/.exec(section);
    expect(shown && JSON.parse(shown[1])).toEqual(POLICY);
    for (const statement of statements()) expect(section).toMatch(new RegExp(`^\\| \`${statement.Sid}\` \\|`, 'm'));
  });
});
