import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTasks, listTasksStartedBy } from '../../aws/ecs-tasks';
import { awslogsStream, lastLogLines } from '../../aws/log-tail';
import { describeTaskDefinition } from '../../aws/task-definitions';
import type { Target } from '../../plan/preflight';
import type { Ledger, StoppedTask } from '../ledger';
import type { Reporter } from '../../shared/reporter';

const SHOWN = 5;
/** The lines of each stopped task's containers the record keeps: ECS forgets stopped tasks after about an hour. */
const LAST_LINES = 10;

export interface StoppedTaskDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: Ledger;
  /** To read the stopped containers' last log lines; without it, only ECS's reasons are kept. */
  logs?: (logRegion?: string) => Promise<CloudWatchLogsClient>;
}

/** After a failed rollout: why the new deployment's tasks stopped, in ECS's own words, kept in the record with their last log lines. */
export async function explainFailedTasks(target: Target, deploymentId: string, deps: StoppedTaskDeps): Promise<void> {
  const { ecs, reporter } = deps;
  try {
    const arns = (await listTasksStartedBy(ecs, target.clusterArn, deploymentId, 'STOPPED')).slice(0, 100);
    if (arns.length === 0) return;
    const tasks = (await describeTasks(ecs, target.clusterArn, arns)).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
    const latest = tasks.slice(0, SHOWN);
    reporter.warn(`${tasks.length} task(s) of deployment ${deploymentId} stopped; the latest ${latest.length}:\n${latest.map(describeTask).join('\n')}`);
    deps.record.stoppedTasks = [...(deps.record.stoppedTasks ?? []), ...(await Promise.all(latest.map((task) => stoppedTask(task, deps))))];
  } catch (error) {
    reporter.debug(`Could not list the stopped tasks: ${(error as Error).message}`);
  }
}

/** One stopped task as the record keeps it; log trouble leaves its lines out (said in debug). */
async function stoppedTask(task: Task, deps: StoppedTaskDeps): Promise<StoppedTask> {
  const logging = await containerLogging(task, deps);
  const containers = await Promise.all(
    (task.containers ?? []).map(async (c) => {
      const ref = logging.get(c.name ?? '') && awslogsStream(logging.get(c.name ?? '')!, task.taskArn ?? '');
      const lines = ref && deps.logs ? await deps.logs(ref.region).then((logs) => lastLogLines(logs, ref, LAST_LINES)).catch((error: Error) => {
        deps.reporter.debug(`Could not read the log of container ${c.name} of task ${task.taskArn}: ${error.message}`);
        return undefined;
      }) : undefined;
      return { name: c.name ?? '', exitCode: c.exitCode ?? undefined, reason: c.reason, ...(lines?.length ? { lastLogLines: lines } : {}) };
    }),
  );
  return { taskArn: task.taskArn ?? '', stopCode: task.stopCode, stoppedReason: task.stoppedReason, stoppedAt: task.stoppedAt?.toISOString(), containers };
}

type Logging = { name?: string; logConfiguration?: { logDriver?: string; options?: Record<string, string> } };

async function containerLogging(task: Task, deps: StoppedTaskDeps): Promise<Map<string, Logging>> {
  if (!deps.logs || !task.taskDefinitionArn) return new Map();
  try {
    const { taskDefinition } = await describeTaskDefinition(deps.ecs, task.taskDefinitionArn);
    return new Map((taskDefinition?.containerDefinitions ?? []).map((c) => [c.name ?? '', c as Logging]));
  } catch (error) {
    deps.reporter.debug(`Could not read ${task.taskDefinitionArn} for its log settings: ${(error as Error).message}`);
    return new Map();
  }
}

function describeTask(task: Task): string {
  const id = task.taskArn?.split('/').pop();
  const containers = (task.containers ?? [])
    .map((c) => `    container ${c.name}: exit code ${c.exitCode ?? 'none'}${c.reason ? `, reason "${c.reason}"` : ''}`)
    .join('\n');
  return `  task ${id}: ${task.stopCode ?? 'no stopCode'}, "${task.stoppedReason ?? 'no stoppedReason'}"${containers ? `\n${containers}` : ''}`;
}
