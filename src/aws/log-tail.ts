import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface LogStreamRef {
  group: string;
  stream: string;
  /** awslogs-region: where the driver sends the logs. */
  region?: string;
}

/** Pages one read may take; a stream that grows faster than this is read on at the next poll. */
const MAX_PAGES = 100;

/** Follows one CloudWatch Logs stream forward: every line once, in order, none lost at the end. */
export class LogTail {
  private token: string | undefined;
  private readonly recent: string[] = [];

  constructor(
    private readonly logs: CloudWatchLogsClient,
    readonly ref: LogStreamRef,
    private readonly print: (line: string) => void,
    private readonly keep = 20,
  ) {}

  /** Reads everything new; returns how many lines it printed. */
  async poll(): Promise<number> {
    // The CloudWatch Logs SDK loads with the first read of a log (a migration's), not with every run.
    const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    let printed = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      let out;
      try {
        out = await this.logs.send(
          new GetLogEventsCommand({ logGroupName: this.ref.group, logStreamName: this.ref.stream, startFromHead: true, nextToken: this.token }),
        );
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return printed; // the stream appears once the container logs
        throw error;
      }
      for (const event of out.events ?? []) {
        const line = (event.message ?? '').replace(/\n$/, '');
        this.print(line);
        this.recent.push(line);
        if (this.recent.length > this.keep) this.recent.shift();
        printed++;
      }
      // The end of the stream is the token coming back unchanged; an empty page before it is not the end.
      const unchanged = out.nextForwardToken === undefined || out.nextForwardToken === this.token;
      this.token = out.nextForwardToken ?? this.token;
      if (unchanged) return printed;
    }
    return printed;
  }

  lastLines(): string[] {
    return [...this.recent];
  }
}

/** The stream ECS's awslogs driver writes a task's container to: `<prefix>/<container>/<task id>`. */
export function awslogsStream(container: { name?: string; logConfiguration?: { logDriver?: string; options?: Record<string, string> } }, taskArn: string): LogStreamRef | undefined {
  const options = container.logConfiguration?.options;
  if (container.logConfiguration?.logDriver !== 'awslogs' || !options?.['awslogs-group'] || !options['awslogs-stream-prefix']) return undefined;
  const taskId = taskArn.split('/').pop()!;
  return { group: options['awslogs-group'], stream: `${options['awslogs-stream-prefix']}/${container.name}/${taskId}`, region: options['awslogs-region'] || undefined };
}

/** The last `count` lines of a stream (a task that stopped: what it said last); none when the stream is not there. */
export async function lastLogLines(logs: CloudWatchLogsClient, ref: LogStreamRef, count: number): Promise<string[]> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: ref.group, logStreamName: ref.stream, startFromHead: false, limit: count }));
    return (out.events ?? []).map((event) => (event.message ?? '').replace(/\n$/, ''));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return [];
    throw error;
  }
}
