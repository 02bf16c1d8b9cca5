import { findLocalImage } from '../ecr';
import { executionRoleProblem } from './executionRole';
import { RegistryClient } from '../ecrRegistry';
import { ensureLogGroup } from '../logs';
import { resolveSecretReference, secretHasJsonKey } from '../secretsManager';
import { findParameter, parameterNameOf } from '../ssm';
import type { SimState, StartFailure } from '../state';

// What a Fargate task needs from the world before its containers start, looked up in the simulator's
// own ECR, SSM, Secrets Manager and CloudWatch Logs. Resources of other accounts, regions and registries
// are taken as there. The reasons are ECS's own words (platform version 1.4).

const SECRETS_FAILED = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

interface ImageReference {
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

function parseImage(image: string): ImageReference | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const host = image.slice(0, slash);
  if (!/[.:]/.test(host) && host !== 'localhost') return undefined;
  let rest = image.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  const colon = rest.lastIndexOf(':');
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  return { host, repository, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

const pullFailed = (image: string) =>
  `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${image}: not found`;

/** Whether the simulator's registry (the account's ECR host, or the real registry standing in for it) has the image. */
async function imageExists(state: SimState, image: string): Promise<boolean> {
  const ref = parseImage(image);
  if (!ref) return true;
  const ownHost = `${state.config.accountId}.dkr.ecr.${state.config.region}.amazonaws.com`;
  const registry = state.config.ecrRegistry && new RegistryClient(state.config.ecrRegistry);
  if (registry && ref.host === registry.host) {
    const found = await registry.manifest(ref.repository, ref.digest ?? ref.tag!);
    return found !== undefined && (!ref.digest || found.digest === ref.digest);
  }
  if (ref.host !== ownHost) return true;
  const repository = state.repositories.get(ref.repository);
  return repository !== undefined && findLocalImage(repository, { imageTag: ref.digest ? undefined : ref.tag, imageDigest: ref.digest }) !== undefined;
}

/** Why a secret reference (valueFrom, credentialsParameter) cannot be read, if it cannot. */
function secretProblem(state: SimState, reference: string): string | undefined {
  if (reference.startsWith('arn:') && reference.split(':')[2] === 'secretsmanager') {
    const { ours, secret, jsonKey } = resolveSecretReference(state, reference);
    if (!ours) return undefined;
    const arn = reference.split(':').slice(0, 7).join(':');
    if (!secret) {
      return `${SECRETS_FAILED}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${arn} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`;
    }
    if (jsonKey && !secretHasJsonKey(secret, jsonKey)) {
      return `${SECRETS_FAILED}: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key ${jsonKey}`;
    }
    return undefined;
  }
  if (parameterNameOf(state, reference) === undefined || findParameter(state, reference)) return undefined;
  return `${SECRETS_FAILED}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: ${reference}`;
}

function secretReferences(container: any): string[] {
  const secrets = [...(container.secrets ?? []), ...(container.logConfiguration?.secretOptions ?? [])].map((secret: any) => secret.valueFrom);
  const credentials = container.repositoryCredentials?.credentialsParameter;
  return [...secrets, ...(credentials ? [credentials] : [])].filter((value): value is string => typeof value === 'string');
}

/** The awslogs group a container logs to is there, or is created when the definition says so. */
function logGroupProblem(state: SimState, container: any, now: number): string | undefined {
  const log = container.logConfiguration;
  if (log?.logDriver !== 'awslogs') return undefined;
  const group = log.options?.['awslogs-group'];
  if (!group || state.logGroups.has(group)) return undefined;
  if (String(log.options?.['awslogs-create-group']) === 'true') {
    ensureLogGroup(state, group, now);
    return undefined;
  }
  return 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1';
}

/**
 * Looks at the world in the order a Fargate agent does: the execution role, execution resources (secrets,
 * registry auth), then images, then each container's logger. Resolves to the first failure, or undefined.
 */
export async function checkTaskStart(state: SimState, taskDefinition: any, now: number): Promise<StartFailure | undefined> {
  const containers: any[] = taskDefinition.containerDefinitions ?? [];
  const role = executionRoleProblem(state, taskDefinition);
  if (role) return { stoppedReason: role };
  for (const container of containers) {
    for (const reference of secretReferences(container)) {
      const problem = secretProblem(state, reference);
      if (problem) return { stoppedReason: problem };
    }
  }
  for (const container of containers) {
    if (!(await imageExists(state, container.image))) {
      return { stoppedReason: pullFailed(container.image), container: container.name, containerReason: pullFailed(container.image) };
    }
  }
  for (const container of containers) {
    const problem = logGroupProblem(state, container, now);
    if (problem) return { stoppedReason: problem, container: container.name, containerReason: problem };
  }
  return undefined;
}
