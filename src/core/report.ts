import type { DeployRecord } from './deploy';

/** The same facts every front end prints at the end of a successful run. */
export function summaryLines(record: DeployRecord): string[] {
  const { registration, migration, rollout } = record;
  return [
    `Image: ${record.image}`,
    `Task definition: ${registration.arn} (${registration.registered ? 'new revision' : 'unchanged, reused'})`,
    migration ? `Migration: succeeded in ${seconds(migration.durationMs)} (${migration.taskArn})` : 'Migration: none configured',
    rolloutLine(record),
  ];
}

function rolloutLine({ rollout, previousTaskDefinitionArn }: DeployRecord): string {
  switch (rollout.state) {
    case 'UNCHANGED':
      return `Rollout: none needed, the service already ran ${previousTaskDefinitionArn}`;
    case 'STARTED':
      return `Rollout: deployment ${rollout.deploymentId} started (not waited for)`;
    default:
      return `Rollout: deployment ${rollout.deploymentId} completed in ${seconds(rollout.durationMs)}`;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
