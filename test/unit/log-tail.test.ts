import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awslogsStream, LogTail } from '../../src/aws/log-tail';

/** A CloudWatch Logs client answering GetLogEvents with the given pages, in order, and recording the tokens sent. */
function pagedLogs(pages: Array<{ events: string[]; nextForwardToken: string }>) {
  const tokensSent: Array<string | undefined> = [];
  const logs = {
    send: async (command: GetLogEventsCommand) => {
      tokensSent.push(command.input.nextToken);
      const page = pages.shift();
      if (!page) throw new Error('read past the scripted pages');
      return { events: page.events.map((message) => ({ message: `${message}\n` })), nextForwardToken: page.nextForwardToken };
    },
  } as unknown as CloudWatchLogsClient;
  return { logs, tokensSent };
}

describe('LogTail', () => {
  it('reads on past an empty page whose token moved, and stops when the token comes back unchanged', async () => {
    const { logs, tokensSent } = pagedLogs([
      { events: [], nextForwardToken: 'f/1' },
      { events: ['migrating', 'done'], nextForwardToken: 'f/3' },
      { events: [], nextForwardToken: 'f/3' },
    ]);
    const printed: string[] = [];
    const tail = new LogTail(logs, { group: '/ecs/web', stream: 'ecs/web/abc' }, (line) => printed.push(line));

    expect(await tail.poll()).toBe(2);
    expect(printed).toEqual(['migrating', 'done']);
    expect(tokensSent).toEqual([undefined, 'f/1', 'f/3']);
  });

  it('goes on from where it stopped, keeping the last lines for the failure message', async () => {
    const { logs, tokensSent } = pagedLogs([
      { events: ['one'], nextForwardToken: 'f/1' },
      { events: [], nextForwardToken: 'f/1' },
      { events: ['two', 'three'], nextForwardToken: 'f/3' },
      { events: [], nextForwardToken: 'f/3' },
    ]);
    const tail = new LogTail(logs, { group: 'g', stream: 's' }, () => undefined, 2);

    expect(await tail.poll()).toBe(1);
    expect(await tail.poll()).toBe(2);
    expect(tokensSent).toEqual([undefined, 'f/1', 'f/1', 'f/3']);
    expect(tail.lastLines()).toEqual(['two', 'three']);
  });
});

describe('awslogsStream', () => {
  const logConfiguration = (options: Record<string, string>) => ({ logDriver: 'awslogs', options });
  const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0a1b2c3d';

  it('is <prefix>/<container>/<task id> in the awslogs group, in the awslogs region', () => {
    const container = { name: 'web', logConfiguration: logConfiguration({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'us-west-2' }) };
    expect(awslogsStream(container, TASK)).toEqual({ group: '/ecs/web', stream: 'ecs/web/0a1b2c3d', region: 'us-west-2' });
  });

  it('is nothing without the awslogs driver or a stream prefix (ECS names no predictable stream then)', () => {
    expect(awslogsStream({ name: 'web' }, TASK)).toBeUndefined();
    expect(awslogsStream({ name: 'web', logConfiguration: logConfiguration({ 'awslogs-group': '/ecs/web' }) }, TASK)).toBeUndefined();
    expect(awslogsStream({ name: 'web', logConfiguration: { logDriver: 'splunk', options: {} } }, TASK)).toBeUndefined();
  });
});
