import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandOutput,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

// Task definitions: read (with their tags), register, list a family's ACTIVE revisions, deregister.

/** A revision (ARN or family:revision), or a family's latest ACTIVE revision, with its tags. */
export function describeTaskDefinition(ecs: ECSClient, reference: string): Promise<DescribeTaskDefinitionCommandOutput> {
  return ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
}

export async function registerTaskDefinition(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition> {
  return (await ecs.send(new RegisterTaskDefinitionCommand(definition))).taskDefinition!;
}

/** Every ACTIVE revision whose family starts with `familyPrefix`, newest first. */
export async function activeRevisions(ecs: ECSClient, familyPrefix: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix, status: 'ACTIVE', sort: 'DESC', nextToken }));
    arns.push(...(page.taskDefinitionArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

export async function deregisterTaskDefinition(ecs: ECSClient, arn: string): Promise<void> {
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
}
