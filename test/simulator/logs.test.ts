import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { awsvpcNetwork, fargateTaskDefinition, useSimulator, waitFor } from './helpers';

describe('simulator: CloudWatch Logs', () => {
  const ctx = useSimulator({ timing: { provisioningMs: 10, pendingMs: 10, deprovisioningMs: 10, tickMs: 5 } });

  async function runLoggingTask(lines: string[], runMs: number) {
    ctx.sim.addCluster('prod');
    ctx.sim.addLogGroup('/ecs/migrate');
    const taskDefinition = ctx.sim.addTaskDefinition(
      fargateTaskDefinition('migrate', {
        containerDefinitions: [
          {
            name: 'app',
            image: 'example/app:1',
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/migrate', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
          },
          { name: 'sidecar', image: 'example/sidecar:1', essential: false, logConfiguration: { logDriver: 'json-file' } },
        ],
      }),
    );
    ctx.sim.scenario.task = () => ({ logLines: lines, runMs });
    const { tasks } = await ctx.ecs.send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition, launchType: 'FARGATE', networkConfiguration: awsvpcNetwork }),
    );
    const taskId = tasks![0].taskArn!.split('/').pop()!;
    return { taskArn: tasks![0].taskArn!, stream: `ecs/app/${taskId}` };
  }

  it('writes log lines of awslogs containers while the task runs, paged with forward tokens', async () => {
    const lines = ['one', 'two', 'three', 'four', 'five'];
    const { taskArn, stream } = await runLoggingTask(lines, 100);
    const received: string[] = [];
    let token: string | undefined;
    let sawPartial = false;
    await waitFor(
      async () => {
        try {
          const page = await ctx.logs.send(
            new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: stream, startFromHead: true, nextToken: token, limit: 2 }),
          );
          received.push(...page.events!.map((e) => e.message!));
          if (received.length > 0 && received.length < lines.length) sawPartial = true;
          token = page.nextForwardToken;
        } catch (error) {
          if ((error as Error).name !== 'ResourceNotFoundException') throw error;
        }
        return received.length;
      },
      (count) => count === lines.length,
    );
    expect(received).toEqual(lines);
    expect(sawPartial).toBe(true);

    const idle = await ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: stream, nextToken: token }));
    expect(idle.events).toEqual([]);
    expect(idle.nextForwardToken).toBe(token);

    const latest = await ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: stream, limit: 2 }));
    expect(latest.events!.map((e) => e.message)).toEqual(['four', 'five']);
    const before = await ctx.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: stream, nextToken: latest.nextBackwardToken, limit: 2 }),
    );
    expect(before.events!.map((e) => e.message)).toEqual(['two', 'three']);

    const task = await waitFor(
      async () => (await ctx.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0],
      (t) => t.lastStatus === 'STOPPED',
    );
    const events = (await ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: stream, startFromHead: true }))).events!;
    expect(events.every((e) => e.timestamp! >= task.startedAt!.getTime() && e.timestamp! <= task.stoppedAt!.getTime())).toBe(true);
    const streams = await ctx.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/migrate' }));
    expect(streams.logStreams!.map((s) => s.logStreamName)).toEqual([stream]);
  });

  it('filters events across streams and reports missing groups', async () => {
    const { stream } = await runLoggingTask(['apply 001', 'apply 002', 'done'], 20);
    await waitFor(
      () =>
        ctx.logs
          .send(new FilterLogEventsCommand({ logGroupName: '/ecs/migrate', filterPattern: 'apply' }))
          .then((page) => page.events!.length)
          .catch(() => 0),
      (count) => count === 2,
    );
    const page = await ctx.logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamNamePrefix: 'ecs/app/', limit: 1 }));
    expect(page.events).toEqual([expect.objectContaining({ logStreamName: stream, message: 'apply 001' })]);
    expect(page.nextToken).toBeDefined();
    await expect(ctx.logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/nothing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await expect(ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect(ctx.sim.calls.filter((c) => c.service === 'logs').length).toBeGreaterThan(2);
  });
});
