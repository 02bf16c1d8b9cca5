import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import { ecrImageProblem, logGroupProblem, roleProblem, secretProblem, ssmParameterProblem } from '../aws/lookups';
import { awsEcrAccount, awsEcrRegion, parseImageReference } from '../image/reference';
import { inputName } from '../inputs/spelling';
import { InputError } from '../shared/errors';
import { parameterSelection } from './parameter-selector';
import type { Definition, NamedContainer } from '../taskdef/types';
import type { Reporter } from '../shared/reporter';

// What the task definition refers to must exist before anything changes: ECS finds out only when a
// task fails to start, minutes later and after a rollback.

/** One thing the task definition refers to, and how to find out whether it is there. */
interface Check {
  /** The container, or "task definition" for task-level fields. */
  owner: string;
  field: string;
  resource: string;
  /** The IAM action the lookup needs. */
  permission?: string;
  /** Resolves to undefined when the resource is there, else to what is wrong; absent: not looked up. */
  look?: () => Promise<string | undefined>;
  /** What is wrong, known without a lookup. */
  problem?: string;
  /** Why it is not looked up, or what the lookup cannot tell. */
  note?: string;
}

export interface VerifiedRow {
  owner: string;
  field: string;
  resource: string;
  result: string;
}

export interface Verification {
  rows: VerifiedRow[];
  problems: string[];
  /** Checks the role may not perform, by permission. */
  denied: Map<string, string[]>;
  /** Lookups AWS did not answer (a server error after the SDK's retries, no answer): "what (why)". */
  unanswered: string[];
}

export interface VerifyScope {
  aws: AwsClients;
  /** The account and region of the service: resources elsewhere are not looked up. */
  account: string;
  region: string;
  /** Containers whose image this run builds: not in the registry yet. */
  builtContainers: string[];
}

export async function verifyDefinition(definition: Definition, scope: VerifyScope): Promise<Verification> {
  const checks = collectChecks(definition, scope);
  const outcomes = await Promise.all(checks.map((check) => lookUp(check)));
  const verification: Verification = { rows: [], problems: [], denied: new Map(), unanswered: [] };
  checks.forEach((check, i) => {
    const outcome = outcomes[i];
    const where = check.owner === 'task definition' ? `task definition ${check.field}` : `container "${check.owner}" ${check.field}`;
    // A problem names its input, as every input problem does: what it found is in the task definition.
    const field = check.owner === 'task definition' ? check.field : where;
    if (outcome.kind === 'problem') verification.problems.push(`task-definition: ${field}: ${[check.resource, outcome.what].filter(Boolean).join(' ')}.`);
    if (outcome.kind === 'denied') verification.denied.set(check.permission!, [...(verification.denied.get(check.permission!) ?? []), `${where} ${check.resource}`]);
    if (outcome.kind === 'unanswered') verification.unanswered.push(`${where} ${check.resource} (${outcome.why})`);
    verification.rows.push({ owner: check.owner, field: check.field, resource: check.resource, result: resultText(check, outcome) });
  });
  return verification;
}

type Outcome = { kind: 'found' } | { kind: 'problem'; what: string } | { kind: 'denied' } | { kind: 'skipped' } | { kind: 'unanswered'; why: string };

async function lookUp(check: Check): Promise<Outcome> {
  if (check.problem) return { kind: 'problem', what: check.problem };
  if (!check.look) return { kind: 'skipped' };
  try {
    const what = await check.look();
    return what ? { kind: 'problem', what } : { kind: 'found' };
  } catch (error) {
    // A lookup is a check before the deploy, not a part of it: one that cannot be answered is said, not fatal.
    return isAccessDenied(error) ? { kind: 'denied' } : { kind: 'unanswered', why: awsSaid(error) };
  }
}

function resultText(check: Check, outcome: Outcome): string {
  switch (outcome.kind) {
    case 'found':
      return check.note ? `found (${check.note})` : 'found';
    case 'problem':
      return 'PROBLEM';
    case 'denied':
      return `not checked (${check.permission} denied)`;
    case 'skipped':
      return `not looked up (${check.note})`;
    case 'unanswered':
      return `not checked (${outcome.why})`;
  }
}

export function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation';
}

function collectChecks(definition: Definition, scope: VerifyScope): Check[] {
  const containers = (definition.containerDefinitions ?? []) as NamedContainer[];
  return [...containers.flatMap((container) => [...imageChecks(container, scope), ...secretChecks(container, scope), ...logChecks(container, scope)]), ...roleChecks(definition, scope), ...executionRoleNeed(definition, containers, scope)];
}

function roleChecks(definition: Definition, scope: VerifyScope): Check[] {
  return (['executionRoleArn', 'taskRoleArn'] as const).flatMap((field): Check[] => {
    const arn = definition[field];
    if (!arn) return [];
    const base = { owner: 'task definition', field, resource: arn };
    const parsed = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
    if (!parsed) return [{ ...base, note: 'not a role ARN' }];
    if (parsed[1] !== scope.account) return [{ ...base, note: `another account (${parsed[1]})` }];
    return [{ ...base, permission: 'iam:GetRole', look: () => roleProblem(scope.aws, parsed[2]) }];
  });
}

function imageChecks(container: NamedContainer, scope: VerifyScope): Check[] {
  const image = container.image ?? '';
  const base = { owner: container.name, field: 'image', resource: image };
  if (scope.builtContainers.includes(container.name)) return [];
  let ref: ReturnType<typeof parseImageReference>;
  try {
    ref = parseImageReference(image);
  } catch (error) {
    return [{ ...base, problem: `is not an image reference (${(error as Error).message}): ECS could not pull it` }];
  }
  if (!ref.registry || awsEcrAccount(ref.registry) === undefined) return [{ ...base, note: 'not an ECR image' }];
  if (awsEcrRegion(ref.registry) !== scope.region) return [{ ...base, note: `ECR of ${awsEcrRegion(ref.registry)}, not ${scope.region}` }];
  const registryId = awsEcrAccount(ref.registry)!;
  return [{ ...base, permission: 'ecr:DescribeImages', look: () => ecrImageProblem(scope.aws, registryId, ref.repository, ref) }];
}

/** Where ECS reads secrets from: secrets, the log router's secretOptions, private registry credentials. */
function secretReferences(container: NamedContainer): Array<{ field: string; reference: string }> {
  const named = (field: string, list: Array<{ name?: string; valueFrom?: string }> | undefined) =>
    (list ?? []).filter((s) => typeof s.valueFrom === 'string').map((s) => ({ field: `${field}[${s.name}].valueFrom`, reference: s.valueFrom! }));
  const credentials = container.repositoryCredentials?.credentialsParameter;
  return [
    ...named('secrets', container.secrets),
    ...named('logConfiguration.secretOptions', container.logConfiguration?.secretOptions),
    ...(credentials ? [{ field: 'repositoryCredentials.credentialsParameter', reference: credentials }] : []),
  ];
}

function secretChecks(container: NamedContainer, scope: VerifyScope): Check[] {
  return secretReferences(container).map(({ field, reference }) => {
    const base = { owner: container.name, field, resource: reference };
    const arn = /^arn:[\w-]+:(ssm|secretsmanager):([^:]*):(\d{12}):(.*)$/.exec(reference);
    if (arn && (arn[2] !== scope.region || arn[3] !== scope.account)) return { ...base, note: `another account or region (${arn[3]}, ${arn[2]})` };
    if (arn?.[1] === 'secretsmanager') {
      const [secretId, jsonKey] = [reference.split(':').slice(0, 7).join(':'), reference.split(':')[7]];
      return { ...base, permission: 'secretsmanager:DescribeSecret', look: () => secretProblem(scope.aws, secretId), note: jsonKey ? `the json key ${jsonKey} is not checked: that needs the value` : undefined };
    }
    const { name, version, label } = parameterSelection(arn ? parameterName(arn[4]) : reference);
    const note = label ? `the label ${label} is not checked: only GetParameterHistory tells, and it answers the values` : undefined;
    return { ...base, permission: 'ssm:DescribeParameters', look: () => ssmParameterProblem(scope.aws, name, version), note };
  });
}

/** `parameter/prod/db` names `/prod/db`; `parameter/db` names `db`. */
function parameterName(resource: string): string {
  const path = resource.replace(/^parameter\//, '');
  return path.includes('/') ? `/${path}` : path;
}

function logChecks(container: NamedContainer, scope: VerifyScope): Check[] {
  const log = container.logConfiguration;
  const group = log?.options?.['awslogs-group'];
  if (log?.logDriver !== 'awslogs' || !group) return [];
  const base = { owner: container.name, field: 'logConfiguration.options.awslogs-group', resource: group };
  if (String(log.options?.['awslogs-create-group']) === 'true') return [{ ...base, note: 'awslogs-create-group: ECS creates it' }];
  const region = log.options?.['awslogs-region'] || scope.region;
  return [{ ...base, permission: 'logs:DescribeLogGroups', look: () => logGroupProblem(scope.aws, group, region) }];
}

/** ECS pulls private ECR images, reads secrets and writes awslogs with the execution role. */
function executionRoleNeed(definition: Definition, containers: NamedContainer[], scope: VerifyScope): Check[] {
  if (definition.executionRoleArn) return [];
  const needs = containers.flatMap((container) => {
    const why: string[] = [];
    if (container.logConfiguration?.logDriver === 'awslogs') why.push('logs with awslogs');
    if (secretReferences(container).length > 0) why.push('reads secrets');
    if (!scope.builtContainers.includes(container.name) && isEcrImage(container.image)) why.push('pulls from ECR');
    if (scope.builtContainers.includes(container.name)) why.push('pulls the image this run pushes to ECR');
    return why.length > 0 ? [`container "${container.name}" ${why.join(', ')}`] : [];
  });
  if (needs.length === 0) return [];
  return [{ owner: 'task definition', field: 'executionRoleArn', resource: '', problem: `is missing, and ECS needs an execution role: ${needs.join('; ')}` }];
}

function isEcrImage(image: string | undefined): boolean {
  try {
    const registry = parseImageReference(image ?? '').registry;
    return registry !== undefined && awsEcrAccount(registry) !== undefined;
  } catch {
    return false;
  }
}

/** Problems stop the run (exit 2, nothing changed); a lookup the role may not make is a warning. */
export function judgeVerification(verification: Verification, reporter: Reporter): void {
  for (const [permission, unchecked] of verification.denied) {
    reporter.warn(
      `${inputName('verify')}: the role may not perform ${permission}, so ${unchecked.length === 1 ? 'this was' : 'these were'} not checked: ${unchecked.join('; ')}. Grant ${permission} (the optional statement VerifyBeforeDeploying of the IAM policy) to have ${unchecked.length === 1 ? 'it' : 'them'} checked.`,
    );
  }
  if (verification.unanswered.length > 0) {
    reporter.warn(`${inputName('verify')}: AWS did not answer ${verification.unanswered.length === 1 ? 'this lookup, so it was' : 'these lookups, so they were'} not checked: ${verification.unanswered.join('; ')}.`);
  }
  if (verification.problems.length > 0) throw new InputError(verification.problems);
  const found = verification.rows.filter((row) => row.result.startsWith('found')).length;
  reporter.info(`Verified: ${found} of the ${verification.rows.length} references of the task definition exist${found < verification.rows.length ? ' (the others were not looked up)' : ''}.`);
}

/** What was verified, one row a reference, for the dry run. */
export function verificationTable(rows: VerifiedRow[]): string {
  if (rows.length === 0) return 'Verified: the task definition refers to nothing to look up.';
  const cells = [['container', 'field', 'resource', 'result'], ...rows.map((row) => [row.owner, row.field, row.resource || '—', row.result])];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((cell) => cell[column].length)));
  const line = (cell: string[]) => `  ${cell.map((text, column) => text.padEnd(widths[column])).join('  ')}`.trimEnd();
  return `Verified before any change:\n${cells.map(line).join('\n')}`;
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>` → its account and region. */
export function accountAndRegionOf(clusterArn: string): { account: string; region: string } {
  const [, , , region, account] = clusterArn.split(':');
  return { account, region };
}
