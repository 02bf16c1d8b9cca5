import { invalidParameter } from './errors';
import type { LogGroupRecord, SimState } from './state';

// DescribeLogGroups as the CloudWatch Logs API reference states it: ASCII-sorted by name; `limit` 1–50
// (default 50) with `nextToken`; `logGroupNamePrefix`, or `logGroupNamePattern`, a case-sensitive
// substring match answered with only arn, creationTime and logGroupName; the two are mutually exclusive.

const MAX_GROUPS_PER_PAGE = 50;

export function logGroupArn(state: SimState, name: string): string {
  return `arn:aws:logs:${state.config.region}:${state.config.accountId}:log-group:${name}`;
}

function pageLimit(limit: unknown): number {
  if (limit === undefined) return MAX_GROUPS_PER_PAGE;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_GROUPS_PER_PAGE) {
    throw invalidParameter(`1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_GROUPS_PER_PAGE}`);
  }
  return limit as number;
}

/** A token names the last group of the page before (opaque to the caller). */
const tokenAfter = (name: string) => Buffer.from(`after:${name}`).toString('base64');

function nameAfter(token: string): string {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (!decoded.startsWith('after:')) throw invalidParameter('The specified nextToken is invalid.');
  return decoded.slice('after:'.length);
}

const byAscii = (a: LogGroupRecord, b: LogGroupRecord) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function describeLogGroups(state: SimState, input: any) {
  const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const limit = pageLimit(input.limit);
  const after = input.nextToken === undefined ? undefined : nameAfter(input.nextToken);
  const matching = [...state.logGroups.values()]
    .filter((group) => (prefix === undefined || group.name.startsWith(prefix)) && (pattern === undefined || group.name.includes(pattern)))
    .filter((group) => after === undefined || group.name > after)
    .sort(byAscii);
  const page = matching.slice(0, limit);
  const logGroups = page.map((group) => {
    const arn = `${logGroupArn(state, group.name)}:*`;
    if (pattern !== undefined) return { logGroupName: group.name, creationTime: group.createdAt, arn };
    return { logGroupName: group.name, creationTime: group.createdAt, metricFilterCount: 0, arn, logGroupArn: logGroupArn(state, group.name), storedBytes: 0, logGroupClass: 'STANDARD' };
  });
  return { logGroups, ...(matching.length > limit ? { nextToken: tokenAfter(page.at(-1)!.name) } : {}) };
}
