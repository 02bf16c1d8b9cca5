import { DescribeLogGroupsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { useSimulator } from './helpers';

// DescribeLogGroups (CloudWatch Logs API reference): "limit: the maximum number of items returned. If you
// don't specify a value, the default is up to 50 items" (valid range 1–50), with nextToken for the rest;
// results are ASCII-sorted by name; logGroupNamePattern is "a case-sensitive substring search", answered
// with "only arn, creationTime, and logGroupName", and "logGroupNamePattern and logGroupNamePrefix are
// mutually exclusive".

describe('simulator: DescribeLogGroups', () => {
  const ctx = useSimulator();

  /** /aws/lambda/fn-00 … fn-59 and /ecs/web, /ecs/Web-admin, /ecs/worker. */
  function givenGroups() {
    for (let i = 0; i < 60; i++) ctx.sim.addLogGroup(`/aws/lambda/fn-${String(i).padStart(2, '0')}`);
    for (const name of ['/ecs/worker', '/ecs/web', '/ecs/Web-admin']) ctx.sim.addLogGroup(name);
  }
  const names = (groups?: Array<{ logGroupName?: string }>) => (groups ?? []).map((group) => group.logGroupName);

  it('answers at most 50 groups a page by default, with a nextToken that leads to the rest in ASCII order', async () => {
    givenGroups();
    const first = await ctx.logs.send(new DescribeLogGroupsCommand({}));
    expect(first.logGroups).toHaveLength(50);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(names(first.logGroups)).not.toContain('/ecs/web');

    const all: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: ctx.logs }, {})) all.push(...(names(page.logGroups) as string[]));
    expect(all).toHaveLength(63);
    expect(all.slice(-3)).toEqual(['/ecs/Web-admin', '/ecs/web', '/ecs/worker']);
    expect(new Set(all).size).toBe(63);
  });

  it('honours a limit between 1 and 50 and refuses one outside', async () => {
    givenGroups();
    const page = await ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 2 }));
    expect(names(page.logGroups)).toEqual(['/ecs/Web-admin', '/ecs/web']);
    const next = await ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/', limit: 2, nextToken: page.nextToken }));
    expect(names(next.logGroups)).toEqual(['/ecs/worker']);
    expect(next.nextToken).toBeUndefined();
    for (const limit of [0, 51]) await expect(ctx.logs.send(new DescribeLogGroupsCommand({ limit }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('matches logGroupNamePattern as a case-sensitive substring, answering only arn, creationTime and logGroupName', async () => {
    givenGroups();
    const found = await ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'web' }));
    expect(names(found.logGroups)).toEqual(['/ecs/web']);
    expect(Object.keys(found.logGroups![0]).sort()).toEqual(['arn', 'creationTime', 'logGroupName']);
    expect(names((await ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'fn-5' }))).logGroups)).toHaveLength(10);
  });

  it('refuses logGroupNamePattern together with logGroupNamePrefix', async () => {
    givenGroups();
    await expect(ctx.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs', logGroupNamePattern: 'web' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});
