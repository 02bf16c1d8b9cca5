import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { credentials, useSimulator } from './helpers';

// IAM GetRole, as the SDK calls it (query protocol): whether a role exists and whom it trusts.

describe('simulator: IAM GetRole', () => {
  const ctx = useSimulator();
  let iam: IAMClient;
  beforeEach(() => (iam = new IAMClient({ endpoint: ctx.sim.url, region: 'us-east-1', credentials })));
  afterEach(() => iam.destroy());

  it('answers a seeded role with its ARN and its trust policy, URL-encoded JSON that trusts ecs-tasks.amazonaws.com', async () => {
    const arn = ctx.sim.addRole('web-execution');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'web-execution' }));

    expect(arn).toBe('arn:aws:iam::123456789012:role/web-execution');
    expect(Role).toMatchObject({ RoleName: 'web-execution', Arn: arn, Path: '/' });
    expect(Role!.RoleId).toMatch(/^AROA[0-9A-F]{16}$/);
    expect(Role!.CreateDate).toBeInstanceOf(Date);
    expect(Role!.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(ctx.sim.calls.at(-1)).toMatchObject({ service: 'iam', action: 'GetRole' });
    expect(ctx.sim.mutatingCalls()).toEqual([]);
  });

  it('seeds a role that trusts another service, or none', async () => {
    ctx.sim.addRole('lambda-role', 'lambda.amazonaws.com');
    ctx.sim.addRole('nobody', null);
    const trust = async (name: string) => JSON.parse(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: name }))).Role!.AssumeRolePolicyDocument!)).Statement;

    expect(await trust('lambda-role')).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(await trust('nobody')).toEqual([]);
  });

  it('answers a missing role with NoSuchEntity (404), and a denied GetRole with AccessDenied (403)', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'missing' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name missing cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
    ctx.sim.scenario.deniedActions = ['GetRole'];
    ctx.sim.addRole('web-task');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'web-task' }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});
