import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';

// ecs-ship's migration tasks: started by ecs-ship, in a task group named after the service they migrate
// for, so that a second run can find one still running (startedBy takes only 36 characters).

export const STARTED_BY = 'ecs-ship';

/** The task group of a service's migration tasks. */
export function migrationGroup(serviceName: string): string {
  return `ecs-ship-migration:${serviceName}`;
}

/** The migration tasks ecs-ship started for the service that have not stopped yet. */
export async function migrationsRunning(ecs: ECSClient, clusterArn: string, serviceName: string): Promise<Task[]> {
  const listed = await ecs.send(new ListTasksCommand({ cluster: clusterArn, startedBy: STARTED_BY, desiredStatus: 'RUNNING' }));
  const arns = (listed.taskArns ?? []).slice(0, 100);
  if (arns.length === 0) return [];
  const described = await ecs.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: arns }));
  return (described.tasks ?? []).filter((task) => task.group === migrationGroup(serviceName) && task.lastStatus !== 'STOPPED');
}
