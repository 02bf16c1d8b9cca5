import { AwsError } from './errors';
import type { HandlerTable } from './handler';
import { decodePageToken, encodePageToken, epochSeconds } from './ids';
import type { SimState } from './state';

// EventBridge Scheduler (REST-JSON): schedules in schedule groups. UpdateSchedule replaces the whole
// schedule: a field it is not given goes back to its default, as the API reference warns.

export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  createdAt: number;
  modifiedAt: number;
  /** The writable fields, as CreateSchedule / UpdateSchedule took them, with the defaults filled in. */
  fields: Record<string, any>;
}

export const DEFAULT_GROUP = 'default';
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
/** The retry policy a target gets when none is given (24 hours, 185 attempts). */
const DEFAULT_RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 };
const WRITABLE = ['ScheduleExpression', 'Target', 'FlexibleTimeWindow', 'StartDate', 'EndDate', 'Description', 'ScheduleExpressionTimezone', 'State', 'KmsKeyArn', 'ActionAfterCompletion'];

const validation = (message: string) => new AwsError('ValidationException', message);
const scheduleNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
const groupNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Schedule group ${name} does not exist.`, 404);

function checkName(value: unknown, member: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$`);
  }
  return value;
}

function groupOf(state: SimState, input: any): string {
  const group = checkName(input.GroupName ?? DEFAULT_GROUP, 'groupName');
  if (!state.scheduleGroups.has(group)) throw groupNotFound(group);
  return group;
}

function findSchedule(state: SimState, input: any): ScheduleRecord {
  const name = checkName(input.Name, 'name');
  const group = groupOf(state, input);
  const schedule = state.schedules.get(`${group}/${name}`);
  if (!schedule) throw scheduleNotFound(name);
  return schedule;
}

/** The writable fields of a CreateSchedule or UpdateSchedule call, checked, with every field not given at its default. */
function scheduleFields(input: any): Record<string, any> {
  for (const member of ['ScheduleExpression', 'Target', 'FlexibleTimeWindow']) {
    if (input[member] === undefined || input[member] === null) throw validation(`1 validation error detected: Value null at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  const window = input.FlexibleTimeWindow;
  if (!['OFF', 'FLEXIBLE'].includes(window.Mode)) throw validation(`Invalid FlexibleTimeWindow Mode ${String(window.Mode)}: expected OFF or FLEXIBLE.`);
  if (window.Mode === 'FLEXIBLE' && !(Number.isInteger(window.MaximumWindowInMinutes) && window.MaximumWindowInMinutes >= 1 && window.MaximumWindowInMinutes <= 1440)) {
    throw validation('MaximumWindowInMinutes must be between 1 and 1440 when the FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined) throw validation('MaximumWindowInMinutes must not be set when the FlexibleTimeWindow Mode is OFF.');
  const target = input.Target;
  if (typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') throw validation('Target Arn and RoleArn must be specified.');
  if (target.EcsParameters && typeof target.EcsParameters.TaskDefinitionArn !== 'string') throw validation('EcsParameters.TaskDefinitionArn must be specified.');
  if (input.State !== undefined && !['ENABLED', 'DISABLED'].includes(input.State)) throw validation(`Invalid State ${String(input.State)}: expected ENABLED or DISABLED.`);
  const fields: Record<string, any> = {};
  for (const member of WRITABLE) if (input[member] !== undefined && input[member] !== null) fields[member] = structuredClone(input[member]);
  fields.State ??= 'ENABLED';
  fields.ScheduleExpressionTimezone ??= 'UTC';
  fields.ActionAfterCompletion ??= 'NONE';
  fields.Target.RetryPolicy ??= { ...DEFAULT_RETRY_POLICY };
  if (fields.Target.EcsParameters) fields.Target.EcsParameters.TaskCount ??= 1;
  return fields;
}

export function createSchedule(state: SimState, input: any, now: number) {
  const name = checkName(input.Name, 'name');
  const group = groupOf(state, input);
  const key = `${group}/${name}`;
  if (state.schedules.has(key)) throw new AwsError('ConflictException', `Schedule ${name} already exists.`, 409);
  const schedule: ScheduleRecord = {
    name,
    groupName: group,
    arn: `arn:aws:scheduler:${state.config.region}:${state.config.accountId}:schedule/${group}/${name}`,
    createdAt: now,
    modifiedAt: now,
    fields: scheduleFields(input),
  };
  state.schedules.set(key, schedule);
  return { ScheduleArn: schedule.arn };
}

function getSchedule(state: SimState, input: any) {
  const schedule = findSchedule(state, input);
  return {
    Arn: schedule.arn,
    GroupName: schedule.groupName,
    Name: schedule.name,
    CreationDate: epochSeconds(schedule.createdAt),
    LastModificationDate: epochSeconds(schedule.modifiedAt),
    ...structuredClone(schedule.fields),
  };
}

function updateSchedule(state: SimState, input: any, now: number) {
  const schedule = findSchedule(state, input);
  schedule.fields = scheduleFields(input);
  schedule.modifiedAt = now;
  return { ScheduleArn: schedule.arn };
}

function deleteSchedule(state: SimState, input: any) {
  const schedule = findSchedule(state, input);
  state.schedules.delete(`${schedule.groupName}/${schedule.name}`);
  return {};
}

function listSchedules(state: SimState, input: any) {
  if (input.GroupName !== undefined) checkName(input.GroupName, 'groupName');
  const offset = decodePageToken(input.NextToken);
  if (offset === undefined) throw validation('Invalid NextToken.');
  const limit = input.MaxResults ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validation(`1 validation error detected: Value '${limit}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`);
  const all = [...state.schedules.values()]
    .filter((s) => input.GroupName === undefined || s.groupName === input.GroupName)
    .filter((s) => s.name.startsWith(input.NamePrefix ?? ''))
    .filter((s) => input.State === undefined || s.fields.State === input.State)
    .sort((a, b) => `${a.groupName}/${a.name}`.localeCompare(`${b.groupName}/${b.name}`));
  const summaries = all.slice(offset, offset + limit).map((s) => ({
    Arn: s.arn,
    Name: s.name,
    GroupName: s.groupName,
    State: s.fields.State,
    CreationDate: epochSeconds(s.createdAt),
    LastModificationDate: epochSeconds(s.modifiedAt),
    Target: { Arn: s.fields.Target.Arn },
  }));
  return { Schedules: summaries, ...(offset + limit < all.length ? { NextToken: encodePageToken(offset + limit) } : {}) };
}

export function createScheduleGroup(state: SimState, input: any) {
  const name = checkName(input.Name, 'name');
  if (state.scheduleGroups.has(name)) throw new AwsError('ConflictException', `Schedule group ${name} already exists.`, 409);
  state.scheduleGroups.add(name);
  return { ScheduleGroupArn: `arn:aws:scheduler:${state.config.region}:${state.config.accountId}:schedule-group/${name}` };
}

export const schedulerHandlers: HandlerTable = {
  CreateSchedule: createSchedule,
  GetSchedule: getSchedule,
  UpdateSchedule: updateSchedule,
  DeleteSchedule: deleteSchedule,
  ListSchedules: listSchedules,
  CreateScheduleGroup: createScheduleGroup,
};

interface RestRoute {
  method: string;
  path: RegExp;
  action: string;
}

const ROUTES: RestRoute[] = [
  { method: 'GET', path: /^\/schedules$/, action: 'ListSchedules' },
  { method: 'POST', path: /^\/schedules\/([^/]+)$/, action: 'CreateSchedule' },
  { method: 'GET', path: /^\/schedules\/([^/]+)$/, action: 'GetSchedule' },
  { method: 'PUT', path: /^\/schedules\/([^/]+)$/, action: 'UpdateSchedule' },
  { method: 'DELETE', path: /^\/schedules\/([^/]+)$/, action: 'DeleteSchedule' },
  { method: 'POST', path: /^\/schedule-groups\/([^/]+)$/, action: 'CreateScheduleGroup' },
];

/** Query parameters by the input member they carry (ListSchedules' group is `ScheduleGroup`, the others' `groupName`). */
const QUERY_MEMBERS: Record<string, string> = { ScheduleGroup: 'GroupName', groupName: 'GroupName', NamePrefix: 'NamePrefix', State: 'State', NextToken: 'NextToken', MaxResults: 'MaxResults', clientToken: 'ClientToken' };

/** A Scheduler request's operation and input (path, query and body members together); undefined when it is not one. */
export function schedulerRequest(method: string, url: URL, body: Record<string, any>): { action: string; input: Record<string, any> } | undefined {
  const route = ROUTES.find((r) => r.method === method && r.path.test(url.pathname));
  if (!route) return undefined;
  const input: Record<string, any> = { ...body };
  const name = route.path.exec(url.pathname)![1];
  if (name !== undefined) input.Name = decodeURIComponent(name);
  for (const [key, value] of url.searchParams) {
    const member = QUERY_MEMBERS[key];
    if (member) input[member] = member === 'MaxResults' ? Number(value) : value;
  }
  return { action: route.action, input };
}

export function isSchedulerPath(pathname: string): boolean {
  return /^\/schedule(s|-groups)(\/|$)/.test(pathname);
}
