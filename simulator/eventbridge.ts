import { AwsError } from './errors';
import type { HandlerTable } from './handler';
import { decodePageToken, encodePageToken } from './ids';
import type { SimState } from './state';

// EventBridge rules and their targets (AWS JSON 1.1, X-Amz-Target AWSEvents.*), as far as scheduled ECS
// tasks use them. Only the default event bus exists; schedule expressions live only there anyway.

export interface RuleRecord {
  name: string;
  arn: string;
  eventBusName: string;
  scheduleExpression?: string;
  eventPattern?: string;
  state: string;
  description?: string;
  roleArn?: string;
  /** Targets as PutTargets gave them, in the order they were first added. */
  targets: any[];
}

const DEFAULT_BUS = 'default';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS_PER_CALL = 10;
/** The default quota of targets per rule. */
const MAX_TARGETS_PER_RULE = 5;

const validation = (message: string) => new AwsError('ValidationException', message);
const ruleNotFound = (name: string, bus: string) => new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);

/** The bus a call names (by name or ARN); only the default one exists. */
function busOf(input: any): string {
  const given: string = input.EventBusName ?? DEFAULT_BUS;
  const name = given.startsWith('arn:') ? given.slice(given.lastIndexOf('/') + 1) : given;
  if (name !== DEFAULT_BUS) throw new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
  return name;
}

function ruleName(input: any, member = 'Name'): string {
  const name = input[member];
  if (typeof name !== 'string' || !RULE_NAME.test(name)) {
    throw validation(`1 validation error detected: Value '${String(name)}' at '${member.toLowerCase()}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
  }
  return name;
}

function findRule(state: SimState, input: any, member = 'Name'): RuleRecord {
  const bus = busOf(input);
  const name = ruleName(input, member);
  const rule = state.rules.get(`${bus}/${name}`);
  if (!rule) throw ruleNotFound(name, bus);
  return rule;
}

/** Limit 1..100 and an opaque NextToken, as EventBridge's List calls take them. */
function page<T>(items: T[], input: any): { items: T[]; NextToken?: string } {
  const offset = decodePageToken(input.NextToken);
  if (offset === undefined) throw validation('The NextToken provided is invalid.');
  const limit = input.Limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw validation(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`);
  const slice = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { items: slice, NextToken: encodePageToken(offset + limit) } : { items: slice };
}

export function putRule(state: SimState, input: any) {
  const bus = busOf(input);
  const name = ruleName(input);
  if (!input.ScheduleExpression && !input.EventPattern) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.State !== undefined && !['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(input.State)) {
    throw validation(`1 validation error detected: Value '${input.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
  }
  const key = `${bus}/${name}`;
  const existing = state.rules.get(key);
  const rule: RuleRecord = {
    name,
    arn: `arn:aws:events:${state.config.region}:${state.config.accountId}:rule/${name}`,
    eventBusName: bus,
    scheduleExpression: input.ScheduleExpression,
    eventPattern: input.EventPattern,
    state: input.State ?? 'ENABLED',
    description: input.Description,
    roleArn: input.RoleArn,
    targets: existing?.targets ?? [],
  };
  state.rules.set(key, rule);
  return { RuleArn: rule.arn };
}

function ruleView(rule: RuleRecord) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.eventBusName,
  };
}

function describeRule(state: SimState, input: any) {
  const rule = findRule(state, input);
  return { ...ruleView(rule), CreatedBy: state.config.accountId };
}

function listRules(state: SimState, input: any) {
  const bus = busOf(input);
  const prefix: string = input.NamePrefix ?? '';
  const rules = [...state.rules.values()].filter((rule) => rule.eventBusName === bus && rule.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  const { items, NextToken } = page(rules, input);
  return { Rules: items.map(ruleView), ...(NextToken ? { NextToken } : {}) };
}

function listRuleNamesByTarget(state: SimState, input: any) {
  if (typeof input.TargetArn !== 'string' || input.TargetArn === '') throw validation("1 validation error detected: Value null at 'targetArn' failed to satisfy constraint: Member must not be null");
  const bus = busOf(input);
  const names = [...state.rules.values()]
    .filter((rule) => rule.eventBusName === bus && rule.targets.some((target) => target.Arn === input.TargetArn))
    .map((rule) => rule.name)
    .sort();
  const { items, NextToken } = page(names, input);
  return { RuleNames: items, ...(NextToken ? { NextToken } : {}) };
}

function listTargetsByRule(state: SimState, input: any) {
  const rule = findRule(state, input, 'Rule');
  const { items, NextToken } = page(rule.targets, input);
  return { Targets: structuredClone(items), ...(NextToken ? { NextToken } : {}) };
}

function targetProblem(target: any): string | undefined {
  if (typeof target?.Id !== 'string' || !RULE_NAME.test(target.Id)) return 'The target Id must be 1 to 64 characters of [.-_A-Za-z0-9].';
  if (typeof target.Arn !== 'string' || !target.Arn) return `Parameter Arn of target ${target.Id} must be specified.`;
  if (target.EcsParameters && typeof target.EcsParameters.TaskDefinitionArn !== 'string') return `Parameter EcsParameters.TaskDefinitionArn of target ${target.Id} must be specified.`;
  return undefined;
}

/** Adds the targets, or replaces the ones with the same Id (every field of a replaced target is the new one's). */
export function putTargets(state: SimState, input: any) {
  const rule = findRule(state, input, 'Rule');
  const targets: any[] = input.Targets;
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > MAX_TARGETS_PER_CALL) {
    throw validation(`1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and ${MAX_TARGETS_PER_CALL}`);
  }
  const problem = targets.map(targetProblem).find(Boolean);
  if (problem) throw validation(problem);
  const ids = new Set([...rule.targets.map((target) => target.Id), ...targets.map((target) => target.Id)]);
  if (ids.size > MAX_TARGETS_PER_RULE) throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
  for (const target of targets) {
    const at = rule.targets.findIndex((existing) => existing.Id === target.Id);
    if (at === -1) rule.targets.push(structuredClone(target));
    else rule.targets[at] = structuredClone(target);
  }
  return { FailedEntryCount: 0, FailedEntries: [] };
}

function removeTargets(state: SimState, input: any) {
  const rule = findRule(state, input, 'Rule');
  const ids: string[] = input.Ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw validation("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100");
  rule.targets = rule.targets.filter((target) => !ids.includes(target.Id));
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export const eventBridgeHandlers: HandlerTable = {
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  ListRuleNamesByTarget: listRuleNamesByTarget,
  ListTargetsByRule: listTargetsByRule,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
};
