// `ecs-ship run`, decided before any change: the service as ECS has it (its network, launch type or
// capacity providers, platform version), the revision the task runs (task-definition-arn, or the one the
// service runs), the container whose command is overridden, and with an image, where the image comes from
// (as given, reused or built: the planner deploy uses) and the definition that gets it. Reads only.
import { describeCluster, describeServices } from '../aws/ecs-services';
import { describeTaskDefinition } from '../aws/task-definitions';
import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import type { ImageRequest } from '../request/image-request';
import { InputError } from '../shared/errors';
import { selectContainer } from '../taskdef/image';
import { fromDescribeOutput } from '../taskdef/load';
import type { Definition, NamedContainer } from '../taskdef/types';
import { planImage, type ImageDeps, type ImagePlan } from './image-plan';
import type { Target } from './preflight';

export interface RunPlan {
  target: Target;
  /** The revision read: the task runs it as it is, or (with an image) a revision of it with the image. */
  taskDefinitionArn: string;
  container: NamedContainer;
  /** With an image: where it comes from, and the service's definition that gets it in `container`. */
  image?: { plan: ImagePlan; base: Definition };
}

export async function planRun(inputs: Inputs, aws: AwsClients, image?: { request: ImageRequest; deps: () => Promise<ImageDeps> }): Promise<RunPlan> {
  const target = await serviceOf(inputs, aws);
  const reference = inputs.taskDefinitionArn || target.service.taskDefinition;
  let described;
  try {
    described = await describeTaskDefinition(aws.ecs, reference);
  } catch (error) {
    if ((error as Error).name !== 'ClientException' || !inputs.taskDefinitionArn) throw error;
    throw new InputError([`${inputName('task-definition-arn')}: "${reference}" was not found (${awsSaid(error)}). Expected an ACTIVE revision, as family:revision or its ARN.`]);
  }
  const definition = described.taskDefinition;
  if (!definition?.taskDefinitionArn) throw new InputError([`${inputName('task-definition-arn')}: "${reference}" was not found.`]);
  const given = inputs.container || inputs.containerName;
  const container = selectContainer(definition, given || undefined, inputs.container ? inputName('container') : inputName('container-name')) as NamedContainer;
  const plan: RunPlan = { target, taskDefinitionArn: definition.taskDefinitionArn, container };
  if (!image) return plan;
  return { ...plan, image: { plan: await planImage(image.request, await image.deps()), base: fromDescribeOutput(described) as Definition } };
}

/** The cluster and the service, which must be ACTIVE: the task takes the service's settings. */
async function serviceOf(inputs: Inputs, aws: AwsClients): Promise<Target> {
  const clusters = await describeCluster(aws.ecs, inputs.cluster);
  const cluster = clusters.clusters?.[0];
  if (!cluster || cluster.status !== 'ACTIVE') {
    throw new InputError([`${inputName('cluster')}: "${inputs.cluster}" ${cluster ? `is ${cluster.status}` : 'was not found'}. Expected an ACTIVE ECS cluster name or ARN.`]);
  }
  const services = await describeServices(aws.ecs, inputs.cluster, [inputs.service]);
  const service = services.services?.[0];
  if (!service || service.status !== 'ACTIVE' || !service.taskDefinition) {
    const why = service ? `is ${service.status}` : 'was not found';
    throw new InputError([`${inputName('service')}: "${inputs.service}" ${why} in cluster "${cluster.clusterName}". Expected the ACTIVE ECS service whose settings the task takes.`]);
  }
  return { clusterArn: cluster.clusterArn!, service: service as Target['service'] };
}
