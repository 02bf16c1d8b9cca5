// The migration phase: the one migration of the run, as the plan says — with the new revision of the
// migration's service, in its network; skipped on a re-run of what the service runs already.
import type { App } from '../request/read-request';
import { inputName } from '../inputs/spelling';
import type { Reporter } from '../shared/reporter';
import { runMigration, waitForOtherMigrations } from './migration-task';
import { MINUTE, settleTimeoutMs, type Phase, type ServiceRun } from './service-run';

export async function migrate(runs: ServiceRun[], app: App, phase: Phase, reporter: Reporter): Promise<void> {
  const run = runs.find((r) => r.plan.migrationContainer);
  if (run) return phase('Migration', () => migrateWith(run));
  if (app.migrationLeftOut && !app.shared.redeploy) {
    reporter.info(`No migration: it runs with ${app.migrationLeftOut}'s revision, and ${app.migrationLeftOut} is not among the services deployed.`);
  }
}

async function migrateWith({ plan, deps, watcher, registration }: ServiceRun): Promise<void> {
  const { inputs, preflight } = plan;
  const { target } = preflight;
  if (!plan.migrate) {
    deps.reporter.info(`The service already runs ${registration!.arn}: the migration is skipped (it ran when that revision was deployed; ${inputName('force-new-deployment')} runs it again).`);
    deps.record.migration = { result: 'skipped' };
    return;
  }
  const reads = { ecs: deps.aws.ecs, reporter: deps.reporter, signal: deps.signal };
  // Never migrate the schema under someone else's rollout: the update that follows would have to wait for it, or refuse.
  await waitForOtherMigrations(target, settleTimeoutMs(inputs), reads);
  await watcher.waitForOthers(settleTimeoutMs(inputs), 'migration');
  const request = {
    taskDefinitionArn: registration!.arn,
    command: preflight.parsed.migrationCommand,
    container: plan.migrationContainer!,
    timeoutMs: inputs.migrationTimeoutMinutes * MINUTE,
    stopOnCancel: inputs.stopMigrationOnCancel,
  };
  await runMigration(target, request, { ...reads, logs: deps.aws.logs, record: deps.record });
}
