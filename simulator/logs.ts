import { AwsError, invalidParameter } from './errors';
import { describeLogGroups, logGroupArn } from './logGroups';
import type { LogGroupRecord, LogStreamRecord, SimState } from './state';

const MAX_EVENTS_PER_PAGE = 10_000;

const resourceNotFound = (message: string) => new AwsError('ResourceNotFoundException', message);

/** awslogs with `awslogs-create-group: "true"`, and CreateLogGroup: the group is made when missing. */
export function ensureLogGroup(state: SimState, name: string, now: number): LogGroupRecord {
  let group = state.logGroups.get(name);
  if (!group) {
    group = { name, createdAt: now, streams: new Map() };
    state.logGroups.set(name, group);
  }
  return group;
}

/** A stream in an existing group; undefined when the group does not exist (nothing is logged then). */
export function ensureLogStream(state: SimState, groupName: string, streamName: string, now: number): LogStreamRecord | undefined {
  const group = state.logGroups.get(groupName);
  if (!group) return undefined;
  let stream = group.streams.get(streamName);
  if (!stream) {
    stream = { name: streamName, createdAt: now, events: [] };
    group.streams.set(streamName, stream);
  }
  return stream;
}

export function appendLogEvent(state: SimState, groupName: string, streamName: string, message: string, timestamp: number, now: number): void {
  ensureLogStream(state, groupName, streamName, now)?.events.push({ timestamp, message, ingestionTime: now });
}

function groupNameOf(input: any): string {
  const identifier: string | undefined = input.logGroupName ?? input.logGroupIdentifier;
  if (!identifier) throw invalidParameter('logGroupName or logGroupIdentifier must be specified.');
  const arnGroup = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return arnGroup ? arnGroup[1] : identifier;
}

function requireGroup(state: SimState, input: any): LogGroupRecord {
  const group = state.logGroups.get(groupNameOf(input));
  if (!group) throw resourceNotFound('The specified log group does not exist.');
  return group;
}

function requireStream(state: SimState, input: any): LogStreamRecord {
  const stream = requireGroup(state, input).streams.get(input.logStreamName);
  if (!stream) throw resourceNotFound('The specified log stream does not exist.');
  return stream;
}

/** Tokens name a position in the stream: `f/<n>` reads forward from event n, `b/<n>` backward from before event n. */
const forwardToken = (position: number) => `f/${String(position).padStart(56, '0')}/s`;
const backwardToken = (position: number) => `b/${String(position).padStart(56, '0')}/s`;

function parseStreamToken(token: string): { direction: 'f' | 'b'; position: number } {
  const match = /^([fb])\/(\d+)\/s$/.exec(token);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', position: Number(match[2]) };
}

function pageLimit(input: any): number {
  const limit = input.limit ?? MAX_EVENTS_PER_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_PAGE) {
    throw invalidParameter('limit must be between 1 and 10000.');
  }
  return limit;
}

function inTimeWindow(input: any) {
  return (timestamp: number) =>
    (input.startTime === undefined || timestamp >= input.startTime) && (input.endTime === undefined || timestamp < input.endTime);
}

function getLogEvents(state: SimState, input: any) {
  const stream = requireStream(state, input);
  const limit = pageLimit(input);
  const inWindow = inTimeWindow(input);
  const positions = stream.events.map((_, index) => index).filter((index) => inWindow(stream.events[index].timestamp));
  const token = input.nextToken ? parseStreamToken(input.nextToken) : undefined;
  const readForward = token ? token.direction === 'f' : input.startFromHead === true;

  let selected: number[];
  if (readForward) {
    const from = token?.position ?? 0;
    selected = positions.filter((index) => index >= from).slice(0, limit);
  } else {
    const before = token?.position ?? stream.events.length;
    selected = positions.filter((index) => index < before).slice(-limit);
  }

  const events = selected.map((index) => ({ ...stream.events[index] }));
  if (selected.length === 0) {
    const position = token?.position ?? (readForward ? 0 : stream.events.length);
    return {
      events,
      nextForwardToken: token?.direction === 'f' ? input.nextToken : forwardToken(position),
      nextBackwardToken: token?.direction === 'b' ? input.nextToken : backwardToken(position),
    };
  }
  return {
    events,
    nextForwardToken: forwardToken(selected.at(-1)! + 1),
    nextBackwardToken: backwardToken(selected[0]),
  };
}

function matchesFilterPattern(pattern: string | undefined) {
  const terms = (pattern ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => term.replace(/^"(.*)"$/, '$1'));
  return (message: string) => terms.every((term) => message.includes(term));
}

function filterLogEvents(state: SimState, input: any) {
  const group = requireGroup(state, input);
  const limit = pageLimit(input);
  const inWindow = inTimeWindow(input);
  const matches = matchesFilterPattern(input.filterPattern);
  const streams = [...group.streams.values()].filter(
    (stream) =>
      (!input.logStreamNames || input.logStreamNames.includes(stream.name)) &&
      (!input.logStreamNamePrefix || stream.name.startsWith(input.logStreamNamePrefix)),
  );
  const all = streams
    .flatMap((stream) =>
      stream.events.map((event, index) => ({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: `${stream.name}/${index}`,
      })),
    )
    .filter((event) => inWindow(event.timestamp) && matches(event.message))
    .sort((a, b) => a.timestamp - b.timestamp);

  const offset = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameter('The specified nextToken is invalid.');
  const events = all.slice(offset, offset + limit);
  const result: any = {
    events,
    searchedLogStreams: streams.map((stream) => ({ logStreamName: stream.name, searchedCompletely: true })),
  };
  if (offset + limit < all.length) result.nextToken = Buffer.from(String(offset + limit)).toString('base64');
  return result;
}

export const logsHandlers = {
  GetLogEvents: (state: SimState, input: any) => getLogEvents(state, input),

  FilterLogEvents: (state: SimState, input: any) => filterLogEvents(state, input),

  CreateLogGroup(state: SimState, input: any, now: number) {
    if (!input.logGroupName) throw invalidParameter('logGroupName must be specified.');
    if (state.logGroups.has(input.logGroupName)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    }
    ensureLogGroup(state, input.logGroupName, now);
    return {};
  },

  CreateLogStream(state: SimState, input: any, now: number) {
    const group = requireGroup(state, input);
    if (group.streams.has(input.logStreamName)) {
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    }
    ensureLogStream(state, group.name, input.logStreamName, now);
    return {};
  },

  PutLogEvents(state: SimState, input: any, now: number) {
    const stream = requireStream(state, input);
    const events: any[] = input.logEvents ?? [];
    if (events.length === 0) throw invalidParameter('logEvents must contain at least one event.');
    events.forEach((event, index) => {
      if (!Number.isInteger(event.timestamp) || typeof event.message !== 'string') throw invalidParameter('Each log event needs a timestamp and a message.');
      if (index > 0 && event.timestamp < events[index - 1].timestamp) {
        throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      }
    });
    for (const event of events) stream.events.push({ timestamp: event.timestamp, message: event.message, ingestionTime: now });
    stream.events.sort((a, b) => a.timestamp - b.timestamp);
    return { nextSequenceToken: String(stream.events.length).padStart(56, '0') };
  },

  DescribeLogGroups: describeLogGroups,

  DescribeLogStreams(state: SimState, input: any) {
    const group = requireGroup(state, input);
    const prefix: string = input.logStreamNamePrefix ?? '';
    const streams = [...group.streams.values()].filter((stream) => stream.name.startsWith(prefix));
    const lastEventTime = (stream: LogStreamRecord) => stream.events.at(-1)?.timestamp ?? stream.createdAt;
    if (input.orderBy === 'LastEventTime') streams.sort((a, b) => lastEventTime(a) - lastEventTime(b));
    else streams.sort((a, b) => a.name.localeCompare(b.name));
    if (input.descending) streams.reverse();
    const logStreams = streams.slice(0, input.limit ?? 50).map((stream) => ({
      logStreamName: stream.name,
      creationTime: stream.createdAt,
      ...(stream.events.length
        ? {
            firstEventTimestamp: stream.events[0].timestamp,
            lastEventTimestamp: stream.events.at(-1)!.timestamp,
            lastIngestionTime: stream.events.at(-1)!.ingestionTime,
          }
        : {}),
      arn: `${logGroupArn(state, group.name)}:log-stream:${stream.name}`,
      storedBytes: 0,
    }));
    return { logStreams };
  },
};
