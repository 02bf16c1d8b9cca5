import { epochSeconds } from '../ids';
import { withoutUndefined } from '../objects';
import type { SimState, TaskRecord } from '../state';
import { taskHealth } from './taskLifecycle';

const ATTACHMENT_STATUS: Record<string, string> = {
  PROVISIONING: 'PRECREATED',
  PENDING: 'ATTACHED',
  ACTIVATING: 'ATTACHED',
  RUNNING: 'ATTACHED',
  DEACTIVATING: 'ATTACHED',
  STOPPING: 'ATTACHED',
  DEPROVISIONING: 'DETACHING',
  STOPPED: 'DELETED',
};

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : epochSeconds(ms));

function attachments(task: TaskRecord): any[] {
  if (!task.eni) return [];
  const details = [
    { name: 'subnetId', value: task.eni.subnetId },
    { name: 'networkInterfaceId', value: task.eni.id },
    { name: 'macAddress', value: '0a:1b:2c:3d:4e:5f' },
    { name: 'privateDnsName', value: `ip-${task.eni.privateIp.replaceAll('.', '-')}.ec2.internal` },
    { name: 'privateIPv4Address', value: task.eni.privateIp },
  ].filter((detail) => detail.value !== undefined);
  return [{ id: task.eni.id.replace('eni-', 'attachment-'), type: 'ElasticNetworkInterface', status: ATTACHMENT_STATUS[task.lastStatus], details }];
}

/** The digest of an image reference: pinned by digest, or a tag of this account's ECR known to the simulator. */
function digestOf(state: SimState, image: string | undefined): string | undefined {
  if (!image) return undefined;
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];
  if (pinned) return pinned;
  const match = /^(\d+)\.dkr\.ecr\.[^/]+\.amazonaws\.com\/([^:@]+):([^:@/]+)$/.exec(image);
  if (!match || match[1] !== state.config.accountId) return undefined;
  return state.repositories.get(match[2])?.images.find((candidate) => candidate.tags.includes(match[3]))?.digest;
}

/** DescribeTasks-shaped view of a task. */
export function taskView(state: SimState, task: TaskRecord): any {
  const definition = task.taskDefinition;
  const attachmentList = attachments(task);
  return withoutUndefined({
    attachments: attachmentList,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: `${state.config.region}a`,
    capacityProviderName: task.capacityProviderName,
    clusterArn: state.clusterArn(task.clusterName),
    connectivity: task.connectivityAt !== undefined ? 'CONNECTED' : undefined,
    connectivityAt: seconds(task.connectivityAt),
    containers: task.containers.map((container) =>
      withoutUndefined({
        containerArn: container.arn,
        taskArn: task.arn,
        name: container.name,
        image: container.image,
        runtimeId: task.startedAt !== undefined ? container.runtimeId : undefined,
        // API reference, Container.imageDigest: the container image manifest digest, once the image was pulled.
        imageDigest: task.startedAt !== undefined ? digestOf(state, container.image) : undefined,
        lastStatus: container.lastStatus,
        exitCode: container.exitCode,
        reason: container.reason,
        networkBindings: [],
        networkInterfaces: task.eni ? [{ attachmentId: attachmentList[0].id, privateIpv4Address: task.eni.privateIp }] : [],
        healthStatus: container.healthStatus,
        cpu: container.cpu,
        memory: container.memory,
        memoryReservation: container.memoryReservation,
      }),
    ),
    cpu: task.overrides?.cpu ?? definition.cpu,
    createdAt: seconds(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    ephemeralStorage: { sizeInGiB: 20 },
    executionStoppedAt: seconds(task.executionStoppedAt),
    group: task.group,
    healthStatus: taskHealth(task),
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.overrides?.memory ?? definition.memory,
    overrides: task.overrides,
    platformVersion: task.platformVersion,
    platformFamily: task.launchType === 'FARGATE' ? 'Linux' : undefined,
    pullStartedAt: seconds(task.pullStartedAt),
    pullStoppedAt: seconds(task.pullStoppedAt),
    startedAt: seconds(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: seconds(task.stoppingAt),
    tags: task.tags,
    taskArn: task.arn,
    taskDefinitionArn: definition.taskDefinitionArn,
    version: task.version,
  });
}
