import { ECSClient, ListClustersCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { clientsFor, credentials, fargateTaskDefinition, useSimulator } from './helpers';

describe('simulator: fault injection and the call log', () => {
  const ctx = useSimulator();

  it('throttles with 400 ThrottlingException "Rate exceeded"', async () => {
    ctx.sim.scenario.throttleRate = 1;
    const { ecs } = clientsFor(ctx.sim, 1);
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    expect(ctx.sim.calls).toEqual([expect.objectContaining({ action: 'ListClusters', error: 'ThrottlingException' })]);
    ecs.destroy();
  });

  it('answers 500 ServerException, which the SDK retries, and drops connections', async () => {
    ctx.sim.scenario.serverErrorRate = 1;
    await expect(ctx.ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ServerException',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    expect(ctx.sim.calls.map((c) => c.error)).toEqual(Array(3).fill('ServerException'));
    ctx.sim.calls.length = 0;
    const { ecs } = clientsFor(ctx.sim, 1);
    ctx.sim.scenario.serverErrorRate = 0;
    ctx.sim.scenario.dropRate = 1;
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(ctx.sim.calls.map((c) => c.error)).toEqual(['ConnectionDropped']);
    ecs.destroy();
  });

  it('injects the same faults for the same calls when the rolls are seeded', async () => {
    const { ecs } = clientsFor(ctx.sim, 1);
    const faultsOfTwentyCalls = async (faultSeed: number) => {
      ctx.sim.scenario = { throttleRate: 0.5, faultSeed };
      ctx.sim.calls.length = 0;
      for (let i = 0; i < 20; i++) await ecs.send(new ListClustersCommand({})).catch(() => undefined);
      return ctx.sim.calls.map((c) => c.error ?? 'ok');
    };
    const first = await faultsOfTwentyCalls(7);
    expect(first).toContain('ThrottlingException');
    expect(first).toContain('ok');
    expect(await faultsOfTwentyCalls(8)).not.toEqual(first);
    expect(await faultsOfTwentyCalls(7)).toEqual(first);
    ecs.destroy();
  });

  it('limits faults to faultActions and adds latency', async () => {
    ctx.sim.scenario = { throttleRate: 1, faultActions: ['UpdateService'], latencyMs: 150 };
    await expect(ctx.ecs.send(new ListClustersCommand({}))).resolves.toMatchObject({ clusterArns: [] });
    const slowStart = Date.now();
    const { ecs } = clientsFor(ctx.sim, 1);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'x', service: 'y' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(Date.now() - slowStart).toBeGreaterThanOrEqual(150);
    ecs.destroy();
  });

  it('injects at most maxFaultsInARow faults in a row for one action', async () => {
    ctx.sim.scenario = { throttleRate: 1, maxFaultsInARow: 2 };
    const { ecs } = clientsFor(ctx.sim, 1);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await ecs.send(new ListClustersCommand({})).then(() => 'ok', (error: Error) => error.name));
    }
    expect(outcomes).toEqual(['ThrottlingException', 'ThrottlingException', 'ok', 'ThrottlingException', 'ThrottlingException', 'ok']);
    ecs.destroy();
  });

  it('records every call in order and lists the non-faulted mutating ones', async () => {
    ctx.sim.scenario = { throttleRate: 1, faultActions: ['RegisterTaskDefinition'] };
    const before = Date.now();
    const { ecs } = clientsFor(ctx.sim, 1);
    await expect(ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')))).rejects.toMatchObject({ name: 'ThrottlingException' });
    ecs.destroy();
    ctx.sim.scenario.throttleRate = 0;
    await ctx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await ctx.ecs.send(new ListClustersCommand({}));
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: 'nope', service: 'web' })).catch(() => undefined);

    const [first] = ctx.sim.calls;
    expect(first).toMatchObject({ service: 'ecs', action: 'RegisterTaskDefinition', input: { family: 'web', cpu: '256' } });
    expect(first.time).toBeGreaterThanOrEqual(before);
    expect(ctx.sim.calls.map((c) => [c.action, c.error])).toEqual([
      ['RegisterTaskDefinition', 'ThrottlingException'],
      ['RegisterTaskDefinition', undefined],
      ['ListClusters', undefined],
      ['UpdateService', 'ClusterNotFoundException'],
    ]);
    expect(ctx.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('refuses members of the wrong JSON type with SerializationException instead of coercing them', async () => {
    ctx.sim.addCluster('prod');
    const sendRaw = async (target: string, body: object) => {
      const ecs = clientsFor(ctx.sim, 1).ecs;
      ecs.middlewareStack.add(
        (next) => async (args: any) => {
          args.request.headers['x-amz-target'] = `AmazonEC2ContainerServiceV20141113.${target}`;
          args.request.body = JSON.stringify(body);
          args.request.headers['content-length'] = String(Buffer.byteLength(args.request.body));
          return next(args);
        },
        { step: 'build', name: 'rawBody' },
      );
      try {
        return await ecs.send(new ListClustersCommand({}));
      } finally {
        ecs.destroy();
      }
    };
    await expect(sendRaw('UpdateService', { cluster: 'prod', service: 'web', desiredCount: '2' })).rejects.toMatchObject({
      name: 'SerializationException',
      message: 'STRING_VALUE can not be converted to an Integer',
    });
    await expect(sendRaw('RegisterTaskDefinition', { family: 'web', cpu: 256, containerDefinitions: [] })).rejects.toMatchObject({
      name: 'SerializationException',
      message: 'NUMBER_VALUE can not be converted to a String',
    });
    await expect(sendRaw('DescribeServices', { cluster: 'prod', services: 'web' })).rejects.toMatchObject({ name: 'SerializationException' });
    await expect(sendRaw('UpdateService', { cluster: 'prod', service: 'web', forceNewDeployment: 'true' })).rejects.toMatchObject({ name: 'SerializationException' });
    await expect(sendRaw('RunTask', { cluster: 'prod', taskDefinition: 'x', overrides: [] })).rejects.toMatchObject({
      message: 'Start of list found where not expected',
    });
    // null is absent, and a member of the right type goes on to the operation itself.
    await expect(sendRaw('DescribeServices', { cluster: 'prod', services: ['web'], include: null })).resolves.toBeDefined();
  });

  it('answers unknown operations with UnknownOperationException and is reachable through AWS_ENDPOINT_URL', async () => {
    // The request is signed as the SDK signs it, then asks for an operation ECS does not have.
    ctx.ecs.middlewareStack.add(
      (next) => async (args: any) => {
        args.request.headers['x-amz-target'] = 'AmazonEC2ContainerServiceV20141113.LaunchRocket';
        return next(args);
      },
      { step: 'build', name: 'askForAnUnknownOperation' },
    );
    await expect(ctx.ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });

    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = ctx.sim.url;
    try {
      const ecs = new ECSClient({ region: 'us-east-1', credentials });
      ctx.sim.addCluster('via-env');
      const listed = await ecs.send(new ListClustersCommand({}));
      expect(listed.clusterArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/via-env']);
      ecs.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
