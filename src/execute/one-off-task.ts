// A one-off task with a service's network, launch type or capacity providers and platform version: the
// migration of a deploy and `ecs-ship run` are both this. Its container's command (and environment, cpu,
// memory) overridden; its awslogs output streamed live; judged by that container alone (sidecars do not
// count); a task that never starts, a missing exit code or a timeout (the task is then stopped) fail it.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, RunTaskCommandInput, Task } from '@aws-sdk/client-ecs';
import { describeTasks, runTask, stopTask } from '../aws/ecs-tasks';
import { awslogsStream, LogTail } from '../aws/log-tail';
import { STARTED_BY } from '../aws/migration-tasks';
import { LogPace, poll, sleep } from '../aws/poll';
import { transientText } from '../aws/transient';
import type { Target } from '../plan/preflight';
import { DeployError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import type { NamedContainer } from '../taskdef/types';
import { sendChange } from './changes';
import type { Ledger, OneOffRecord } from './ledger';

export interface OneOffRequest {
  taskDefinitionArn: string;
  command: string[];
  container: NamedContainer;
  timeoutMs: number;
  stopOnCancel: boolean;
  /** The task group (ecs-ship-migration:web for a migration, so another run can find it). */
  group: string;
  /** Extra environment of the container. */
  environment?: Record<string, string>;
  /** Task-level overrides, as ECS takes them ("1024", "2048"). */
  cpu?: string;
  memory?: string;
  /** How many tasks (RunTask's count, 1 to 10); the first one's log is streamed. */
  count?: number;
}

/** How the task is spoken of: "migration task", "Migration failed: …", "The service was not updated." */
export interface OneOffWords {
  /** "migration task" | "one-off task" */
  task: string;
  /** What RunTask is for: "migration" | "one-off task" */
  what: string;
  /** "Migration" | "The task": who succeeds, fails, times out. */
  subject: string;
  /** "Migration container" | "Container" */
  container: string;
  /** "migration log" | "task log" */
  log: string;
  /** Said after every failure: what did not happen because of it. */
  after: string;
  /** The input that stops the task on cancel, for the cancel's words. */
  stopOnCancelInput: string;
  /** The reason StopTask gets on cancel. */
  cancelledReason: string;
}

export interface OneOffDeps {
  ecs: ECSClient;
  logs: (logRegion?: string) => Promise<CloudWatchLogsClient>;
  reporter: Reporter;
  /** The ledger whose unanswered calls the cancel report reads. */
  ledger: Ledger;
  /** Where this task's facts go (ledger.migration, ledger.task), filled in as it goes. */
  record: OneOffRecord;
  signal?: AbortSignal;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Runs the task (or `count` of them) to its end; any failure throws a DeployError saying why. */
export async function runOneOffTask(target: Target, request: OneOffRequest, words: OneOffWords, deps: OneOffDeps): Promise<void> {
  const { ecs, reporter, record, signal } = deps;
  const started = Date.now();
  signal?.throwIfAborted();
  const after = words.after ? ` ${words.after}` : '';
  const runTaskCall = {
    action: 'RunTask' as const,
    inFlight: `RunTask for the ${words.what} (${request.taskDefinitionArn}) was sent and not answered yet, so ECS may still start the ${words.task}`,
    noAnswer: `ECS may have started the ${words.task} (startedBy ${STARTED_BY}) all the same`,
    cancelWaits: request.stopOnCancel ? `RunTask for the ${words.what} is not answered yet; waiting for it to stop the task it starts (${words.stopOnCancelInput}).` : undefined,
  };
  const run = await sendChange(deps.ledger, runTaskCall, () => runTask(ecs, runTaskInput(target, request)));
  const taskArns = (run.tasks ?? []).map((task) => task.taskArn).filter((arn): arn is string => Boolean(arn));
  if (taskArns.length === 0) {
    record.result = 'failed';
    const failures = (run.failures ?? []).map((f) => [f.reason, f.detail, f.arn].filter(Boolean).join(' — '));
    throw new DeployError(`${capital(words.task)} could not be started: ${failures.join('; ') || 'RunTask returned no task'}.${after}`);
  }
  const [taskArn] = taskArns;
  record.taskArn = taskArn;
  if (taskArns.length > 1) record.taskArns = taskArns;
  const stopAll = (reason: string) =>
    Promise.all(
      taskArns.map((arn) => {
        const stopTaskCall = {
          action: 'StopTask' as const,
          inFlight: `StopTask of ${words.task} ${arn} was sent and not answered yet`,
          noAnswer: `StopTask of ${words.task} ${arn} got no answer: the task may still be running`,
          cancelWaits: `StopTask of ${words.task} ${arn} is not answered yet; waiting for it.`,
        };
        return sendChange(deps.ledger, stopTaskCall, () => stopTask(ecs, target.clusterArn, arn, reason));
      }),
    );
  if (signal?.aborted) {
    // RunTask was answered after the cancel: what it started is stopped now, or reported as running.
    if (request.stopOnCancel) {
      await stopAll(words.cancelledReason);
      record.result = 'stopped';
    }
    throw signal.reason;
  }
  const tasks = taskArns.length > 1 ? ` (${taskArns.length} tasks; the log below is the first one's)` : '';
  reporter.info(`Started ${words.task} ${taskArns.join(', ')}: ${JSON.stringify(request.command)} in container "${request.container.name}"${tasks}`);
  const tail = await openTail(request.container, taskArn, words, deps);

  let stopped: Task[] | undefined;
  try {
    stopped = await waitForStop(target.clusterArn, taskArns, request.timeoutMs, tail, words, deps);
  } catch (error) {
    if (signal?.aborted && request.stopOnCancel) {
      await stopAll(words.cancelledReason);
      record.result = 'stopped';
    }
    throw error;
  }
  const failure = stopped && firstFailure(stopped, request.container.name, words);
  await tail?.drain(!stopped || failure !== undefined);
  if (tail) record.logTail = tail.lastLines();
  record.durationMs = Date.now() - started;
  if (!stopped) {
    record.result = 'failed';
    const minutes = request.timeoutMs / 60_000;
    await stopAll(`ecs-ship: ${words.subject.toLowerCase()} timed out after ${minutes} minutes`);
    throw withLog(new DeployError(`${words.subject} timed out after ${minutes} minutes; the task was stopped (${taskArns.join(', ')}).${after}`), tail, words);
  }
  const exitCode = stopped[0].containers?.find((c) => c.name === request.container.name)?.exitCode;
  if (typeof exitCode === 'number') record.exitCode = exitCode;
  if (failure) {
    // The failing task's code, when it is not the first one's.
    const failedCode = failure.task.containers?.find((c) => c.name === request.container.name)?.exitCode;
    if (typeof failedCode === 'number') record.exitCode = failedCode;
  }
  record.result = failure ? 'failed' : 'succeeded';
  if (failure) throw withLog(new DeployError(`${failure.text}${after}`), tail, words);
  reporter.info(`${words.subject} succeeded in ${Math.round(record.durationMs / 1000)} s`);
}

function waitForStop(cluster: string, taskArns: string[], timeoutMs: number, tail: Tail | undefined, words: OneOffWords, deps: OneOffDeps): Promise<Task[] | undefined> {
  const { ecs, reporter, signal } = deps;
  let lastStatus = '';
  const logPace = new LogPace(Date.now());
  const ids = taskArns.map((arn) => arn.split('/').pop()).join(', ');
  return poll({
    timeoutMs,
    signal,
    warn: (message) => reporter.warn(message),
    retrying: (error) => reporter.info(`Could not read the ${words.task} (${transientText(error)}); trying again.`),
    heartbeat: { waitingFor: `${words.task} ${ids} to stop`, say: (line) => reporter.info(line) },
    check: async (pace) => {
      const tasks = await describeTasks(ecs, cluster, taskArns);
      const [first] = tasks;
      if (first?.lastStatus && first.lastStatus !== lastStatus) {
        reporter.info(`${capital(words.task)} is ${(lastStatus = first.lastStatus)}`);
        pace.changed();
        logPace.wake();
      }
      if (tasks.some((task) => task.desiredStatus === 'STOPPED')) pace.nearEnd();
      if (tail && logPace.due(Date.now())) logPace.record(Date.now(), await tail.poll());
      return tasks.length === taskArns.length && tasks.every((task) => task.lastStatus === 'STOPPED') ? taskArns.map((arn) => tasks.find((t) => t.taskArn === arn)!) : undefined;
    },
  });
}

export function runTaskInput(target: Target, request: OneOffRequest): RunTaskCommandInput {
  const { service } = target;
  const placement = service.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: service.capacityProviderStrategy }
    : { launchType: service.launchType ?? 'FARGATE' };
  const environment = request.environment && Object.entries(request.environment).map(([name, value]) => ({ name, value }));
  return {
    cluster: target.clusterArn,
    taskDefinition: request.taskDefinitionArn,
    count: request.count ?? 1,
    startedBy: STARTED_BY,
    group: request.group,
    ...placement,
    platformVersion: service.platformVersion,
    networkConfiguration: service.networkConfiguration,
    overrides: {
      containerOverrides: [{ name: request.container.name, command: request.command, ...(environment?.length ? { environment } : {}) }],
      ...(request.cpu ? { cpu: request.cpu } : {}),
      ...(request.memory ? { memory: request.memory } : {}),
    },
  };
}

/** Only the task's own container decides: sidecars' exit codes don't count. The first task that failed, and why. */
function firstFailure(tasks: Task[], containerName: string, words: OneOffWords): { task: Task; text: string } | undefined {
  for (const task of tasks) {
    const text = failureOf(task, containerName, words, tasks.length > 1 ? ` ${task.taskArn?.split('/').pop()}` : '');
    if (text) return { task, text };
  }
  return undefined;
}

function failureOf(task: Task, containerName: string, words: OneOffWords, which: string): string | undefined {
  const container = task.containers?.find((c) => c.name === containerName);
  const facts = [
    task.stopCode && `stopCode ${task.stopCode}`,
    task.stoppedReason && `stoppedReason "${task.stoppedReason}"`,
    container?.reason && `container reason "${container.reason}"`,
  ].filter(Boolean);
  const detail = facts.length ? ` (${facts.join(', ')})` : '';
  if (task.stopCode === 'TaskFailedToStart') return `${capital(words.task)}${which} failed to start${detail}.`;
  if (container?.exitCode === undefined || container.exitCode === null) return `${words.container} "${containerName}"${which ? ` of task${which}` : ''} stopped without an exit code${detail}.`;
  if (container.exitCode !== 0) return `${words.subject} failed: container "${containerName}"${which ? ` of task${which}` : ''} exited with code ${container.exitCode}${detail}.`;
  return undefined;
}

type Tail = Awaited<ReturnType<typeof openTail>>;

/** Streams the container's awslogs output into the job log; log trouble never fails the run. */
async function openTail(container: NamedContainer, taskArn: string, words: OneOffWords, deps: OneOffDeps) {
  const ref = awslogsStream(container, taskArn);
  if (!ref) {
    deps.reporter.info(`Container "${container.name}" does not log to CloudWatch Logs (awslogs), so its output can't be shown here.`);
    return undefined;
  }
  deps.reporter.info(`${capital(words.log)}: ${ref.group} ${ref.stream}`);
  const tail = new LogTail(await deps.logs(ref.region), ref, (line) => deps.reporter.info(`│ ${line}`));
  let warned = false;
  const safely = async () => {
    try {
      return await tail.poll();
    } catch (error) {
      if (!warned) deps.reporter.warn(`Could not read the ${words.log}: ${(error as Error).message}`);
      warned = true;
      return 0;
    }
  };
  return {
    poll: safely,
    /**
     * CloudWatch may deliver the last lines a little after the task stops: read until the stream is
     * quiet. After a failure, whose last lines explain it, quiet means two empty reads a second apart.
     */
    async drain(failed: boolean) {
      let quietReads = 0;
      for (let read = 0; read < 5 && quietReads < (failed ? 2 : 1); read++) {
        if (read > 0) await sleep(1_000, deps.signal);
        quietReads = (await safely()) > 0 ? 0 : quietReads + 1;
      }
    },
    lastLines: () => tail.lastLines(),
  };
}

function withLog(error: DeployError, tail: Tail | undefined, words: OneOffWords): DeployError {
  const lines = tail?.lastLines() ?? [];
  if (lines.length === 0) return error;
  return new DeployError(`${error.message}\nLast lines of the ${words.log}:\n${lines.map((l) => `  ${l}`).join('\n')}`, lines);
}
