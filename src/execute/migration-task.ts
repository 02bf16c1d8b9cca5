import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { migrationGroup, migrationsRunning } from '../aws/migration-tasks';
import { poll } from '../aws/poll';
import { transientText } from '../aws/transient';
import { inputName } from '../inputs/spelling';
import { DeployError } from '../shared/errors';
import type { NamedContainer } from '../taskdef/types';
import type { Target } from '../plan/preflight';
import type { Ledger } from './ledger';
import type { Reporter } from '../shared/reporter';
import { runOneOffTask, type OneOffWords } from './one-off-task';

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

/** How the migration is spoken of (input names as the front end spells them). */
const migrationWords = (): OneOffWords => ({
  task: 'migration task',
  what: 'migration',
  subject: 'Migration',
  container: 'Migration container',
  log: 'migration log',
  after: NOT_UPDATED,
  stopOnCancelInput: inputName('stop-migration-on-cancel'),
  cancelledReason: CANCELLED,
});

/** Runs the one-off migration task with the service's network and launch settings (one-off-task.ts); any failure throws. */
export async function runMigration(target: Target, request: MigrationRequest, deps: MigrationDeps): Promise<void> {
  deps.signal?.throwIfAborted();
  const migration: NonNullable<Ledger['migration']> = (deps.record.migration = { result: 'running' });
  await runOneOffTask(target, { ...request, group: migrationGroup(target.service.serviceName!) }, migrationWords(), { ...deps, ledger: deps.record, record: migration });
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

