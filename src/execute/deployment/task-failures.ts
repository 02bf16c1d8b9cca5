import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTasksStartedBy } from '../../aws/ecs-tasks';

// ECS's failedTasks does not count a task whose container exits after it started, and the circuit breaker
// resets it to 0 whenever a task gets healthy (resetOnHealthyTask): a crash loop can keep it at 0 for
// ever. ecs-ship's max-task-failures counts the deployment's stopped tasks itself.

const PAGE = 100;

/** Started, then exited; never started; or stopped by the scheduler for failing its health checks. */
const stoppedAbnormally = (task: Task) =>
  task.stopCode === 'EssentialContainerExited' || task.stopCode === 'TaskFailedToStart' || /health check/i.test(task.stoppedReason ?? '');

/** The tasks of a deployment that stopped abnormally; each stopped task is described once. */
export class TaskFailures {
  private readonly failed = new Map<string, boolean>();

  constructor(
    private readonly ecs: ECSClient,
    private readonly cluster: string,
  ) {}

  async count(deploymentId: string): Promise<number> {
    const arns = await listTasksStartedBy(this.ecs, this.cluster, deploymentId, 'STOPPED', PAGE);
    const unknown = arns.filter((arn) => !this.failed.has(arn));
    if (unknown.length > 0) {
      for (const task of await describeTasks(this.ecs, this.cluster, unknown)) if (task.taskArn && task.stopCode) this.failed.set(task.taskArn, stoppedAbnormally(task));
    }
    return arns.filter((arn) => this.failed.get(arn)).length;
  }
}
