import type { ECRClient } from '@aws-sdk/client-ecr';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { askOnce } from './ask-once';
import { batchOf } from './batch';
import type { AwsClients } from './clients';

// Whether a resource a task definition refers to exists, by read-only calls that never read a
// value. Each resolves to undefined when the resource is there, or to what is wrong with it. Each
// resource is looked up once per run (per client), and images and parameters in batches.

const errorName = (error: unknown) => (error as { name?: string })?.name;

/** DescribeImages takes up to 100 image IDs; DescribeParameters' Name filter up to 50 names (ten keep a page small). */
const IMAGES_PER_CALL = 100;
const PARAMETERS_PER_CALL = 10;

type ImageId = { imageDigest?: string; imageTag?: string };
type ImageFound = 'found' | 'no image' | 'no repository';

export async function ecrImageProblem(aws: AwsClients, registryId: string, repositoryName: string, image: { tag?: string; digest?: string }): Promise<string | undefined> {
  const ecr = await aws.ecr();
  const imageId: ImageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? 'latest' };
  const found = await askOnce(ecr, `image ${registryId} ${repositoryName} ${image.digest ?? imageId.imageTag}`, () =>
    batchOf(ecr, `images ${registryId} ${repositoryName}`, IMAGES_PER_CALL, (ids: ImageId[]) => imagesFound(ecr, registryId, repositoryName, ids)).get(imageId),
  );
  if (found === 'no image') return `is not in ECR: repository ${repositoryName} has no image ${image.digest ?? `tagged ${imageId.imageTag}`}`;
  if (found === 'no repository') return `is not in ECR: there is no repository ${repositoryName} in registry ${registryId}`;
  return undefined;
}

/** Whether each image is in the repository, in one DescribeImages (which fails whole when one is missing: then one by one). */
async function imagesFound(ecr: ECRClient, registryId: string, repositoryName: string, ids: ImageId[]): Promise<ImageFound[]> {
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
  try {
    const { imageDetails = [] } = await ecr.send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: ids }));
    const listed = (id: ImageId) => imageDetails.some((d) => (id.imageDigest ? d.imageDigest === id.imageDigest : d.imageTags?.includes(id.imageTag!)));
    if (ids.length === 1 || ids.every(listed)) return ids.map(() => 'found');
  } catch (error) {
    if (errorName(error) === 'RepositoryNotFoundException') return ids.map(() => 'no repository');
    if (errorName(error) !== 'ImageNotFoundException') throw error;
    if (ids.length === 1) return ['no image'];
  }
  return (await Promise.all(ids.map((id) => imagesFound(ecr, registryId, repositoryName, [id])))).flat();
}

/** `version`: the version a selector names; DescribeParameters tells the latest, and SSM numbers them from 1. */
export async function ssmParameterProblem(aws: AwsClients, name: string, version?: number): Promise<string | undefined> {
  const ssm = await aws.ssm();
  const latest = await askOnce(ssm, `parameter ${name}`, () => batchOf(ssm, 'parameters', PARAMETERS_PER_CALL, (names: string[]) => latestVersions(ssm, names)).get(name));
  if (latest === undefined) return `is not in SSM Parameter Store: there is no parameter ${name}`;
  if (version !== undefined && latest !== null && (version < 1 || version > latest)) {
    return `selects version ${version} of ${name}, which SSM Parameter Store does not have: its latest is ${latest}`;
  }
  return undefined;
}

/** Each parameter's latest version (null when SSM does not say), undefined when it is not there; never a value. */
async function latestVersions(ssm: SSMClient, names: string[]): Promise<Array<number | null | undefined>> {
  const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm');
  const versions = new Map<string, number | null>();
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }], MaxResults: 50, NextToken }));
    for (const parameter of page.Parameters ?? []) if (parameter.Name) versions.set(parameter.Name, parameter.Version ?? null);
    NextToken = page.NextToken;
  } while (NextToken);
  return names.map((name) => versions.get(name));
}

/** `secretId`: the secret's ARN without the `:json-key:version-stage:version-id` suffix. */
export async function secretProblem(aws: AwsClients, secretId: string): Promise<string | undefined> {
  const secrets = await aws.secretsManager();
  return askOnce(secrets, `secret ${secretId}`, async () => {
    const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    try {
      const secret = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
      return secret.DeletedDate ? `is scheduled for deletion in Secrets Manager (since ${secret.DeletedDate.toISOString()})` : undefined;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return 'is not in Secrets Manager';
      throw error;
    }
  });
}

export async function logGroupProblem(aws: AwsClients, group: string, region: string): Promise<string | undefined> {
  const logs = await aws.logs(region);
  return askOnce(logs, `log group ${group}`, async () => {
    const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, nextToken }));
      if (page.logGroups?.some((found) => found.logGroupName === group)) return undefined;
      nextToken = page.nextToken;
    } while (nextToken);
    return `does not exist in CloudWatch Logs (${region}), and awslogs-create-group is not "true"`;
  });
}

const ECS_TASKS = 'ecs-tasks.amazonaws.com';

export async function roleProblem(aws: AwsClients, roleName: string): Promise<string | undefined> {
  const iam = await aws.iam();
  return askOnce(iam, `role ${roleName}`, async () => {
    const { GetRoleCommand } = await import('@aws-sdk/client-iam');
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      return trustsEcsTasks(Role?.AssumeRolePolicyDocument) ? undefined : `does not trust ${ECS_TASKS}: its trust policy lets no ${ECS_TASKS} principal assume it (sts:AssumeRole)`;
    } catch (error) {
      if (errorName(error) === 'NoSuchEntityException') return 'does not exist in IAM';
      throw error;
    }
  });
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
