import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTasksStartedBy } from '../../aws/ecs-tasks';
import type { Target } from '../../plan/preflight';
import type { Reporter } from '../../shared/reporter';

const SHOWN = 5;

/** After a failed rollout: why the new deployment's tasks stopped, in ECS's own words. */
export async function explainFailedTasks(ecs: ECSClient, target: Target, deploymentId: string, reporter: Reporter): Promise<void> {
  try {
    const arns = (await listTasksStartedBy(ecs, target.clusterArn, deploymentId, 'STOPPED')).slice(0, 100);
    if (arns.length === 0) return;
    const tasks = (await describeTasks(ecs, target.clusterArn, arns)).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
    reporter.warn(`${tasks.length} task(s) of deployment ${deploymentId} stopped; the latest ${Math.min(SHOWN, tasks.length)}:\n${tasks.slice(0, SHOWN).map(describeTask).join('\n')}`);
  } catch (error) {
    reporter.debug(`Could not list the stopped tasks: ${(error as Error).message}`);
  }
}

function describeTask(task: Task): string {
  const id = task.taskArn?.split('/').pop();
  const containers = (task.containers ?? [])
    .map((c) => `    container ${c.name}: exit code ${c.exitCode ?? 'none'}${c.reason ? `, reason "${c.reason}"` : ''}`)
    .join('\n');
  return `  task ${id}: ${task.stopCode ?? 'no stopCode'}, "${task.stoppedReason ?? 'no stoppedReason'}"${containers ? `\n${containers}` : ''}`;
}
