// task-definition-arn: an existing revision deployed as it is — the hand rollback, or the promotion of
// the revision a test stage ran. Nothing is built, rendered or registered; the migration runs with it.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { describeTaskDefinition } from '../aws/task-definitions';
import { selectContainer } from '../taskdef/image';
import { fromDescribeOutput } from '../taskdef/load';
import { InputError } from '../shared/errors';
import type { Definition } from '../taskdef/types';
import type { Rendered } from './render-definition';
import type { Target } from './preflight';
import type { Reporter } from '../shared/reporter';

export interface KnownRevision {
  arn: string;
  family: string;
  definition: Definition;
}

/** The revision must exist and be ACTIVE: ECS neither runs nor deploys an INACTIVE one. */
export async function describeKnownRevision(ecs: ECSClient, reference: string): Promise<KnownRevision> {
  let described;
  try {
    described = await describeTaskDefinition(ecs, reference);
  } catch (error) {
    if ((error as Error).name !== 'ClientException') throw error;
    throw new InputError([`task-definition-arn: "${reference}" was not found (ECS: ${(error as Error).message.replace(/\.+$/, '')}). Expected an ACTIVE revision of this account and region.`]);
  }
  const found = described.taskDefinition!;
  if (found.status !== 'ACTIVE') {
    const since = found.deregisteredAt ? ` since ${found.deregisteredAt.toISOString()}` : '';
    throw new InputError([`task-definition-arn: "${reference}" is ${found.status}${since} (deregistered): ECS starts no task of it. Expected an ACTIVE revision.`]);
  }
  return { arn: found.taskDefinitionArn!, family: found.family!, definition: fromDescribeOutput(described) as Definition };
}

/** The revision as it is; the container that would get the image (the first essential) is the one reported and, by default, migrated. */
export function asRendered(known: KnownRevision): Rendered {
  return { definition: known.definition, imageContainers: [String(selectContainer(known.definition).name)] };
}

/** A promotion across families is legitimate (staging's revision to production's service), but worth a line. */
export function noteFamily(known: KnownRevision, target: Target, reporter: Reporter): void {
  const running = /task-definition\/([^:]+):/.exec(target.service.taskDefinition)?.[1];
  reporter.info(`Deploying the existing revision ${known.arn} as it is: nothing is built, rendered or registered.`);
  if (running && running !== known.family) {
    reporter.info(`${known.arn} is of family "${known.family}", the service runs family "${running}": the service moves to family "${known.family}".`);
  }
}
