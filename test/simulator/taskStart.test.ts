import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator, waitFor } from './helpers';

// A Fargate task starts only when the world has what its definition names: the image, the secrets,
// the log group. Otherwise it stops with TaskFailedToStart and ECS's own reason.

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('simulator: what a task needs before it starts', () => {
  const ctx = useSimulator({ timing: { provisioningMs: 10, pendingMs: 10, activatingMs: 5, deactivatingMs: 5, deprovisioningMs: 10, defaultTaskRunMs: 20, tickMs: 5 } });

  beforeEach(() => {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/app');
    ctx.sim.addImage('web', 'v1', DIGEST);
  });

  const runToStop = async (container: Record<string, any>, task: Record<string, any> = {}): Promise<Task> => {
    const definition = { ...fargateTaskDefinition('app'), ...task };
    Object.assign(definition.containerDefinitions![0], container);
    const taskDefinition = ctx.sim.addTaskDefinition(definition);
    const { tasks } = await ctx.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition, launchType: 'FARGATE', networkConfiguration: awsvpcNetwork }));
    const read = async () => (await ctx.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [tasks![0].taskArn!] }))).tasks![0];
    return waitFor(read, (task) => task.lastStatus === 'STOPPED');
  };
  const ranToCompletion = (task: Task) => {
    expect(task.stopCode).toBe('EssentialContainerExited');
    expect(task.startedAt).toBeDefined();
  };
  const failedToStart = (task: Task, reason: RegExp) => {
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(reason);
    expect(task.startedAt).toBeUndefined();
    expect(task.containers![0].exitCode).toBeUndefined();
  };

  it('pulls images from its ECR by tag or digest, and fails with CannotPullContainerError when they are not there', async () => {
    ranToCompletion(await runToStop({ image: `${ECR}/web:v1` }));
    ranToCompletion(await runToStop({ image: `${ECR}/web@${DIGEST}` }));
    const missingTag = await runToStop({ image: `${ECR}/web:v2` });
    failedToStart(missingTag, new RegExp(`^CannotPullContainerError: .*${ECR}/web:v2: not found$`));
    expect(missingTag.containers![0].reason).toMatch(/^CannotPullContainerError/);
    failedToStart(await runToStop({ image: `${ECR}/nothing-here:v1` }), /^CannotPullContainerError/);
    failedToStart(await runToStop({ image: `${ECR}/web@sha256:${'cd'.repeat(32)}` }), /^CannotPullContainerError/);
    // Registries it does not stand in for (another account, Docker Hub) are taken as having the image.
    ranToCompletion(await runToStop({ image: '999999999999.dkr.ecr.eu-west-1.amazonaws.com/web:v9' }));
    ranToCompletion(await runToStop({ image: 'public/app:1' }));
  });

  it('reads secrets from SSM parameters, and fails with ResourceInitializationError naming a missing one', async () => {
    const secrets = [{ name: 'DB_PASSWORD', valueFrom: '/prod/db-password' }];
    failedToStart(await runToStop({ secrets }), /^ResourceInitializationError: unable to pull secrets or registry auth: .*ssm.*invalid parameters: \/prod\/db-password$/);
    await ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: 's3cret', Type: 'SecureString' }));
    ranToCompletion(await runToStop({ secrets }));
    const byArn = [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/db-password' }];
    ranToCompletion(await runToStop({ secrets: byArn }));
    // The agent reads them with GetParameters, which takes a version selector (name:version).
    ranToCompletion(await runToStop({ secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/db-password:1' }] }));
    failedToStart(await runToStop({ secrets: [{ name: 'DB_PASSWORD', valueFrom: '/prod/db-password:2' }] }), /invalid parameters: \/prod\/db-password:2$/);
    const otherArn = [{ name: 'X', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/nope' }];
    failedToStart(await runToStop({ secrets: otherArn }), /invalid parameters: arn:aws:ssm:us-east-1:123456789012:parameter\/prod\/nope$/);
  });

  it('reads Secrets Manager secrets by full or partial ARN, JSON keys included', async () => {
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
    failedToStart(await runToStop({ secrets: [{ name: 'DB', valueFrom: missing }] }), /ResourceNotFoundException: Secrets Manager can't find the specified secret\.$/);

    const { ARN } = await ctx.secrets.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: JSON.stringify({ password: 'pw' }) }));
    expect(ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db-[A-Za-z0-9]{6}$/);
    ranToCompletion(await runToStop({ secrets: [{ name: 'DB', valueFrom: ARN }] }));
    ranToCompletion(await runToStop({ secrets: [{ name: 'DB', valueFrom: ARN!.slice(0, -7) }] }));
    ranToCompletion(await runToStop({ secrets: [{ name: 'DB', valueFrom: `${ARN}:password::` }] }));
    failedToStart(await runToStop({ secrets: [{ name: 'DB', valueFrom: `${ARN}:username::` }] }), /did not contain json key username$/);
  });

  it('needs the awslogs group, unless the definition says awslogs-create-group', async () => {
    const logTo = (group: string, extra: Record<string, string> = {}) => ({
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', ...extra } },
    });
    failedToStart(await runToStop(logTo('/ecs/missing')), /^ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist/);
    const groups = async () => (await ctx.logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((group) => group.logGroupName);
    expect(await groups()).not.toContain('/ecs/missing');

    ranToCompletion(await runToStop(logTo('/ecs/created', { 'awslogs-create-group': 'true' })));
    expect(await groups()).toContain('/ecs/created');
  });

  it('looks at secrets before images: a task missing both reports the secret', async () => {
    const task = await runToStop({ image: `${ECR}/web:v2`, secrets: [{ name: 'A', valueFrom: '/missing' }] });
    failedToStart(task, /^ResourceInitializationError: unable to pull secrets or registry auth/);
  });

  // ECS developer guide, task execution IAM role: Fargate uses it to pull private ECR images, read secrets
  // and send awslogs, and the role must trust ecs-tasks.amazonaws.com.
  it('assumes its execution role when it needs one: a role that does not exist or does not trust ECS tasks stops it before it starts', async () => {
    const role = (name: string) => ({ executionRoleArn: `arn:aws:iam::123456789012:role/${name}` });
    ctx.sim.addRole('app-execution');
    ctx.sim.addRole('lambda-execution', 'lambda.amazonaws.com');
    ranToCompletion(await runToStop({}, role('app-execution')));

    const missing = await runToStop({}, role('never-created'));
    failedToStart(missing, /^ResourceInitializationError: unable to assume the task execution role arn:aws:iam::123456789012:role\/never-created to send awslogs: the role does not exist$/);
    failedToStart(await runToStop({ image: `${ECR}/web:v1`, logConfiguration: undefined }, role('lambda-execution')), /to pull the ECR image: its trust policy does not allow ecs-tasks\.amazonaws\.com/);
    failedToStart(await runToStop({ logConfiguration: undefined, secrets: [{ name: 'A', valueFrom: '/missing' }] }, role('never-created')), /to read the secrets: the role does not exist$/);

    // A task that needs the role for nothing starts; so does one whose role is another account's.
    ranToCompletion(await runToStop({ logConfiguration: undefined }, role('never-created')));
    ranToCompletion(await runToStop({}, { executionRoleArn: 'arn:aws:iam::999999999999:role/elsewhere' }));
  });
});
