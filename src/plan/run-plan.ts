// `ecs-ship run`, decided before any change: the service as ECS has it (its network, launch type or
// capacity providers, platform version), the revision the task runs (task-definition-arn, or the one the
// service runs) and the container whose command is overridden. Reads only.
import { describeCluster, describeServices } from '../aws/ecs-services';
import { describeTaskDefinition } from '../aws/task-definitions';
import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { InputError } from '../shared/errors';
import { selectContainer } from '../taskdef/image';
import type { NamedContainer } from '../taskdef/types';
import type { Target } from './preflight';

export interface RunPlan {
  target: Target;
  taskDefinitionArn: string;
  container: NamedContainer;
}

export async function planRun(inputs: Inputs, aws: AwsClients): Promise<RunPlan> {
  const target = await serviceOf(inputs, aws);
  const reference = inputs.taskDefinitionArn || target.service.taskDefinition;
  let definition;
  try {
    definition = (await describeTaskDefinition(aws.ecs, reference)).taskDefinition;
  } catch (error) {
    if ((error as Error).name !== 'ClientException' || !inputs.taskDefinitionArn) throw error;
    throw new InputError([`${inputName('task-definition-arn')}: "${reference}" was not found (${awsSaid(error)}). Expected an ACTIVE revision, as family:revision or its ARN.`]);
  }
  if (!definition?.taskDefinitionArn) throw new InputError([`${inputName('task-definition-arn')}: "${reference}" was not found.`]);
  const given = inputs.container || inputs.containerName;
  const container = selectContainer(definition, given || undefined, inputs.container ? inputName('container') : inputName('container-name')) as NamedContainer;
  return { target, taskDefinitionArn: definition.taskDefinitionArn, container };
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
