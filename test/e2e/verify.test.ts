// Verify before any change: what the task definition refers to is looked up in preflight, so a deploy
// that cannot start fails in seconds, with exit 2, naming the container, the field and the resource,
// and without a build, a registration, a task or a service update.
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { deploy, failureMessage, warnings } from '../support/scenarios';
import { givenService, webTemplate, REGISTRY, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const MISSING_IMAGE = `${REGISTRY}/web:never-pushed`;
const MISSING_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/web/api-key-AbCdEf';

function templateWith(change: (web: any, template: Record<string, any>) => void): Record<string, any> {
  const template = webTemplate();
  change(template.containerDefinitions[0], template);
  return template;
}

/** `setUp`: the test's own calls that made the world. */
function expectNothingChanged(run: { code: number | null }, setUp: string[] = []): void {
  expect(run.code).toBe(2);
  expect(world.sim.mutatingCalls()).toEqual(setUp);
  expect(world.serviceTaskDefinition()).toBe(world.initialArn);
}

describe('a deploy that cannot start is stopped in preflight', () => {
  test('an image (build: false) that is not in ECR: exit 2, naming the container, the field and the image', async () => {
    world = await givenService();
    const run = await deploy(world, { image: MISSING_IMAGE, 'migration-command': 'bin/migrate' });

    expectNothingChanged(run);
    expect(failureMessage(run)).toContain(`container "web" image: ${MISSING_IMAGE} is not in ECR: repository web has no image tagged never-pushed.`);
  });

  test("a sidecar's ECR image that is not there is found too; a public image is not looked up", async () => {
    world = await givenService();
    const template = templateWith((_, t) =>
      t.containerDefinitions.push({ name: 'metrics', image: `${REGISTRY}/metrics-agent:2`, essential: false }, { name: 'log-router', image: 'fluent/fluent-bit:3', essential: false }),
    );
    const run = await deploy(world, {}, {}, template);

    expectNothingChanged(run);
    expect(failureMessage(run)).toContain(`container "metrics" image: ${REGISTRY}/metrics-agent:2 is not in ECR: there is no repository metrics-agent in registry 123456789012.`);
    expect(failureMessage(run)).not.toContain('fluent-bit');
  });

  test('an SSM parameter that does not exist, by name and by ARN: both named; its value is never read', async () => {
    world = await givenService();
    const template = templateWith((web) => {
      web.secrets = [
        { name: 'DB_PASSWORD', valueFrom: '/prod/web/db-password' },
        { name: 'API_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/web/api-token' },
      ];
    });
    const run = await deploy(world, {}, {}, template);

    expectNothingChanged(run);
    expect(failureMessage(run)).toContain('container "web" secrets[DB_PASSWORD].valueFrom: /prod/web/db-password is not in SSM Parameter Store: there is no parameter /prod/web/db-password.');
    expect(failureMessage(run)).toContain('container "web" secrets[API_TOKEN].valueFrom: arn:aws:ssm:us-east-1:123456789012:parameter/prod/web/api-token is not in SSM Parameter Store: there is no parameter /prod/web/api-token.');
    expect(world.sim.calls.some((call) => call.action === 'GetParameters')).toBe(false);
  });

  test('a Secrets Manager secret that does not exist, referred to with a json key: named; an existing one with a json key passes without reading it', async () => {
    world = await givenService();
    const created = await world.aws.secrets.send(new CreateSecretCommand({ Name: 'prod/web/db', SecretString: '{"password":"pw"}' }));
    const template = templateWith((web) => {
      web.secrets = [
        { name: 'API_KEY', valueFrom: `${MISSING_SECRET}:key::` },
        { name: 'DB_PASSWORD', valueFrom: `${created.ARN}:password::` },
      ];
    });
    const run = await deploy(world, {}, {}, template);

    expectNothingChanged(run, ['CreateSecret']);
    expect(failureMessage(run)).toBe(`task-definition: container "web" secrets[API_KEY].valueFrom: ${MISSING_SECRET}:key:: is not in Secrets Manager.`);
    expect(world.sim.calls.filter((call) => call.action === 'DescribeSecret').map((call) => call.input.SecretId).sort()).toEqual([created.ARN, MISSING_SECRET].sort());
    expect(world.sim.calls.some((call) => call.action === 'GetSecretValue')).toBe(false);
  });

  test('an awslogs group nobody created: named with its region; with awslogs-create-group "true" it is not looked up', async () => {
    world = await givenService();
    const logTo = (extra: Record<string, string>) => templateWith((web) => Object.assign(web.logConfiguration.options, { 'awslogs-group': '/ecs/web-v2', ...extra }));

    const failed = await deploy(world, {}, {}, logTo({}));
    expectNothingChanged(failed);
    expect(failureMessage(failed)).toBe('task-definition: container "web" logConfiguration.options.awslogs-group: /ecs/web-v2 does not exist in CloudWatch Logs (us-east-1), and awslogs-create-group is not "true".');

    const passed = await deploy(world, {}, {}, logTo({ 'awslogs-create-group': 'true' }));
    expect(passed.code).toBe(0);
  });

  test('a definition that logs with awslogs and pulls from ECR without an execution role: named', async () => {
    world = await givenService();
    const run = await deploy(world, {}, {}, templateWith((_, t) => delete t.executionRoleArn));

    expectNothingChanged(run);
    expect(failureMessage(run)).toBe('task-definition: executionRoleArn: is missing, and ECS needs an execution role: container "web" logs with awslogs, pulls from ECR.');
  });

  test('a task role that does not exist, and an execution role that does not trust ECS tasks: both named', async () => {
    world = await givenService();
    world.sim.addRole('lambda-execution', 'lambda.amazonaws.com');
    const template = templateWith((_, t) => {
      t.executionRoleArn = 'arn:aws:iam::123456789012:role/lambda-execution';
      t.taskRoleArn = 'arn:aws:iam::123456789012:role/service-role/web-task-v2';
    });
    const run = await deploy(world, {}, {}, template);

    expectNothingChanged(run);
    expect(failureMessage(run)).toContain(
      'task-definition: executionRoleArn: arn:aws:iam::123456789012:role/lambda-execution does not trust ecs-tasks.amazonaws.com: its trust policy lets no ecs-tasks.amazonaws.com principal assume it (sts:AssumeRole).',
    );
    expect(failureMessage(run)).toContain('task-definition: taskRoleArn: arn:aws:iam::123456789012:role/service-role/web-task-v2 does not exist in IAM.');
    expect(world.sim.calls.filter((call) => call.action === 'GetRole').map((call) => call.input.RoleName).sort()).toEqual(['lambda-execution', 'web-task-v2']);
  });

  test('several problems are reported together, exit 2, and nothing is registered, run or updated', async () => {
    world = await givenService();
    const template = templateWith((web, t) => {
      web.secrets = [{ name: 'API_KEY', valueFrom: MISSING_SECRET }];
      web.logConfiguration.options['awslogs-group'] = '/ecs/nobody-made-this';
      t.taskRoleArn = 'arn:aws:iam::123456789012:role/nobody-made-this-either';
    });
    const run = await deploy(world, { image: MISSING_IMAGE, 'migration-command': 'bin/migrate' }, {}, template);

    expectNothingChanged(run);
    const message = failureMessage(run);
    expect(message).toMatch(/^4 problems/);
    for (const named of [MISSING_IMAGE, MISSING_SECRET, '/ecs/nobody-made-this', 'role/nobody-made-this-either']) expect(message).toContain(named);
  });
});

describe('references verification finds where AWS keeps them', () => {
  // SSM GetParameters selects a version with "name:version" and a label with "name:label"; ECS's agent reads
  // valueFrom with it. Verify looks the parameter up by name (DescribeParameters, no value) and the version
  // against the latest one; a label only GetParameterHistory knows, with the values, so it is not checked.
  test('an SSM parameter selected by version, by name and by ARN, is found; a version it never had is named; a label is noted, not looked up', async () => {
    world = await givenService();
    for (const value of ['pw1', 'pw2']) await world.aws.ssm.send(new PutParameterCommand({ Name: '/prod/web/db-password', Value: value, Type: 'SecureString', Overwrite: true }));
    const withSecrets = (...valueFroms: string[]) => templateWith((web) => (web.secrets = valueFroms.map((valueFrom, i) => ({ name: `SECRET_${i}`, valueFrom }))));
    const byArn = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/web/db-password';

    const passed = await deploy(world, { 'dry-run': 'true' }, {}, withSecrets('/prod/web/db-password:1', `${byArn}:2`, '/prod/web/db-password:stable'));
    expect(passed.code).toBe(0);
    expect(passed.log).toMatch(/secrets\[SECRET_0\]\.valueFrom\s+\/prod\/web\/db-password:1\s+found/);
    expect(passed.log).toMatch(/secrets\[SECRET_1\]\.valueFrom\s+\S+parameter\/prod\/web\/db-password:2\s+found/);
    expect(passed.log).toMatch(/secrets\[SECRET_2\]\.valueFrom\s+\/prod\/web\/db-password:stable\s+found \(the label stable is not checked/);
    // Three references to one parameter: it is looked up once.
    expect(world.sim.calls.filter((call) => call.action === 'DescribeParameters').map((call) => call.input.ParameterFilters[0].Values)).toEqual([['/prod/web/db-password']]);

    const failed = await deploy(world, {}, {}, withSecrets(`${byArn}:3`));
    expectNothingChanged(failed, ['PutParameter', 'PutParameter']);
    expect(failureMessage(failed)).toBe(
      `task-definition: container "web" secrets[SECRET_0].valueFrom: ${byArn}:3 selects version 3 of /prod/web/db-password, which SSM Parameter Store does not have: its latest is 2.`,
    );
    expect(world.sim.calls.some((call) => call.action === 'GetParameters' || call.action === 'GetParameterHistory')).toBe(false);
  });

  // DescribeLogGroups answers at most 50 groups a page, ASCII-sorted: the service's is found by asking for
  // its name as the prefix, never by reading the first page of all of them.
  test('the log group among more than 50 groups of the account, sorted after them, is found and the deploy goes on', async () => {
    world = await givenService();
    for (let i = 0; i < 60; i++) world.sim.addLogGroup(`/aws/lambda/job-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 60; i++) world.sim.addLogGroup(`/ecs/web-${String(i).padStart(2, '0')}`);

    const run = await deploy(world);

    expect(run.code).toBe(0);
    expect(world.sim.calls.filter((call) => call.action === 'DescribeLogGroups').map((call) => call.input.logGroupNamePrefix)).toEqual(['/ecs/web']);
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });
});

describe('what verification does not stop', () => {
  test('a known revision whose image is no image reference: exit 2, naming the container; verification does not skip what it cannot parse', async () => {
    world = await givenService();
    const broken = webTemplate();
    broken.containerDefinitions[0].image = `${REGISTRY}/Web:\${TAG}`;
    const arn = world.sim.addTaskDefinition(broken);
    const run = await deploy(world, { 'task-definition-arn': arn, image: '', build: '', 'task-definition': '', vars: '' });

    expectNothingChanged(run);
    expect(failureMessage(run)).toContain(`container "web" image: ${REGISTRY}/Web:\${TAG} is not an image reference (`);
  });

  test('a lookup the role may not make (AccessDenied) is a warning naming the permission, and the deploy goes on', async () => {
    world = await givenService();
    world.sim.scenario.deniedActions = ['DescribeParameters', 'GetRole'];
    await world.aws.ssm.send(new PutParameterCommand({ Name: '/prod/web/db-password', Value: 'pw', Type: 'SecureString' }));
    const run = await deploy(world, {}, {}, templateWith((web) => (web.secrets = [{ name: 'DB_PASSWORD', valueFrom: '/prod/web/db-password' }])));

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain('verify: the role may not perform ssm:DescribeParameters, so this was not checked: container "web" secrets[DB_PASSWORD].valueFrom /prod/web/db-password.');
    expect(warnings(run)).toContain(
      'verify: the role may not perform iam:GetRole, so these were not checked: task definition executionRoleArn arn:aws:iam::123456789012:role/web-execution; task definition taskRoleArn arn:aws:iam::123456789012:role/web-task.',
    );
    expect(world.serviceTaskDefinition()).toBe(run.outputs['task-definition-arn']);
  });

  test('a lookup AWS does not answer (500 after the SDK\'s retries, AWS_MAX_ATTEMPTS honoured) is a warning naming it, and the deploy goes on; so is a scheduled-tasks lookup', async () => {
    world = await givenService();
    world.sim.scenario.brokenActions = ['DescribeLogGroups', 'ListRuleNamesByTarget'];
    const run = await deploy(world, { 'scheduled-tasks': 'true' }, { env: { AWS_MAX_ATTEMPTS: '2' } });

    expect(run.code).toBe(0);
    expect(warnings(run)).toContain(
      'verify: AWS did not answer this lookup, so it was not checked: container "web" logConfiguration.options.awslogs-group /ecs/web (CloudWatch Logs answered DescribeLogGroups with HTTP 500 and a body that is not an AWS answer).',
    );
    expect(warnings(run)).toContain('scheduled-tasks: the lookup events:ListRuleNamesByTarget was not answered (EventBridge answered ListRuleNamesByTarget with HTTP 500');
    expect(world.sim.calls.filter((c) => c.action === 'ListRuleNamesByTarget')).toHaveLength(2);
    expect(world.serviceTaskDefinition()).not.toBe(world.initialArn);
  });

  test('verify: false looks nothing up', async () => {
    world = await givenService();
    const run = await deploy(world, { verify: 'false', 'dry-run': 'true' }, {}, templateWith((web) => (web.logConfiguration.options['awslogs-group'] = '/ecs/nobody-made-this')));

    expect(run.code).toBe(0);
    expect(world.sim.calls.filter((call) => ['DescribeImages', 'DescribeLogGroups', 'DescribeParameters', 'DescribeSecret', 'GetRole'].includes(call.action))).toEqual([]);
    expect(run.log).toContain('Not verified (verify: false)');
  });

  test('a dry run shows a table of what was verified', async () => {
    world = await givenService();
    await world.aws.ssm.send(new PutParameterCommand({ Name: '/prod/web/db-password', Value: 'pw', Type: 'SecureString' }));
    const template = templateWith((web, t) => {
      web.secrets = [{ name: 'DB_PASSWORD', valueFrom: '/prod/web/db-password' }];
      t.containerDefinitions.push({ name: 'log-router', image: 'fluent/fluent-bit:3', essential: false });
    });
    const run = await deploy(world, { 'dry-run': 'true' }, {}, template);

    expect(run.code).toBe(0);
    expect(world.sim.mutatingCalls()).toEqual(['PutParameter']);
    const table = run.log.slice(run.log.indexOf('Verified before any change:'));
    expect(table).toMatch(/container\s+field\s+resource\s+result/);
    expect(table).toMatch(/web\s+image\s+\S+web@sha256:\w+\s+found/);
    expect(table).toMatch(/web\s+secrets\[DB_PASSWORD\]\.valueFrom\s+\/prod\/web\/db-password\s+found/);
    expect(table).toMatch(/web\s+logConfiguration\.options\.awslogs-group\s+\/ecs\/web\s+found/);
    expect(table).toMatch(/log-router\s+image\s+fluent\/fluent-bit:3\s+not looked up \(not an ECR image\)/);
    expect(table).toMatch(/task definition\s+executionRoleArn\s+arn:aws:iam::123456789012:role\/web-execution\s+found/);
    expect(table).toMatch(/task definition\s+taskRoleArn\s+arn:aws:iam::123456789012:role\/web-task\s+found/);
  });
});
