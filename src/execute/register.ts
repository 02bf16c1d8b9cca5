import type { ContainerDefinition, ECSClient, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { awsAnswered } from '../aws/failed-call';
import { registerTaskDefinition } from '../aws/task-definitions';
import { latestRevision } from '../plan/latest-revision';
import { sameTaskDefinition } from '../taskdef/normalise';
import { sendChange } from './changes';
import { DeployError } from '../shared/errors';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';

export interface Registration {
  arn: string;
  /** false when the latest ACTIVE revision already equals the rendered definition and was reused. */
  registered: boolean;
  /** The image of each container, as ECS has the revision: what the service will really run. */
  images: Record<string, string | undefined>;
}

/** Registers the rendered definition, unless the family's latest ACTIVE revision is the same. */
export async function registerOrReuse(ecs: ECSClient, definition: RegisterTaskDefinitionCommandInput, reporter: Reporter, record: Ledger): Promise<Registration> {
  const latest = await latestRevision(ecs, definition.family!);
  if (latest && sameTaskDefinition(latest.definition, definition)) {
    reporter.info(`Task definition unchanged: reusing ${latest.arn}`);
    return { arn: latest.arn, registered: false, images: imagesOf(latest.definition) };
  }
  const call = {
    action: 'RegisterTaskDefinition' as const,
    inFlight: `RegisterTaskDefinition of family ${definition.family} was sent and not answered yet, so ECS may register a new revision (the service does not use it)`,
    noAnswer: `ECS may have registered a new revision of family ${definition.family} all the same (the service does not use it)`,
  };
  try {
    const registered = await sendChange(record, call, () => registerTaskDefinition(ecs, definition));
    const arn = registered.taskDefinitionArn!;
    reporter.info(`Registered ${arn}`);
    return { arn, registered: true, images: imagesOf(registered) };
  } catch (error) {
    // Only an answer is a refusal; a call that got none is reported by the step as such.
    if (!awsAnswered(error)) throw error;
    throw new DeployError(`task-definition: ECS refused to register family "${definition.family}": ${(error as Error).message}`);
  }
}

function imagesOf(definition: { containerDefinitions?: ContainerDefinition[] }): Registration['images'] {
  return Object.fromEntries((definition.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image]));
}
