import type { ECSClient, RunTaskCommandInput, Task } from '@aws-sdk/client-ecs';
import { describeTasks, runTask, stopTask } from '../aws/ecs-tasks';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awslogsStream, LogTail } from '../aws/log-tail';
import { migrationGroup, migrationsRunning, STARTED_BY } from '../aws/migration-tasks';
import { LogPace, poll, sleep } from '../aws/poll';
import { transientText } from '../aws/transient';
import { inputName } from '../inputs/spelling';
import { sendChange } from './changes';
import { DeployError } from '../shared/errors';
import type { NamedContainer } from '../taskdef/types';
import type { Target } from '../plan/preflight';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';

export interface MigrationRequest {
  taskDefinitionArn: string;
  command: string[];
  container: NamedContainer;
  timeoutMs: number;
  stopOnCancel: boolean;
}

export interface MigrationDeps {
  ecs: ECSClient;
  logs: (logRegion?: string) => Promise<CloudWatchLogsClient>;
  reporter: Reporter;
  record: Ledger;
  signal?: AbortSignal;
}

const NOT_UPDATED = 'The service was not updated.';
const CANCELLED = 'ecs-ship: the deploy was cancelled';

/** Runs the one-off migration task with the service's network and launch settings; any failure throws. */
export async function runMigration(target: Target, request: MigrationRequest, deps: MigrationDeps): Promise<void> {
  const { ecs, reporter, record, signal } = deps;
  const started = Date.now();
  signal?.throwIfAborted();
  const migration: NonNullable<Ledger['migration']> = (record.migration = { result: 'running' });
  const runTaskCall = {
    action: 'RunTask' as const,
    inFlight: `RunTask for the migration (${request.taskDefinitionArn}) was sent and not answered yet, so ECS may still start the migration task`,
    noAnswer: 'ECS may have started the migration task (startedBy ecs-ship) all the same',
    cancelWaits: request.stopOnCancel ? `RunTask for the migration is not answered yet; waiting for it to stop the task it starts (${inputName('stop-migration-on-cancel')}).` : undefined,
  };
  const run = await sendChange(record, runTaskCall, () => runTask(ecs, runTaskInput(target, request)));
  const taskArn = run.tasks?.[0]?.taskArn;
  if (!taskArn) {
    migration.result = 'failed';
    const failures = (run.failures ?? []).map((f) => [f.reason, f.detail, f.arn].filter(Boolean).join(' — '));
    throw new DeployError(`Migration task could not be started: ${failures.join('; ') || 'RunTask returned no task'}. ${NOT_UPDATED}`);
  }
  migration.taskArn = taskArn;
  const stop = (reason: string) => {
    const stopTaskCall = {
      action: 'StopTask' as const,
      inFlight: `StopTask of migration task ${taskArn} was sent and not answered yet`,
      noAnswer: `StopTask of migration task ${taskArn} got no answer: the task may still be running`,
      cancelWaits: `StopTask of migration task ${taskArn} is not answered yet; waiting for it.`,
    };
    return sendChange(record, stopTaskCall, () => stopTask(ecs, target.clusterArn, taskArn, reason));
  };
  if (signal?.aborted) {
    // RunTask was answered after the cancel: what it started is stopped now, or reported as running.
    if (request.stopOnCancel) {
      await stop(CANCELLED);
      migration.result = 'stopped';
    }
    throw signal.reason;
  }
  reporter.info(`Started migration task ${taskArn}: ${JSON.stringify(request.command)} in container "${request.container.name}"`);
  const tail = await openTail(request.container, taskArn, deps);

  let stopped: Task | undefined;
  try {
    stopped = await waitForStop(ecs, target.clusterArn, taskArn, request.timeoutMs, tail, reporter, signal);
  } catch (error) {
    if (signal?.aborted && request.stopOnCancel) {
      await stop(CANCELLED);
      migration.result = 'stopped';
    }
    throw error;
  }
  await tail?.drain(!stopped || failureOf(stopped, request.container.name) !== undefined);
  if (tail) migration.logTail = tail.lastLines();
  migration.durationMs = Date.now() - started;
  if (!stopped) {
    migration.result = 'failed';
    const minutes = request.timeoutMs / 60_000;
    await stop(`ecs-ship: migration timed out after ${minutes} minutes`);
    throw withLog(new DeployError(`Migration timed out after ${minutes} minutes; the task was stopped (${taskArn}). ${NOT_UPDATED}`), tail);
  }
  const exitCode = stopped.containers?.find((c) => c.name === request.container.name)?.exitCode;
  if (typeof exitCode === 'number') migration.exitCode = exitCode;
  const failure = failureOf(stopped, request.container.name);
  migration.result = failure ? 'failed' : 'succeeded';
  if (failure) throw withLog(new DeployError(`${failure} ${NOT_UPDATED}`), tail);
  reporter.info(`Migration succeeded in ${Math.round(migration.durationMs / 1000)} s`);
}

/**
 * Another run's migration for the same service (two runs of one app at once) is waited for, bounded,
 * before this one starts: two migrations of one schema must not overlap.
 */
export async function waitForOtherMigrations(target: Target, timeoutMs: number, deps: Pick<MigrationDeps, 'ecs' | 'reporter' | 'signal'>): Promise<void> {
  const { service, clusterArn } = target;
  let other: Task | undefined;
  const clear = await poll({
    timeoutMs,
    signal: deps.signal,
    warn: (message) => deps.reporter.warn(message),
    retrying: (error) => deps.reporter.info(`Could not look for another migration (${transientText(error)}); trying again.`),
    heartbeat: { waitingFor: `another migration of service ${service.serviceName} to finish`, say: (line) => deps.reporter.info(line) },
    check: async () => {
      const running = await migrationsRunning(deps.ecs, clusterArn, service.serviceName!);
      if (running.length === 0) return true;
      if (!other) deps.reporter.warn(`Another migration of service ${service.serviceName} is running (task ${running[0].taskArn}, started by ecs-ship); waiting for it before running this one.`);
      other ??= running[0];
      return undefined;
    },
  });
  if (!clear) throw new DeployError(`Another migration of service ${service.serviceName} (task ${other?.taskArn}) was still running after ${timeoutMs / 60_000} minutes; not running this one. ${NOT_UPDATED}`);
}

function waitForStop(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  timeoutMs: number,
  tail: Tail | undefined,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<Task | undefined> {
  let lastStatus = '';
  const logPace = new LogPace(Date.now());
  return poll({
    timeoutMs,
    signal,
    warn: (message) => reporter.warn(message),
    retrying: (error) => reporter.info(`Could not read the migration task (${transientText(error)}); trying again.`),
    heartbeat: { waitingFor: `migration task ${taskArn.split('/').pop()} to stop`, say: (line) => reporter.info(line) },
    check: async (pace) => {
      const [task] = await describeTasks(ecs, cluster, [taskArn]);
      if (task?.lastStatus && task.lastStatus !== lastStatus) {
        reporter.info(`Migration task is ${(lastStatus = task.lastStatus)}`);
        pace.changed();
        logPace.wake();
      }
      if (task?.desiredStatus === 'STOPPED') pace.nearEnd();
      if (tail && logPace.due(Date.now())) logPace.record(Date.now(), await tail.poll());
      return task?.lastStatus === 'STOPPED' ? task : undefined;
    },
  });
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
    startedBy: STARTED_BY,
    group: migrationGroup(service.serviceName!),
    ...placement,
    platformVersion: service.platformVersion,
    networkConfiguration: service.networkConfiguration,
    overrides: { containerOverrides: [{ name: request.container.name, command: request.command }] },
  };
}

/** Only the migration container decides: sidecars' exit codes don't count. Undefined means success. */
function failureOf(task: Task, containerName: string): string | undefined {
  const container = task.containers?.find((c) => c.name === containerName);
  const facts = [
    task.stopCode && `stopCode ${task.stopCode}`,
    task.stoppedReason && `stoppedReason "${task.stoppedReason}"`,
    container?.reason && `container reason "${container.reason}"`,
  ].filter(Boolean);
  const detail = facts.length ? ` (${facts.join(', ')})` : '';
  if (task.stopCode === 'TaskFailedToStart') return `Migration task failed to start${detail}.`;
  if (container?.exitCode === undefined || container.exitCode === null) return `Migration container "${containerName}" stopped without an exit code${detail}.`;
  if (container.exitCode !== 0) return `Migration failed: container "${containerName}" exited with code ${container.exitCode}${detail}.`;
  return undefined;
}

type Tail = Awaited<ReturnType<typeof openTail>>;

/** Streams the migration container's awslogs output into the job log; log trouble never fails the deploy. */
async function openTail(container: NamedContainer, taskArn: string, deps: MigrationDeps) {
  const ref = awslogsStream(container, taskArn);
  if (!ref) {
    deps.reporter.info(`Container "${container.name}" does not log to CloudWatch Logs (awslogs), so its output can't be shown here.`);
    return undefined;
  }
  deps.reporter.info(`Migration log: ${ref.group} ${ref.stream}`);
  const tail = new LogTail(await deps.logs(ref.region), ref, (line) => deps.reporter.info(`│ ${line}`));
  let warned = false;
  const safely = async () => {
    try {
      return await tail.poll();
    } catch (error) {
      if (!warned) deps.reporter.warn(`Could not read the migration log: ${(error as Error).message}`);
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

function withLog(error: DeployError, tail: Tail | undefined): DeployError {
  const lines = tail?.lastLines() ?? [];
  if (lines.length === 0) return error;
  return new DeployError(`${error.message}\nLast lines of the migration log:\n${lines.map((l) => `  ${l}`).join('\n')}`, lines);
}
