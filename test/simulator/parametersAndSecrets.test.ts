import { CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { useSimulator } from './helpers';

// The parts of SSM, Secrets Manager and CloudWatch Logs that the world around a deploy is made with.

describe('simulator: SSM parameters, Secrets Manager secrets, log events', () => {
  const ctx = useSimulator();

  it('stores SSM parameters, answers them by name or ARN, and hides SecureString values unless decrypted', async () => {
    expect(await ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: 'pw1', Type: 'SecureString' }))).toMatchObject({ Version: 1 });
    await expect(ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: 'pw2', Type: 'SecureString' }))).rejects.toMatchObject({
      name: 'ParameterAlreadyExists',
    });
    expect(await ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: 'pw2', Overwrite: true }))).toMatchObject({ Version: 2 });
    await ctx.ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'hello', Type: 'String' }));

    const arn = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/db-password';
    const decrypted = await ctx.ssm.send(new GetParametersCommand({ Names: [arn, 'plain', '/missing'], WithDecryption: true }));
    expect(decrypted.Parameters!.map((p) => [p.Name, p.Value, p.Version, p.ARN])).toEqual([
      ['/prod/db-password', 'pw2', 2, arn],
      ['plain', 'hello', 1, 'arn:aws:ssm:us-east-1:123456789012:parameter/plain'],
    ]);
    expect(decrypted.InvalidParameters).toEqual(['/missing']);
    const hidden = await ctx.ssm.send(new GetParametersCommand({ Names: ['/prod/db-password'] }));
    expect(hidden.Parameters![0].Value).not.toBe('pw2');

    const described = await ctx.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/prod/'] }] }));
    expect(described.Parameters!.map((p) => [p.Name, p.Type])).toEqual([['/prod/db-password', 'SecureString']]);
    await expect(ctx.ssm.send(new PutParameterCommand({ Name: 'bad name!', Value: 'x', Type: 'String' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('creates secrets with an ARN suffix and describes them by name, ARN or partial ARN', async () => {
    const created = await ctx.secrets.send(new CreateSecretCommand({ Name: 'prod/api-key', SecretString: 'k', Description: 'the key' }));
    for (const SecretId of ['prod/api-key', created.ARN!, created.ARN!.slice(0, -7)]) {
      expect(await ctx.secrets.send(new DescribeSecretCommand({ SecretId }))).toMatchObject({ ARN: created.ARN, Name: 'prod/api-key', Description: 'the key' });
    }
    await expect(ctx.secrets.send(new CreateSecretCommand({ Name: 'prod/api-key', SecretString: 'k' }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
    await expect(ctx.secrets.send(new DescribeSecretCommand({ SecretId: 'prod/none' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('takes log events with PutLogEvents into an existing stream only', async () => {
    await expect(
      ctx.logs.send(new PutLogEventsCommand({ logGroupName: '/app', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'x' }] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await ctx.logs.send(new CreateLogGroupCommand({ logGroupName: '/app' }));
    await ctx.logs.send(new CreateLogStreamCommand({ logGroupName: '/app', logStreamName: 's' }));
    const now = Date.now();
    const put = (logEvents: Array<{ timestamp: number; message: string }>) => ctx.logs.send(new PutLogEventsCommand({ logGroupName: '/app', logStreamName: 's', logEvents }));
    await expect(put([{ timestamp: now, message: 'late' }, { timestamp: now - 1, message: 'early' }])).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    await put([{ timestamp: now, message: 'second' }]);
    await put([{ timestamp: now - 1, message: 'first' }]);
    const events = await ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/app', logStreamName: 's', startFromHead: true }));
    expect(events.events!.map((e) => e.message)).toEqual(['first', 'second']);
    await expect(ctx.logs.send(new CreateLogGroupCommand({ logGroupName: '/app' }))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });
});
