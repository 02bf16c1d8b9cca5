import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTasksStartedBy } from './ecs-tasks';

// ecs-ship's migration tasks: started by ecs-ship, in a task group named after the service they migrate
// for, so that a second run can find one still running (startedBy takes only 36 characters).

export const STARTED_BY = 'ecs-ship';

/** The task group of a service's migration tasks. */
export function migrationGroup(serviceName: string): string {
  return `ecs-ship-migration:${serviceName}`;
}

/** The migration tasks ecs-ship started for the service that have not stopped yet. */
export async function migrationsRunning(ecs: ECSClient, clusterArn: string, serviceName: string): Promise<Task[]> {
  const arns = (await listTasksStartedBy(ecs, clusterArn, STARTED_BY, 'RUNNING')).slice(0, 100);
  return (await describeTasks(ecs, clusterArn, arns)).filter((task) => task.group === migrationGroup(serviceName) && task.lastStatus !== 'STOPPED');
}
