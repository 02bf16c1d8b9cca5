import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ContainerDefinition, type ECSClient, type RunTaskCommandInput, type Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awslogsStream, LogTail } from '../aws/log-tail';
import { poll, sleep } from '../aws/poll';
import { DeployError } from './errors';
import type { Target } from './preflight';
import type { Reporter } from './reporter';

export interface MigrationRequest {
  taskDefinitionArn: string;
  command: string[];
  container: ContainerDefinition & { name: string };
  timeoutMs: number;
}

export interface MigrationDeps {
  ecs: ECSClient;
  logs: () => Promise<CloudWatchLogsClient>;
  reporter: Reporter;
  signal?: AbortSignal;
}

export interface MigrationResult {
  taskArn: string;
  exitCode: number;
  durationMs: number;
}

/** Runs the one-off migration task with the service's network and launch settings; any failure throws. */
export async function runMigration(target: Target, request: MigrationRequest, deps: MigrationDeps): Promise<MigrationResult> {
  const { ecs, reporter, signal } = deps;
  const started = Date.now();
  const run = await ecs.send(new RunTaskCommand(runTaskInput(target, request)));
  const taskArn = run.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const failures = (run.failures ?? []).map((f) => [f.reason, f.detail, f.arn].filter(Boolean).join(' — '));
    throw new DeployError(`Migration task could not be started: ${failures.join('; ') || 'RunTask returned no task'}`);
  }
  reporter.output('migration-task-arn', taskArn);
  reporter.info(`Started migration task ${taskArn}: ${JSON.stringify(request.command)} in container "${request.container.name}"`);
  const tail = await openTail(request.container, taskArn, deps);

  let lastStatus = '';
  const stopped = await poll({
    timeoutMs: request.timeoutMs,
    signal,
    check: async () => {
      const out = await ecs.send(new DescribeTasksCommand({ cluster: target.clusterArn, tasks: [taskArn] }));
      const task = out.tasks?.[0];
      if (task?.lastStatus && task.lastStatus !== lastStatus) {
        lastStatus = task.lastStatus;
        reporter.info(`Migration task is ${lastStatus}`);
      }
      await tail?.poll();
      return task?.lastStatus === 'STOPPED' ? task : undefined;
    },
  });
  await tail?.drain();
  if (!stopped) {
    const minutes = request.timeoutMs / 60_000;
    await ecs.send(new StopTaskCommand({ cluster: target.clusterArn, task: taskArn, reason: `ecs-ship: migration timed out after ${minutes} minutes` }));
    throw new DeployError(`Migration timed out after ${minutes} minutes; the task was stopped (${taskArn}). The service was not updated.`, tail?.lastLines());
  }
  const exitCode = stopped.containers?.find((c) => c.name === request.container.name)?.exitCode;
  if (typeof exitCode === 'number') reporter.output('migration-exit-code', String(exitCode));
  try {
    assertSucceeded(stopped, request.container.name);
  } catch (error) {
    const lines = tail?.lastLines() ?? [];
    if (lines.length === 0) throw error;
    throw new DeployError(`${(error as Error).message}\nLast lines of the migration log:\n${lines.map((l) => `  ${l}`).join('\n')}`, lines);
  }
  reporter.info(`Migration succeeded in ${Math.round((Date.now() - started) / 1000)} s`);
  return { taskArn, exitCode: 0, durationMs: Date.now() - started };
}

function runTaskInput(target: Target, request: MigrationRequest): RunTaskCommandInput {
  const { service } = target;
  const placement = service.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: service.capacityProviderStrategy }
    : { launchType: service.launchType ?? 'FARGATE' };
  return {
    cluster: target.clusterArn,
    taskDefinition: request.taskDefinitionArn,
    count: 1,
    startedBy: 'ecs-ship',
    ...placement,
    platformVersion: service.platformVersion,
    networkConfiguration: service.networkConfiguration,
    overrides: { containerOverrides: [{ name: request.container.name, command: request.command }] },
  };
}

/** Only the migration container decides: sidecars' exit codes don't count. */
function assertSucceeded(task: Task, containerName: string): void {
  const container = task.containers?.find((c) => c.name === containerName);
  const facts = [
    task.stopCode && `stopCode ${task.stopCode}`,
    task.stoppedReason && `stoppedReason "${task.stoppedReason}"`,
    container?.reason && `container reason "${container.reason}"`,
  ].filter(Boolean);
  const detail = facts.length ? ` (${facts.join(', ')})` : '';
  if (task.stopCode === 'TaskFailedToStart') {
    throw new DeployError(`Migration task failed to start${detail}. The service was not updated.`);
  }
  if (container?.exitCode === undefined || container.exitCode === null) {
    throw new DeployError(`Migration container "${containerName}" stopped without an exit code${detail}. The service was not updated.`);
  }
  if (container.exitCode !== 0) {
    throw new DeployError(`Migration failed: container "${containerName}" exited with code ${container.exitCode}${detail}. The service was not updated.`);
  }
}

/** Streams the migration container's awslogs output into the job log; log trouble never fails the deploy. */
async function openTail(container: MigrationRequest['container'], taskArn: string, deps: MigrationDeps) {
  const ref = awslogsStream(container, taskArn);
  if (!ref) {
    deps.reporter.info(`Container "${container.name}" does not log to CloudWatch Logs (awslogs), so its output can't be shown here.`);
    return undefined;
  }
  deps.reporter.info(`Migration log: ${ref.group} ${ref.stream}`);
  const tail = new LogTail(await deps.logs(), ref, (line) => deps.reporter.info(`│ ${line}`));
  let warned = false;
  const safely = async (work: () => Promise<number>) => {
    try {
      return await work();
    } catch (error) {
      if (!warned) deps.reporter.warn(`Could not read the migration log: ${(error as Error).message}`);
      warned = true;
      return 0;
    }
  };
  return {
    poll: () => safely(() => tail.poll()),
    /** CloudWatch may deliver the last lines a little after the task stops. */
    async drain() {
      for (let i = 0; i < 3 && (await safely(() => tail.poll())) > 0; i++) await sleep(1_000, deps.signal);
    },
    lastLines: () => tail.lastLines(),
  };
}
