import { RegistryClient } from '../ecrRegistry';
import type { SimState } from '../state';

// The task execution role: Fargate assumes it to pull private ECR images, read secrets and send awslogs
// (ECS developer guide: task execution IAM role). A role of this account that does not exist, or whose
// trust policy does not let ecs-tasks.amazonaws.com assume it, stops such a task before it starts. Roles
// of other accounts are taken as there; a definition without an execution role is not looked at here.

const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const ECR_HOST = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Whether the trust policy lets ECS tasks assume the role (sts:AssumeRole, allowed, for the service principal). */
export function trustsEcsTasks(trustPolicy: string): boolean {
  let policy: any;
  try {
    policy = JSON.parse(trustPolicy);
  } catch {
    return false;
  }
  return list<any>(policy?.Statement).some(
    (statement) =>
      statement?.Effect === 'Allow' &&
      list<string>(statement.Action).some((action) => ['sts:AssumeRole', 'sts:*', '*'].includes(action)) &&
      list<string>(statement.Principal?.Service).includes(ECS_TASKS),
  );
}

/** What the task needs its execution role for, in the containers' order. */
function needs(state: SimState, taskDefinition: any): string[] {
  const registryHost = state.config.ecrRegistry && new RegistryClient(state.config.ecrRegistry).host;
  const why = new Set<string>();
  for (const container of taskDefinition.containerDefinitions ?? []) {
    const image = String(container.image ?? '');
    if (ECR_HOST.test(image) || (registryHost && image.startsWith(`${registryHost}/`))) why.add('pull the ECR image');
    if ((container.secrets ?? []).length || (container.logConfiguration?.secretOptions ?? []).length || container.repositoryCredentials) why.add('read the secrets');
    if (container.logConfiguration?.logDriver === 'awslogs') why.add('send awslogs');
  }
  return [...why];
}

/** Not documented: the wording. Why the task cannot start for want of its execution role, if it cannot. */
export function executionRoleProblem(state: SimState, taskDefinition: any): string | undefined {
  const arn: string | undefined = taskDefinition.executionRoleArn;
  const parsed = arn && /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!parsed || parsed[1] !== state.config.accountId) return undefined;
  const wanted = needs(state, taskDefinition);
  if (wanted.length === 0) return undefined;
  const role = state.roles.get(parsed[2]);
  const what = !role ? 'the role does not exist' : trustsEcsTasks(role.trustPolicy) ? undefined : `its trust policy does not allow ${ECS_TASKS} to assume it`;
  if (!what) return undefined;
  return `ResourceInitializationError: unable to assume the task execution role ${arn} to ${wanted.join(', ')}: ${what}`;
}
