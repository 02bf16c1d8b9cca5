import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { sameTaskDefinition } from '../taskdef/normalise';
import { DeployError } from './errors';
import type { Reporter } from './reporter';

export interface Registration {
  arn: string;
  /** false when the latest ACTIVE revision already equals the rendered definition and was reused. */
  registered: boolean;
}

/** Registers the rendered definition, unless the family's latest ACTIVE revision is the same. */
export async function registerOrReuse(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput, reporter: Reporter): Promise<Registration> {
  const same = await equalLatestRevision(ecs, definition);
  if (same) {
    reporter.info(`Task definition unchanged: reusing ${same}`);
    return { arn: same, registered: false };
  }
  try {
    const out = await ecs.send(new RegisterTaskDefinitionCommand(definition));
    const arn = out.taskDefinition!.taskDefinitionArn!;
    reporter.info(`Registered ${arn}`);
    return { arn, registered: true };
  } catch (error) {
    throw new DeployError(`task-definition: ECS refused to register family "${definition.family}": ${(error as Error).message}`);
  }
}

/** The ARN of the family's latest ACTIVE revision when it equals the definition (normalised). */
export async function equalLatestRevision(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput): Promise<string | undefined> {
  const latest = await latestRevision(ecs, definition.family!);
  return latest && sameTaskDefinition(latest.definition, definition) ? latest.arn : undefined;
}

async function latestRevision(ecs: ECSClient, family: string): Promise<{ arn: string; definition: object } | undefined> {
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
    const td = out.taskDefinition!;
    return { arn: td.taskDefinitionArn!, definition: { ...td, tags: out.tags } };
  } catch (error) {
    if ((error as Error).name === 'ClientException') return undefined; // a new family
    throw error;
  }
}
