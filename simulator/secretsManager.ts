import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from './errors';
import { epochSeconds } from './ids';
import type { HandlerTable } from './handler';
import type { SecretRecord, SimState } from './state';

// Secrets Manager, as far as task definitions use it: secrets exist (and hold JSON keys) or not.

const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** What a task definition's valueFrom names: the secret's ARN, optionally `:json-key:version-stage:version-id`. */
export interface SecretReference {
  /** undefined: the secret lives in another account or region, not in this store. */
  secret?: SecretRecord;
  ours: boolean;
  jsonKey?: string;
}

function randomSuffix(): string {
  return [...randomBytes(6)].map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
}

/** A secret by name, complete ARN or partial ARN (without the six-character suffix). */
function findSecret(state: SimState, id: string): SecretRecord | undefined {
  if (!id.startsWith('arn:')) return state.secrets.get(id);
  return [...state.secrets.values()].find((secret) => secret.arn === id || secret.arn.slice(0, -7) === id);
}

export function resolveSecretReference(state: SimState, reference: string): SecretReference {
  const parts = reference.split(':');
  const [region, account] = [parts[3], parts[4]];
  if (region !== state.config.region || account !== state.config.accountId) return { ours: false };
  const arn = parts.slice(0, 7).join(':');
  return { ours: true, secret: findSecret(state, arn), jsonKey: parts[7] || undefined };
}

/** Whether the secret's current value is a JSON object with `key`. */
export function secretHasJsonKey(secret: SecretRecord, key: string): boolean {
  try {
    const parsed = JSON.parse(secret.value ?? '');
    return typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, key);
  } catch {
    return false;
  }
}

function createSecret(state: SimState, input: any, now: number) {
  const name: unknown = input.Name;
  if (typeof name !== 'string' || !/^[\w/+=.@-]{1,512}$/.test(name)) throw new AwsError('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  if (state.secrets.has(name)) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
  const secret: SecretRecord = {
    name,
    arn: `arn:aws:secretsmanager:${state.config.region}:${state.config.accountId}:secret:${name}-${randomSuffix()}`,
    createdAt: now,
    versionId: input.ClientRequestToken ?? randomUUID(),
    description: input.Description,
    value: input.SecretString,
  };
  state.secrets.set(name, secret);
  return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId };
}

function describeSecret(state: SimState, input: any) {
  const secret = typeof input.SecretId === 'string' ? findSecret(state, input.SecretId) : undefined;
  if (!secret) throw notFound();
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description ? { Description: secret.description } : {}),
    CreatedDate: epochSeconds(secret.createdAt),
    LastChangedDate: epochSeconds(secret.createdAt),
    VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
  };
}

export const secretsManagerHandlers: HandlerTable = {
  CreateSecret: createSecret,
  DescribeSecret: describeSecret,
};
