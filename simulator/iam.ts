import { randomBytes } from 'node:crypto';
import type { SimState } from './state';

// IAM GetRole (query protocol, XML answer), enough to say whether a role exists and whom it trusts; and
// CreateRole, AttachRolePolicy and ListAttachedRolePolicies, so that a client can build a world with roles.
// As IAM answers it, the trust policy (AssumeRolePolicyDocument) is URL-encoded JSON.

export interface RoleRecord {
  name: string;
  arn: string;
  roleId: string;
  createdAt: number;
  /** The trust policy, as JSON. */
  trustPolicy: string;
  path: string;
  description?: string;
  /** Managed policies attached, by ARN. */
  attachedPolicies: string[];
}

/** A role that `trustService` (by default ecs-tasks.amazonaws.com) may assume; `trustService: null` trusts no service. */
export function createRole(state: SimState, name: string, trustService: string | null, now: number): RoleRecord {
  const statements = trustService ? [{ Effect: 'Allow', Principal: { Service: trustService }, Action: 'sts:AssumeRole' }] : [];
  const role: RoleRecord = {
    name,
    arn: `arn:aws:iam::${state.config.accountId}:role/${name}`,
    roleId: `AROA${randomBytes(8).toString('hex').toUpperCase()}`,
    createdAt: now,
    trustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    path: '/',
    attachedPolicies: [],
  };
  state.roles.set(name, role);
  return role;
}

export type IamAnswer = { status: number; xml: string };
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function badRoleName(name: string): IamAnswer {
  return { status: 400, xml: iamErrorXml('ValidationError', `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`) };
}

export const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const requestId = () => randomBytes(16).toString('hex');

export function iamErrorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
}

export function getRole(state: SimState, params: URLSearchParams): { status: number; xml: string } {
  const name = params.get('RoleName') ?? '';
  if (!ROLE_NAME.test(name)) return badRoleName(name);
  const role = state.roles.get(name);
  if (!role) return { status: 404, xml: iamErrorXml('NoSuchEntity', `The role with name ${name} cannot be found.`) };
  return { status: 200, xml: answer('GetRole', roleXml(role)) };
}

export function roleXml(role: RoleRecord): string {
  return `<Role>
      <Path>${xmlEscape(role.path)}</Path>
      <AssumeRolePolicyDocument>${encodeURIComponent(role.trustPolicy)}</AssumeRolePolicyDocument>
      <MaxSessionDuration>3600</MaxSessionDuration>
      <RoleId>${role.roleId}</RoleId>
      <RoleName>${xmlEscape(role.name)}</RoleName>
      <Arn>${xmlEscape(role.arn)}</Arn>
      <CreateDate>${new Date(role.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}</CreateDate>${role.description ? `\n      <Description>${xmlEscape(role.description)}</Description>` : ''}
    </Role>`;
}

export function answer(action: string, result: string): string {
  return `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <${action}Result>
    ${result}
  </${action}Result>
  <ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>
</${action}Response>`;
}

