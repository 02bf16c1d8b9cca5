// The JSON report that outlives the run: ECS forgets stopped tasks after about an hour, the CI log may be
// gone or hard to search. Built from the run's record (the same source as the outputs and the summary),
// then redacted as a whole with the run's secrets before it is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Secrets } from '../shared/secrets';
import type { Ledger } from '../execute/ledger';

/** Bumped when a field changes meaning or goes; new fields do not bump it. */
export const REPORT_VERSION = 1;

export interface ReportContext {
  /** The verb the run was: deploy, run, build… */
  verb: string;
  startedAt: Date;
  endedAt: Date;
  exitCode: number;
  /** What the run was asked, as the request layer read it (var values left out). */
  request?: unknown;
}

/** One change the run made, as the record has it. */
export interface MadeChange {
  service: string;
  action: string;
  target: string;
}

export function reportDocument(record: Ledger | undefined, context: ReportContext): Record<string, unknown> {
  // build deploys to no service: its report has the images and no services.
  const services = !record ? [] : record.app ? record.app.services.map((s) => ({ name: s.name, outcome: s.outcome, why: s.why, record: s.record })) : record.service ? [{ name: record.service, outcome: record.outcome as string, why: undefined, record }] : [];
  return {
    reportVersion: REPORT_VERSION,
    tool: 'ecs-ship',
    verb: context.verb,
    outcome: record?.outcome ?? 'failed',
    exitCode: context.exitCode,
    message: record?.message,
    startedAt: context.startedAt.toISOString(),
    endedAt: context.endedAt.toISOString(),
    request: context.request,
    app: record?.app ? { file: record.app.file, environment: record.app.environment, phases: record.app.phases.map(phaseTimes) } : undefined,
    images: record?.builtImages ?? (record?.app ? record.app.images : record?.image ? [{ reference: record.image, digest: record.imageDigest, built: record.imageBuilt }] : []),
    plan: record ? (plannedOf(record) ?? record.plan) : undefined,
    changes: [...services.flatMap(({ name, record: r }) => changesMade(name, r)), ...imagesDeleted(record)],
    imagesPruned: record?.imagesPruned,
    inFlight: record?.unanswered.map((call) => ({ action: call.action, inFlight: call.inFlight, lost: call.lost ?? false })) ?? [],
    services: services.map(({ name, outcome, why, record: r }) => ({
      name,
      service: r.service,
      cluster: r.cluster,
      region: r.region,
      outcome,
      why,
      image: r.image,
      imageDigest: r.imageDigest,
      previousTaskDefinitionArn: r.previousTaskDefinitionArn,
      taskDefinitionArn: r.taskDefinitionArn,
      registered: r.registered,
      migration: r.migration,
      task: r.task,
      deployment: r.rollout,
      stoppedTasks: r.stoppedTasks ?? [],
      revisionsPruned: r.pruned,
      scheduledTasks: r.scheduledTasks,
      finalState: finalState(r, outcome),
    })),
  };
}

/** Writes the report, redacted, creating its directory. Throws when it cannot (the caller warns). */
export function writeReportFile(path: string, document: Record<string, unknown>, secrets?: Secrets): void {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, secrets ? secrets.redact(text) : text, { mode: 0o600 });
}

/** The changes the run made, in the order it makes them, from the record of one service. */
export function changesMade(name: string, record: Ledger): MadeChange[] {
  const changes: MadeChange[] = [];
  const add = (action: string, target: string) => changes.push({ service: name, action, target });
  if (record.registered && record.taskDefinitionArn) add('RegisterTaskDefinition', record.taskDefinitionArn);
  const { migration, rollout } = record;
  if (migration?.taskArn) add('RunTask', `migration task ${migration.taskArn}`);
  if (migration?.result === 'stopped' && migration.taskArn) add('StopTask', migration.taskArn);
  const task = record.task;
  for (const arn of task?.taskArns ?? (task?.taskArn ? [task.taskArn] : [])) add('RunTask', `one-off task ${arn}`);
  if (task?.result === 'stopped') add('StopTask', (task.taskArns ?? [task.taskArn]).join(', '));
  if (rollout?.deploymentId) add('UpdateService', `${record.service}: deployment ${rollout.deploymentId}`);
  const rollback = rollout?.rollback;
  if (rollback?.by === 'ecs-ship') add(rollback.how ?? 'UpdateService', `${record.service}: rollback to ${rollback.taskDefinition} (deployment ${rollback.deploymentId})`);
  for (const task of record.scheduledTasks ?? []) {
    add(task.kind === 'rule' ? 'PutTargets' : 'UpdateSchedule', `${task.kind} ${task.name}: ${task.from} → ${task.to}`);
    if (task.restored) add(task.kind === 'rule' ? 'PutTargets' : 'UpdateSchedule', `${task.kind} ${task.name}: back to ${task.from}`);
  }
  for (const arn of record.pruned?.deregistered ?? []) add('DeregisterTaskDefinition', arn);
  return changes;
}

function imagesDeleted(record: Ledger | undefined): MadeChange[] {
  return (record?.imagesPruned?.repositories ?? []).filter((r) => r.deleted.length > 0).map((r) => ({ service: '', action: 'BatchDeleteImage', target: `${r.repository}: ${r.deleted.join(', ')}` }));
}

function plannedOf(record: Ledger) {
  if (record.app) {
    const all = record.app.services.filter((s) => s.record.planned);
    return all.length ? all.flatMap((s) => s.record.planned!) : undefined;
  }
  return record.planned;
}

/** Where the service is as far as the run knows: read from ECS at the end of a failed run, else what the run left it on. */
function finalState(record: Ledger, outcome: string) {
  if (record.runsNow) return { taskDefinition: record.runsNow.taskDefinition, rollingOut: record.runsNow.rollingOut, readFromEcs: true };
  const rollout = record.rollout;
  const runs = rollout?.rolledBackTo ?? (rollout?.deploymentId || rollout?.state === 'UNCHANGED' ? record.taskDefinitionArn : record.previousTaskDefinitionArn);
  return runs ? { taskDefinition: runs, rollingOut: outcome === 'running' || rollout?.state === 'IN_PROGRESS' || rollout?.state === 'STARTED', readFromEcs: false } : undefined;
}

function phaseTimes(phase: { title: string; startedAt: number; endedAt?: number; failed?: boolean }) {
  return { title: phase.title, startedAt: new Date(phase.startedAt).toISOString(), endedAt: phase.endedAt && new Date(phase.endedAt).toISOString(), failed: phase.failed ?? false };
}
