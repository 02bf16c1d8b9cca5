import { randomBytes } from 'node:crypto';
import { AwsError } from './errors';
import { epochSeconds } from './ids';
import type { HandlerTable } from './handler';
import type { ParameterRecord, ParameterVersionRecord, SimState } from './state';
import { labelParameterVersion, selectVersion, splitSelector } from './ssmVersions';

// SSM Parameter Store, as far as task definitions use it: parameters exist or not; values are only
// answered by GetParameters. Field names are PascalCase, as in the SSM API.

const MAX_NAMES = 10;
const validation = (message: string) => new AwsError('ValidationException', message);

function parameterArn(state: SimState, name: string): string {
  return `arn:aws:ssm:${state.config.region}:${state.config.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/**
 * A parameter named by name or by ARN, with its version or label selector if any (`:3`, `:live`); an ARN of
 * another account or region is not in this store (undefined: not ours).
 */
function parameterReferenceOf(state: SimState, reference: string): { name: string; selector?: string } | undefined {
  const arn = /^arn:aws[\w-]*:ssm:([^:]*):(\d{12}):parameter\/(.+)$/.exec(reference);
  if (!arn) return splitSelector(reference);
  if (arn[1] !== state.config.region || arn[2] !== state.config.accountId) return undefined;
  const { name, selector } = splitSelector(arn[3]);
  return { name: name.includes('/') ? `/${name}` : name, selector };
}

export function parameterNameOf(state: SimState, reference: string): string | undefined {
  return parameterReferenceOf(state, reference)?.name;
}

/** The parameter and the version the reference selects (the latest without a selector), when both exist. */
export function findParameterVersion(state: SimState, reference: string): { parameter: ParameterRecord; version: ParameterVersionRecord; selector?: string } | undefined {
  const found = parameterReferenceOf(state, reference);
  const parameter = found && state.parameters.get(found.name);
  const version = parameter && selectVersion(parameter, found.selector);
  return version && { parameter: parameter!, version, selector: found!.selector };
}

export function findParameter(state: SimState, reference: string): ParameterRecord | undefined {
  return findParameterVersion(state, reference)?.parameter;
}

export function putParameter(state: SimState, input: any, now: number) {
  const name: unknown = input.Name;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_.\-/]{1,2048}$/.test(name)) {
    throw validation(`1 validation error detected: Value '${String(name)}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.\\-/]+`);
  }
  if (typeof input.Value !== 'string' || input.Value.length === 0) throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const existing = state.parameters.get(name);
  if (existing && input.Overwrite !== true) {
    throw new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  }
  const type = input.Type ?? existing?.type;
  if (!['String', 'StringList', 'SecureString'].includes(type)) throw validation('A parameter type is required when you create a parameter.');
  const record: ParameterRecord = {
    name,
    arn: parameterArn(state, name),
    type,
    value: input.Value,
    version: (existing?.version ?? 0) + 1,
    lastModifiedAt: now,
    dataType: input.DataType ?? 'text',
    history: existing?.history ?? [],
  };
  record.history.push({ version: record.version, value: record.value, lastModifiedAt: now, labels: [] });
  state.parameters.set(name, record);
  return { Version: record.version, Tier: 'Standard' };
}

function getParameters(state: SimState, input: any) {
  const names: unknown = input.Names;
  if (!Array.isArray(names) || names.length === 0 || names.length > MAX_NAMES) {
    throw validation(`1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NAMES}`);
  }
  const found: any[] = [];
  const invalid: string[] = [];
  for (const reference of names as string[]) {
    const selected = findParameterVersion(state, reference);
    if (!selected) {
      invalid.push(reference);
      continue;
    }
    const { parameter, version, selector } = selected;
    const hidden = parameter.type === 'SecureString' && input.WithDecryption !== true;
    found.push({
      Name: parameter.name,
      Type: parameter.type,
      Value: hidden ? `AQICAH${randomBytes(24).toString('base64')}` : version.value,
      Version: version.version,
      ...(selector !== undefined ? { Selector: selector } : {}),
      LastModifiedDate: epochSeconds(version.lastModifiedAt),
      ARN: parameter.arn,
      DataType: parameter.dataType,
    });
  }
  return { Parameters: found, InvalidParameters: invalid };
}

/** The `Name` filters (Equals, BeginsWith) of DescribeParameters' ParameterFilters. */
function nameFilter(input: any): (name: string) => boolean {
  const filters: any[] = (input.ParameterFilters ?? []).filter((filter: any) => filter.Key === 'Name');
  return (name) =>
    filters.every((filter) => {
      const values: string[] = filter.Values ?? [];
      return (filter.Option ?? 'Equals') === 'BeginsWith' ? values.some((v) => name.startsWith(v)) : values.includes(name);
    });
}

function describeParameters(state: SimState, input: any) {
  const matches = nameFilter(input);
  const all = [...state.parameters.values()].filter((parameter) => matches(parameter.name)).sort((a, b) => a.name.localeCompare(b.name));
  const limit = input.MaxResults ?? 50;
  const offset = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw validation('The specified nextToken is invalid.');
  const page = all.slice(offset, offset + limit).map((parameter) => ({
    Name: parameter.name,
    ARN: parameter.arn,
    Type: parameter.type,
    LastModifiedDate: epochSeconds(parameter.lastModifiedAt),
    Version: parameter.version,
    Tier: 'Standard',
    Policies: [],
    DataType: parameter.dataType,
  }));
  return { Parameters: page, ...(offset + limit < all.length ? { NextToken: Buffer.from(String(offset + limit)).toString('base64') } : {}) };
}

export const ssmHandlers: HandlerTable = {
  PutParameter: putParameter,
  GetParameters: getParameters,
  DescribeParameters: describeParameters,
  LabelParameterVersion: labelParameterVersion,
};
