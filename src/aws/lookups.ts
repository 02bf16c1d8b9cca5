import type { AwsClients } from './clients';

// Whether a resource a task definition refers to exists, by read-only calls that never read a
// value. Each resolves to undefined when the resource is there, or to what is wrong with it.

const errorName = (error: unknown) => (error as { name?: string })?.name;

export async function ecrImageProblem(aws: AwsClients, registryId: string, repositoryName: string, image: { tag?: string; digest?: string }): Promise<string | undefined> {
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
  const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? 'latest' };
  try {
    await (await aws.ecr()).send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [imageId] }));
    return undefined;
  } catch (error) {
    if (errorName(error) === 'ImageNotFoundException') return `is not in ECR: repository ${repositoryName} has no image ${image.digest ?? `tagged ${imageId.imageTag}`}`;
    if (errorName(error) === 'RepositoryNotFoundException') return `is not in ECR: there is no repository ${repositoryName} in registry ${registryId}`;
    throw error;
  }
}

/** `version`: the version a selector names; DescribeParameters tells the latest, and SSM numbers them from 1. */
export async function ssmParameterProblem(aws: AwsClients, name: string, version?: number): Promise<string | undefined> {
  const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm');
  const found = await (await aws.ssm()).send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }));
  const parameter = found.Parameters?.find((candidate) => candidate.Name === name);
  if (!parameter) return `is not in SSM Parameter Store: there is no parameter ${name}`;
  if (version !== undefined && parameter.Version !== undefined && (version < 1 || version > parameter.Version)) {
    return `selects version ${version} of ${name}, which SSM Parameter Store does not have: its latest is ${parameter.Version}`;
  }
  return undefined;
}

/** `secretId`: the secret's ARN without the `:json-key:version-stage:version-id` suffix. */
export async function secretProblem(aws: AwsClients, secretId: string): Promise<string | undefined> {
  const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  try {
    const secret = await (await aws.secretsManager()).send(new DescribeSecretCommand({ SecretId: secretId }));
    return secret.DeletedDate ? `is scheduled for deletion in Secrets Manager (since ${secret.DeletedDate.toISOString()})` : undefined;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 'is not in Secrets Manager';
    throw error;
  }
}

export async function logGroupProblem(aws: AwsClients, group: string, region: string): Promise<string | undefined> {
  const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = await aws.logs(region);
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, nextToken }));
    if (page.logGroups?.some((found) => found.logGroupName === group)) return undefined;
    nextToken = page.nextToken;
  } while (nextToken);
  return `does not exist in CloudWatch Logs (${region}), and awslogs-create-group is not "true"`;
}

const ECS_TASKS = 'ecs-tasks.amazonaws.com';

export async function roleProblem(aws: AwsClients, roleName: string): Promise<string | undefined> {
  const { GetRoleCommand } = await import('@aws-sdk/client-iam');
  try {
    const { Role } = await (await aws.iam()).send(new GetRoleCommand({ RoleName: roleName }));
    return trustsEcsTasks(Role?.AssumeRolePolicyDocument) ? undefined : `does not trust ${ECS_TASKS}: its trust policy lets no ${ECS_TASKS} principal assume it (sts:AssumeRole)`;
  } catch (error) {
    if (errorName(error) === 'NoSuchEntityException') return 'does not exist in IAM';
    throw error;
  }
}

/** Whether the trust policy (URL-encoded JSON, as GetRole answers it) allows ECS tasks to assume the role. */
function trustsEcsTasks(document: string | undefined): boolean {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(decodeURIComponent(document ?? ''));
  } catch {
    return false;
  }
  const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  return list(policy.Statement as any).some(
    (statement: { Effect?: string; Action?: string | string[]; Principal?: { Service?: string | string[] } }) =>
      statement.Effect === 'Allow' &&
      list(statement.Action).some((action) => ['sts:AssumeRole', 'sts:*', '*'].includes(action)) &&
      list(statement.Principal?.Service).includes(ECS_TASKS),
  );
}
