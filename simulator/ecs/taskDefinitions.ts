import { clientException, invalidParameter } from '../errors';
import { epochSeconds } from '../ids';
import type { SimState, TaskDefinitionRecord } from '../state';
import { isFargateSize, normalizeCpu, normalizeMemory } from './fargateSizes';
import { paginate } from './pagination';

const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];

/** Fields RegisterTaskDefinition accepts and echoes back unchanged. */
const PASSTHROUGH_FIELDS = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
];

function parseReference(reference: string): { family: string; revision?: number } {
  const body = reference.startsWith('arn:') ? reference.slice(reference.indexOf('task-definition/') + 16) : reference;
  const colon = body.lastIndexOf(':');
  if (colon < 0) return { family: body };
  return { family: body.slice(0, colon), revision: Number(body.slice(colon + 1)) };
}

/** `family` (latest ACTIVE revision), `family:revision` or a full ARN. */
export function findTaskDefinition(state: SimState, reference: string | undefined): TaskDefinitionRecord | undefined {
  if (!reference) return undefined;
  const { family, revision } = parseReference(reference);
  const revisions = state.taskDefinitions.get(family) ?? [];
  if (revision === undefined) {
    return revisions.filter((r) => r.description.status === 'ACTIVE').at(-1);
  }
  return revisions.find((r) => r.description.revision === revision);
}

/** The definition a task or deployment would run: it must exist and be ACTIVE. */
export function requireRunnableTaskDefinition(state: SimState, reference: string | undefined): TaskDefinitionRecord {
  const record = findTaskDefinition(state, reference);
  if (!record) throw clientException('TaskDefinition not found.');
  if (record.description.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  return record;
}

function validate(input: any, cpu: string | undefined, memory: string | undefined): void {
  const family = input.family;
  if (typeof family !== 'string' || !/^[a-zA-Z0-9_-]{1,255}$/.test(family)) {
    throw clientException('Family contains invalid characters. Up to 255 letters, numbers, hyphens and underscores are allowed.');
  }
  const containers: any[] = input.containerDefinitions ?? [];
  if (containers.length === 0) throw clientException('Container list cannot be empty.');
  if (input.networkMode !== undefined && !NETWORK_MODES.includes(input.networkMode)) {
    throw clientException(`Invalid networkMode: ${input.networkMode}`);
  }
  if ((input.requiresCompatibilities ?? []).includes('FARGATE')) {
    if (input.networkMode !== 'awsvpc') throw clientException("Fargate only supports network mode 'awsvpc'.");
    if (cpu === undefined) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined) throw clientException("Fargate requires that 'memory' be defined at the task level.");
    if (!isFargateSize(cpu, memory)) {
      throw clientException(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }
  const names = new Set<string>();
  for (const container of containers) {
    if (!container.name) throw clientException('Container.name should not be null or empty.');
    if (!container.image) throw clientException('Container.image should not be null or empty.');
    if (names.has(container.name)) throw clientException(`Duplicate container name: ${container.name}`);
    names.add(container.name);
    if (memory === undefined && container.memory === undefined && container.memoryReservation === undefined) {
      throw clientException(
        `Invalid setting for container '${container.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
  }
  if (!containers.some((container) => container.essential !== false)) {
    throw clientException('Task definition does not have any essential container.');
  }
}

function normalizeContainer(container: any, networkMode: string | undefined): any {
  const portMappings = (container.portMappings ?? []).map((mapping: any) => ({
    ...mapping,
    ...(networkMode === 'awsvpc' || networkMode === 'host' ? { hostPort: mapping.hostPort ?? mapping.containerPort } : {}),
    protocol: mapping.protocol ?? 'tcp',
  }));
  return {
    ...container,
    cpu: container.cpu ?? 0,
    portMappings,
    essential: container.essential ?? true,
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
    systemControls: container.systemControls ?? [],
  };
}

function requiredAttributes(input: any, containers: any[]): any[] {
  const names = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  for (const container of containers) {
    const driver = container.logConfiguration?.logDriver;
    if (driver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
      if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
    }
    if (/\.dkr\.ecr\./.test(container.image ?? '')) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (input.executionRoleArn) names.add('ecs.capability.execution-role-ecr-pull');
    }
    if (container.secrets?.length) names.add('ecs.capability.secrets.asm.environment-variables');
  }
  return [...names].map((name) => ({ name }));
}

export function registerTaskDefinition(state: SimState, input: any, now: number): TaskDefinitionRecord {
  const cpu = normalizeCpu(input.cpu);
  const memory = normalizeMemory(input.memory);
  validate(input, cpu, memory);
  const family: string = input.family;
  const revisions = state.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const containerDefinitions = input.containerDefinitions.map((c: any) => normalizeContainer(c, input.networkMode));
  const fargateCompatible = input.networkMode === 'awsvpc' && cpu !== undefined && memory !== undefined && isFargateSize(cpu, memory);

  const description: Record<string, any> = {
    taskDefinitionArn: state.ecsArn(`task-definition/${family}:${revision}`),
    containerDefinitions,
    family,
  };
  for (const field of PASSTHROUGH_FIELDS) {
    if (input[field] !== undefined) description[field] = input[field];
  }
  Object.assign(description, {
    revision,
    volumes: input.volumes ?? [],
    status: 'ACTIVE',
    requiresAttributes: requiredAttributes(input, containerDefinitions),
    placementConstraints: input.placementConstraints ?? [],
    compatibilities: fargateCompatible ? ['EC2', 'FARGATE'] : ['EC2'],
  });
  if (input.requiresCompatibilities !== undefined) description.requiresCompatibilities = input.requiresCompatibilities;
  if (cpu !== undefined) description.cpu = cpu;
  if (memory !== undefined) description.memory = memory;
  description.registeredAt = epochSeconds(now);
  description.registeredBy = `arn:aws:iam::${state.config.accountId}:user/ecs-ship-simulator`;

  const record: TaskDefinitionRecord = { description, tags: input.tags ?? [] };
  revisions.push(record);
  state.taskDefinitions.set(family, revisions);
  return record;
}

const LIST_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'];

/**
 * familyPrefix is "the full family name" (API reference): it lists that family only, not `web-worker` for
 * `web`. INACTIVE revisions are all listed (the reference lists them while a task or service uses them;
 * the simulator does not track that).
 */
function listTaskDefinitionArns(state: SimState, input: any): string[] {
  const status = input.status ?? 'ACTIVE';
  const records = input.familyPrefix
    ? (state.taskDefinitions.get(input.familyPrefix) ?? [])
    : [...state.taskDefinitions.keys()].sort().flatMap((family) => state.taskDefinitions.get(family)!);
  const arns = records.filter((r) => r.description.status === status).map((r) => r.description.taskDefinitionArn);
  return input.sort === 'DESC' ? arns.reverse() : arns;
}

export const taskDefinitionHandlers = {
  RegisterTaskDefinition(state: SimState, input: any, now: number) {
    const record = registerTaskDefinition(state, input, now);
    return { taskDefinition: record.description, tags: record.tags };
  },

  DescribeTaskDefinition(state: SimState, input: any) {
    const record = findTaskDefinition(state, input.taskDefinition);
    if (!record) throw clientException('Unable to describe task definition.');
    const result: any = { taskDefinition: record.description };
    if (input.include?.includes('TAGS')) result.tags = record.tags;
    return result;
  },

  DeregisterTaskDefinition(state: SimState, input: any, now: number) {
    const reference: string = input.taskDefinition ?? '';
    if (parseReference(reference).revision === undefined) {
      throw clientException('Invalid revision number. Number: undefined');
    }
    const record = findTaskDefinition(state, reference);
    if (!record) throw clientException('The specified task definition does not exist.');
    if (record.description.status === 'ACTIVE') {
      record.description.status = 'INACTIVE';
      record.description.deregisteredAt = epochSeconds(now);
    }
    return { taskDefinition: record.description };
  },

  ListTaskDefinitions(state: SimState, input: any) {
    if (input.sort !== undefined && input.sort !== 'ASC' && input.sort !== 'DESC') {
      throw invalidParameter('sort must be ASC or DESC.');
    }
    if (input.status !== undefined && !LIST_STATUSES.includes(input.status)) {
      throw invalidParameter(`status must be one of ${LIST_STATUSES.join(', ')}.`);
    }
    return paginate(listTaskDefinitionArns(state, input), input, 'taskDefinitionArns');
  },

  ListTaskDefinitionFamilies(state: SimState, input: any) {
    const status = input.status ?? 'ACTIVE';
    const families = [...state.taskDefinitions.entries()]
      .filter(([family]) => !input.familyPrefix || family.startsWith(input.familyPrefix))
      .filter(([, revisions]) => {
        const active = revisions.some((r) => r.description.status === 'ACTIVE');
        return status === 'ALL' || (status === 'ACTIVE' ? active : !active);
      })
      .map(([family]) => family)
      .sort();
    return paginate(families, input, 'families');
  },
};
