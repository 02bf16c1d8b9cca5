import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator } from './helpers';

describe('simulator: task definitions', () => {
  const ctx = useSimulator();

  it('registers revisions per family with the output-only fields ECS adds', async () => {
    const first = await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('api')));
    const second = await ctx.ecs.send(new RegisterTaskDefinitionCommand({ ...fargateTaskDefinition('api'), tags: [{ key: 'team', value: 'core' }] }));

    expect(first.taskDefinition?.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/api:1');
    expect(second.taskDefinition?.revision).toBe(2);
    expect(second.tags).toEqual([{ key: 'team', value: 'core' }]);
    const definition = second.taskDefinition!;
    expect(definition.status).toBe('ACTIVE');
    expect(definition.compatibilities).toEqual(['EC2', 'FARGATE']);
    expect(definition.registeredAt).toBeInstanceOf(Date);
    expect(Math.abs(definition.registeredAt!.getTime() - Date.now())).toBeLessThan(5000);
    expect(definition.registeredBy).toMatch(/^arn:aws:iam::123456789012:/);
    expect(definition.requiresAttributes).toEqual(
      expect.arrayContaining([{ name: 'ecs.capability.task-eni' }, { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }]),
    );
    expect(definition.containerDefinitions?.[0]).toMatchObject({ name: 'app', essential: true, cpu: 0, portMappings: [], environment: [] });
  });

  it('normalizes vCPU/GB sizes and rejects what Fargate does not accept', async () => {
    const sized = await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('sized', { cpu: '1 vCPU', memory: '2 GB' })));
    expect(sized.taskDefinition).toMatchObject({ cpu: '1024', memory: '2048' });

    const attempts: Array<[Record<string, any>, RegExp]> = [
      [{ networkMode: 'bridge' }, /network mode 'awsvpc'/],
      [{ cpu: undefined }, /'cpu' be defined/],
      [{ memory: undefined }, /'memory' be defined/],
      [{ cpu: '256', memory: '4096' }, /No Fargate configuration exists/],
    ];
    for (const [change, message] of attempts) {
      await expect(ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('bad', change)))).rejects.toMatchObject({
        name: 'ClientException',
        message: expect.stringMatching(message),
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect(ctx.sim.taskDefinitions('bad')).toEqual([]);
  });

  it('describes by family (latest ACTIVE), family:revision and ARN, and deregisters', async () => {
    for (let i = 0; i < 3; i++) await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:3' }));

    const latest = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    const inactive = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:3' }));
    expect(inactive.taskDefinition).toMatchObject({ status: 'INACTIVE', deregisteredAt: expect.any(Date) });
    const byArn = await ctx.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', include: ['TAGS'] }),
    );
    expect(byArn.taskDefinition?.revision).toBe(1);
    expect(byArn.tags).toEqual([]);
    await expect(ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }))).rejects.toMatchObject({
      name: 'ClientException',
    });
    expect(ctx.sim.taskDefinitions('web').map((d) => d.status)).toEqual(['ACTIVE', 'ACTIVE', 'INACTIVE']);
  });

  it('lists with family filter, status, sort and pagination', async () => {
    for (const family of ['b', 'a', 'b', 'a', 'b']) await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition(family)));
    await ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'b:1' }));
    const suffix = (arns?: string[]) => arns?.map((arn) => arn.split('/')[1]);

    const all = await ctx.ecs.send(new ListTaskDefinitionsCommand({}));
    expect(suffix(all.taskDefinitionArns)).toEqual(['a:1', 'a:2', 'b:2', 'b:3']);
    const familyDesc = await ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'b', sort: 'DESC' }));
    expect(suffix(familyDesc.taskDefinitionArns)).toEqual(['b:3', 'b:2']);
    const inactive = await ctx.ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(suffix(inactive.taskDefinitionArns)).toEqual(['b:1']);

    const page1 = await ctx.ecs.send(new ListTaskDefinitionsCommand({ maxResults: 3 }));
    expect(page1.taskDefinitionArns).toHaveLength(3);
    const page2 = await ctx.ecs.send(new ListTaskDefinitionsCommand({ maxResults: 3, nextToken: page1.nextToken }));
    expect(suffix(page2.taskDefinitionArns)).toEqual(['b:3']);
    expect(page2.nextToken).toBeUndefined();
  });

  it('lists one family exactly (familyPrefix is the full family name), newest first across pages, of the status asked for', async () => {
    for (const family of ['web', 'web-worker', 'web', 'web', 'web-worker', 'web']) await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition(family)));
    await ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    const suffix = (arns?: string[]) => arns?.map((arn) => arn.split('/')[1]);

    const first = await ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'ACTIVE', sort: 'DESC', maxResults: 2 }));
    const second = await ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'ACTIVE', sort: 'DESC', maxResults: 2, nextToken: first.nextToken }));
    expect([...suffix(first.taskDefinitionArns)!, ...suffix(second.taskDefinitionArns)!]).toEqual(['web:4', 'web:3', 'web:1']);
    expect(second.nextToken).toBeUndefined();
    const inactive = await ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'INACTIVE' }));
    expect(suffix(inactive.taskDefinitionArns)).toEqual(['web:2']);
    await expect(ctx.ecs.send(new ListTaskDefinitionsCommand({ status: 'GONE' as 'ACTIVE' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('a deregistered revision needs a revision number, stays describable, and runs nothing new; a service on it keeps running', async () => {
    const first = await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    ctx.sim.addCluster('prod');
    ctx.sim.addService({ cluster: 'prod', name: 'web', taskDefinition: first.taskDefinition!.taskDefinitionArn!, desiredCount: 1, networkConfiguration: awsvpcNetwork });
    await expect(ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' }))).rejects.toMatchObject({ name: 'ClientException' });

    const answer = await ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));

    expect(answer.taskDefinition).toMatchObject({ revision: 1, status: 'INACTIVE' });
    const described = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(described.taskDefinition?.status).toBe('INACTIVE');
    await expect(
      ctx.ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web:1', launchType: 'FARGATE', networkConfiguration: awsvpcNetwork })),
    ).rejects.toMatchObject({ name: 'ClientException', message: expect.stringMatching(/inactive/i) });
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    await expect(ctx.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:1' }))).rejects.toMatchObject({ name: 'ClientException' });
    expect(ctx.sim.tasks('prod').some((task) => task.taskDefinitionArn === first.taskDefinition!.taskDefinitionArn && task.lastStatus === 'RUNNING')).toBe(true);
  });
});
