import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { credentials, useSimulator } from './helpers';

// IAM roles, as the SDK calls IAM (query protocol): whether a role exists and whom it trusts; roles made from a client.

describe('simulator: IAM roles', () => {
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

  // IAM API reference: CreateRole takes the trust policy as AssumeRolePolicyDocument (JSON) and refuses a
  // name that is taken (EntityAlreadyExists) or a document that is not JSON (MalformedPolicyDocument);
  // AttachRolePolicy needs an existing role (NoSuchEntity).
  const TRUST_ECS_TASKS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

  it('creates a role from a client, with its trust policy and path, and attaches managed policies to it', async () => {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'web-execution', Path: '/service-role/', AssumeRolePolicyDocument: TRUST_ECS_TASKS, Description: 'pulls and logs' }));
    expect(Role).toMatchObject({ RoleName: 'web-execution', Arn: 'arn:aws:iam::123456789012:role/service-role/web-execution', Path: '/service-role/', Description: 'pulls and logs' });
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'web-execution', PolicyArn: EXECUTION_POLICY }));

    const read = await iam.send(new GetRoleCommand({ RoleName: 'web-execution' }));
    expect(JSON.parse(decodeURIComponent(read.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(TRUST_ECS_TASKS));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'web-execution' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: EXECUTION_POLICY }]);
    expect(ctx.sim.mutatingCalls()).toEqual(['CreateRole', 'AttachRolePolicy']);
  });

  it('refuses a role name that is taken, a trust policy that is not JSON, and a policy for a role that does not exist', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'web-execution', AssumeRolePolicyDocument: TRUST_ECS_TASKS }));
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'web-execution', AssumeRolePolicyDocument: TRUST_ECS_TASKS }))).rejects.toMatchObject({ name: 'EntityAlreadyExistsException' });
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: '{not json' }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: 'nobody', PolicyArn: EXECUTION_POLICY }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'other' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
