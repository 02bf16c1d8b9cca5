import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, useSimulator } from './helpers';

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
});
