import { DescribeTasksCommand, ListTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type RunTaskCommandInput, type RunTaskCommandOutput, type Task } from '@aws-sdk/client-ecs';

// One-off and service tasks: start, stop, list and describe.

export function runTask(ecs: ECSClient, input: RunTaskCommandInput): Promise<RunTaskCommandOutput> {
  return ecs.send(new RunTaskCommand(input));
}

export async function stopTask(ecs: ECSClient, cluster: string, task: string, reason: string): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task, reason }));
}

/** Up to 100 tasks, as DescribeTasks takes them. */
export async function describeTasks(ecs: ECSClient, cluster: string, tasks: string[]): Promise<Task[]> {
  if (tasks.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks }))).tasks ?? [];
}

/** The ARNs of the tasks `startedBy` started (a deployment's ID, or ecs-ship), in one desired status; the first page. */
export async function listTasksStartedBy(ecs: ECSClient, cluster: string, startedBy: string, desiredStatus: 'RUNNING' | 'STOPPED', maxResults?: number): Promise<string[]> {
  return (await ecs.send(new ListTasksCommand({ cluster, startedBy, desiredStatus, maxResults }))).taskArns ?? [];
}

/** Every task of the cluster with desired status RUNNING (all pages), described: what images run now. */
export async function runningTasks(ecs: ECSClient, cluster: string): Promise<Task[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING', nextToken }));
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) tasks.push(...(await describeTasks(ecs, cluster, arns.slice(i, i + 100))));
  return tasks;
}

/** The ARNs of a service's running tasks; the first page (up to 100). */
export async function listServiceTasks(ecs: ECSClient, cluster: string, serviceName: string): Promise<string[]> {
  return (await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'RUNNING', maxResults: 100 }))).taskArns ?? [];
}
