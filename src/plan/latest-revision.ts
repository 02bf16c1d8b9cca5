// The family's latest ACTIVE revision, which a run reuses when it equals what it would register.
import type { ECSClient, RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { describeTaskDefinition } from '../aws/task-definitions';
import { sameTaskDefinition } from '../taskdef/normalise';

/** The ARN of the family's latest ACTIVE revision when it equals the definition (normalised). */
export async function equalLatestRevision(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput): Promise<string | undefined> {
  const latest = await latestRevision(ecs, definition.family!);
  return latest && sameTaskDefinition(latest.definition, definition) ? latest.arn : undefined;
}

export async function latestRevision(ecs: ECSClient, family: string): Promise<{ arn: string; definition: TaskDefinition & { tags?: unknown } } | undefined> {
  try {
    const out = await describeTaskDefinition(ecs, family);
    const td = out.taskDefinition!;
    return { arn: td.taskDefinitionArn!, definition: { ...td, tags: out.tags } };
  } catch (error) {
    if ((error as Error).name === 'ClientException') return undefined; // a new family
    throw error;
  }
}
