import { randomBytes } from 'node:crypto';
import { answer, badRoleName, getRole, iamErrorXml, ROLE_NAME, roleXml, xmlEscape, type IamAnswer, type RoleRecord } from './iam';
import type { SimState } from './state';

// IAM CreateRole, AttachRolePolicy and ListAttachedRolePolicies (IAM API reference), as a client sets up a
// task's roles: the trust policy must be JSON; a role name is taken once (EntityAlreadyExists, 409); a
// policy attaches to an existing role only (NoSuchEntity, 404). Managed policies are not stored: any
// well-formed policy ARN attaches.

const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

function createRole(state: SimState, params: URLSearchParams, now: number): IamAnswer {
  const name = params.get('RoleName') ?? '';
  if (!ROLE_NAME.test(name)) return badRoleName(name);
  if (state.roles.has(name)) return { status: 409, xml: iamErrorXml('EntityAlreadyExists', `Role with name ${name} already exists.`) };
  const document = params.get('AssumeRolePolicyDocument') ?? '';
  try {
    JSON.parse(document);
  } catch {
    return { status: 400, xml: iamErrorXml('MalformedPolicyDocument', 'This policy contains invalid Json') };
  }
  const path = params.get('Path') ?? '/';
  const role: RoleRecord = {
    name,
    arn: `arn:aws:iam::${state.config.accountId}:role${path}${name}`,
    roleId: `AROA${randomBytes(8).toString('hex').toUpperCase()}`,
    createdAt: now,
    trustPolicy: document,
    path,
    description: params.get('Description') ?? undefined,
    attachedPolicies: [],
  };
  state.roles.set(name, role);
  return { status: 200, xml: answer('CreateRole', roleXml(role)) };
}

function roleOf(state: SimState, params: URLSearchParams): RoleRecord | IamAnswer {
  const name = params.get('RoleName') ?? '';
  if (!ROLE_NAME.test(name)) return badRoleName(name);
  return state.roles.get(name) ?? { status: 404, xml: iamErrorXml('NoSuchEntity', `The role with name ${name} cannot be found.`) };
}

function attachRolePolicy(state: SimState, params: URLSearchParams): IamAnswer {
  const role = roleOf(state, params);
  if ('xml' in role) return role;
  const policyArn = params.get('PolicyArn') ?? '';
  if (!POLICY_ARN.test(policyArn)) return { status: 400, xml: iamErrorXml('InvalidInput', `ARN ${policyArn} is not valid.`) };
  if (!role.attachedPolicies.includes(policyArn)) role.attachedPolicies.push(policyArn);
  return { status: 200, xml: answer('AttachRolePolicy', '') };
}

function listAttachedRolePolicies(state: SimState, params: URLSearchParams): IamAnswer {
  const role = roleOf(state, params);
  if ('xml' in role) return role;
  const members = role.attachedPolicies
    .map((arn) => `<member><PolicyName>${xmlEscape(POLICY_ARN.exec(arn)![2])}</PolicyName><PolicyArn>${xmlEscape(arn)}</PolicyArn></member>`)
    .join('');
  return { status: 200, xml: answer('ListAttachedRolePolicies', `<IsTruncated>false</IsTruncated><AttachedPolicies>${members}</AttachedPolicies>`) };
}

/** The IAM actions the simulator answers, by name. */
export const iamActions: Record<string, (state: SimState, params: URLSearchParams, now: number) => IamAnswer> = {
  GetRole: getRole,
  CreateRole: createRole,
  AttachRolePolicy: attachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
};
