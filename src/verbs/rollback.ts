// `ecs-ship rollback`: a deployment in progress (paused or not) is stopped with a rollback — or, with abort,
// stopped where it is — and followed to its end. With none in progress, each service goes back to the
// revision it ran before its last deployment (from ECS's records; without them, the previous ACTIVE revision
// of its family, said so), followed to the end; the scheduled tasks on the revision it leaves follow it back.
import { activeRevisions } from '../aws/task-definitions';
import { awsSaid } from '../aws/failed-call';
import { continueServiceDeployment, recordsUnavailable, stopServiceDeployment } from '../aws/service-deployments';
import { sendChange } from '../execute/changes';
import { ServiceWatcher, type Settled, type Started } from '../execute/deployment/service-watcher';
import { startDeployment } from '../execute/deployment/start-deployment';
import type { DeployDeps } from '../execute/run-deps';
import { pointScheduledTasks } from '../execute/scheduled-tasks';
import { inputName } from '../inputs/spelling';
import { deploymentInProgress, describeInProgress, lastDeployment, type InProgress } from '../plan/deployment-in-progress';
import type { Target } from '../plan/preflight';
import { findScheduledTasks, readScheduledTasksInput, type ScheduledTask } from '../plan/scheduled-task-lookup';
import { taskDefinitionOf } from '../plan/scheduled-task-names';
import { readSteerRequest, type SteerRequest } from '../request/steer-request';
import { DeployError, InputError } from '../shared/errors';
import { actOnAll, preflightAll, steer, steerRecord, type Acted, type SteerUnit } from './steering';
import type { Verb } from './verb';
import { withConfigFile } from '../inputs/spelling';

const MINUTE = 60_000;

/** What rolling one service back takes. */
type Plan =
  | { kind: 'stop'; found: InProgress; stopType: 'ROLLBACK' | 'ABORT' }
  /** ECS already rolls it back (or stops it): follow that. */
  | { kind: 'follow'; found: InProgress }
  | { kind: 'update'; to: string; from: string; scheduled: ScheduledTask[] };

export const rollbackCommand: Verb = async (raw, env) => {
  const request = readSteerRequest(raw, env);
  return { ledger: steerRecord(request, env, 'rollback'), region: request.shared.awsRegion, execute: (deps) => withConfigFile(request.file, () => rollbackApp(request, deps)) };
};

export function rollbackApp(request: SteerRequest, deps: DeployDeps): Promise<void> {
  return steer(request, deps, async (units, phase) => {
    const plans = await phase('Preflight', () => preflightAll(units, (unit) => planOf(unit)));
    await phase('Rollback', () => actOnAll(units, (unit) => rollBack(unit, plans[units.indexOf(unit)]), 'The rollback failed'));
    deps.record.outcome = 'deployed';
  });
}

async function planOf(unit: SteerUnit & { target: Target }): Promise<Plan> {
  const { aws, reporter } = unit.deps;
  const { service } = unit.target;
  const readable = await recordsReadable(() => deploymentInProgress(aws.ecs, unit.target), unit);
  const found = readable.value;
  if (found) {
    reporter.info(`Service ${service.serviceName}: ${describeInProgress(found)}${found.hookId ? `, paused by lifecycle hook ${found.hookId}` : ''}.`);
    if (/^(ROLLBACK_|STOP_)/.test(found.record.status ?? '')) return { kind: 'follow', found };
    return { kind: 'stop', found, stopType: unit.inputs.abort ? 'ABORT' : 'ROLLBACK' };
  }
  if (unit.inputs.abort) {
    throw new InputError([`${inputName('abort')}: service "${service.serviceName}" has no deployment in progress to stop; it runs ${service.taskDefinition}. Leave ${inputName('abort')} out to roll it back to the revision it ran before its last deployment.`]);
  }
  const last = readable.ok ? await lastDeployment(aws.ecs, unit.target) : undefined;
  const to = last?.previous ?? (await previousActiveRevision(unit, service.taskDefinition));
  if (!to) throw new InputError([`service "${service.serviceName}" runs ${service.taskDefinition}, and neither ECS's records nor its family have a revision before it: nothing to roll back to.`]);
  const from = last ? `ECS's record of its last deployment (${last.recordArn})` : `the previous ACTIVE revision of family ${taskDefinitionOf(service.taskDefinition).family}, as ECS has no record of a deployment that changed its revision`;
  if (!last) reporter.warn(`Service ${service.serviceName}: ECS's deployment records do not say which revision it ran before; going back to ${to}, ${from.replace(/, as .*/, '')}.`);
  const selection = readScheduledTasksInput(unit.inputs.scheduledTasks);
  const scheduled = selection ? await findScheduledTasks(selection, taskDefinitionOf(service.taskDefinition).family, unit.target.clusterArn, { aws, reporter }) : [];
  return { kind: 'update', to, from, scheduled: scheduled.filter((task) => task.taskDefinitionArn === service.taskDefinition) };
}

/** A read of ECS's deployment records; where the role or endpoint cannot read them, said once, and nothing read. */
async function recordsReadable<T>(read: () => Promise<T>, unit: SteerUnit): Promise<{ ok: boolean; value?: T }> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (!recordsUnavailable(error)) throw error;
    unit.deps.reporter.warn(`ECS's deployment records cannot be read here (${awsSaid(error)}): ecs-ship cannot see a deployment in progress nor the revision the service ran before its last one. Grant the service-deployment actions of docs/iam-policy.json.`);
    return { ok: false };
  }
}

/** The newest ACTIVE revision of the family older than `current`. */
async function previousActiveRevision(unit: SteerUnit, current: string): Promise<string | undefined> {
  const { family, revision } = taskDefinitionOf(current);
  const arns = await activeRevisions(unit.deps.aws.ecs, family);
  return arns.find((arn) => {
    const other = taskDefinitionOf(arn);
    return other.family === family && (other.revision ?? 0) < (revision ?? 0);
  });
}

async function rollBack(unit: SteerUnit, plan: Plan): Promise<Acted> {
  const { deps, record } = unit;
  const watcher = new ServiceWatcher(unit.target!, { ecs: deps.aws.ecs, reporter: deps.reporter, record, signal: deps.signal });
  const timeoutMs = unit.inputs.waitTimeoutMinutes * MINUTE;
  if (plan.kind === 'update') return updateBack(unit, plan, watcher, timeoutMs);
  const { found } = plan;
  const deployment: Started = { id: found.deploymentId, recordArn: found.recordArn };
  record.taskDefinitionArn = found.taskDefinition;
  record.previousTaskDefinitionArn = found.previous ?? record.previousTaskDefinitionArn;
  record.rollout = { deploymentId: found.deploymentId, serviceDeploymentArn: found.recordArn, state: 'IN_PROGRESS', status: found.record.status };
  const stopType = plan.kind === 'stop' ? plan.stopType : found.record.status?.startsWith('STOP') ? 'ABORT' : 'ROLLBACK';
  if (plan.kind === 'stop') await stop(unit, found, plan.stopType);
  else deps.reporter.info(`ECS is already ${stopType === 'ABORT' ? 'stopping' : 'rolling back'} deployment ${found.deploymentId}: following it.`);
  const ended = await watcher.followRollback(deployment, timeoutMs);
  const rollout = record.rollout;
  rollout.status = ended?.status ?? rollout.status;
  const runs = (await watcher.describe().catch(() => undefined))?.taskDefinition;
  if (stopType === 'ABORT') {
    if (ended?.status !== 'STOPPED') throw new DeployError(`Deployment ${found.deploymentId} was asked to stop (ABORT) but ECS had not stopped it after ${unit.inputs.waitTimeoutMinutes} minutes (${ended?.status ?? 'status unknown'}).`);
    rollout.state = 'COMPLETED';
    record.steered = `deployment ${found.deploymentId} stopped where it was (StopServiceDeployment ABORT, ECS: STOPPED); the service names ${runs ?? found.taskDefinition}, with the tasks it had`;
    return { outcome: 'stopped', said: 'stopped where it was' };
  }
  if (ended?.status !== 'ROLLBACK_SUCCESSFUL') {
    rollout.state = 'FAILED';
    const why = ended ? `ECS says ${ended.status}${ended.statusReason ? `: ${ended.statusReason}` : ''}` : `it had not ended after ${unit.inputs.waitTimeoutMinutes} minutes`;
    throw new DeployError(`The rollback of deployment ${found.deploymentId} did not complete: ${why}. The service runs ${runs ?? 'an unknown revision'}.`);
  }
  rollout.state = 'COMPLETED';
  rollout.rolledBackTo = runs ?? found.previous;
  record.steered = `deployment ${found.deploymentId} of ${found.taskDefinition} stopped with a rollback; ECS rolled the service back to ${rollout.rolledBackTo} (ECS: ROLLBACK_SUCCESSFUL)`;
  deps.reporter.info(`Rolled back: ${record.steered}.`);
  return { outcome: 'rolled back', said: `rolled back to ${rollout.rolledBackTo}` };
}

async function stop(unit: SteerUnit, found: InProgress, stopType: 'ROLLBACK' | 'ABORT'): Promise<void> {
  const { deps, record } = unit;
  const call = {
    action: 'StopServiceDeployment' as const,
    inFlight: `StopServiceDeployment (${stopType}) of ${found.recordArn} was sent and not answered yet, so ECS may be ${stopType === 'ABORT' ? 'stopping' : 'rolling back'} deployment ${found.deploymentId}`,
    noAnswer: `ECS did not say whether it stops deployment ${found.deploymentId}; it may be ${stopType === 'ABORT' ? 'stopping' : 'rolling back'} the service`,
  };
  await sendChange(record, call, () => stopServiceDeployment(deps.aws.ecs, found.recordArn, stopType));
  deps.reporter.info(
    stopType === 'ABORT'
      ? `Stopping deployment ${found.deploymentId} where it is (StopServiceDeployment ABORT): ECS starts and stops no more of its tasks.`
      : `Stopping deployment ${found.deploymentId} with a rollback (StopServiceDeployment ROLLBACK): ECS restores the service revision it ran before${found.previous ? `, on ${found.previous}` : ''}.`,
  );
}

/**
 * The rollback's own deployment goes through the service's lifecycle hooks like any other: a PAUSE hook
 * would hold it until its timeout. The rollback was asked for, so ecs-ship lets it go on at each pause, and says so.
 */
async function followThroughPauses(unit: SteerUnit, deployment: Started, watcher: ServiceWatcher, timeoutMs: number, options: Parameters<ServiceWatcher['follow']>[2]): Promise<Settled> {
  const until = Date.now() + timeoutMs;
  let answered: string | undefined;
  for (;;) {
    const verdict = await watcher.follow(deployment, Math.max(0, until - Date.now()), options, 'paused', answered);
    if (!verdict?.reached?.hookId || !deployment.recordArn) return verdict;
    answered = verdict.reached.hookId;
    const hook = answered;
    const call = {
      action: 'ContinueServiceDeployment' as const,
      inFlight: `ContinueServiceDeployment of ${deployment.recordArn} was sent and not answered yet, so ECS may be going on with the rollback deployment ${deployment.id}`,
      noAnswer: `ECS did not say whether it lets the rollback deployment ${deployment.id} go on`,
    };
    await sendChange(unit.record, call, () => continueServiceDeployment(unit.deps.aws.ecs, deployment.recordArn!, hook));
    unit.deps.reporter.info(`The rollback deployment ${deployment.id} was paused at ${verdict.reached.stage} by lifecycle hook ${hook}; letting it go on (the rollback was asked for).`);
  }
}

/** No deployment in progress: an UpdateService back to the revision before, followed to its end; then the scheduled tasks follow. */
async function updateBack(unit: SteerUnit, plan: Extract<Plan, { kind: 'update' }>, watcher: ServiceWatcher, timeoutMs: number): Promise<Acted> {
  const { deps, record } = unit;
  const current = unit.target!.service.taskDefinition;
  deps.reporter.info(`No deployment in progress: rolling service ${unit.target!.service.serviceName} back from ${current} to ${plan.to}, the revision it ran before (${plan.from}).`);
  record.taskDefinitionArn = plan.to;
  const sentAt = new Date(Date.now() - 1000);
  const deployment = await startDeployment(plan.to, false, { ecs: deps.aws.ecs, reporter: deps.reporter, record, watcher });
  record.rollout = { deploymentId: deployment.id, serviceDeploymentArn: deployment.recordArn, state: 'IN_PROGRESS' };
  const verdict = await followThroughPauses(unit, deployment, watcher, timeoutMs, { maxTaskFailures: unit.inputs.maxTaskFailures, since: sentAt, previousTaskDefinition: current });
  const rollout = record.rollout;
  rollout.status = verdict?.record?.status ?? watcher.lastRecord.get(deployment.id)?.status;
  if (!verdict?.ok) {
    rollout.state = 'FAILED';
    const runs = (await watcher.describe().catch(() => undefined))?.taskDefinition;
    const why = verdict ? verdict.reason : `deployment ${deployment.id} did not complete within ${unit.inputs.waitTimeoutMinutes} minutes`;
    throw new DeployError(`Rolling back to ${plan.to} failed: ${why}. The service runs ${runs ?? 'an unknown revision'} now.`);
  }
  rollout.state = 'COMPLETED';
  rollout.rolledBackTo = plan.to;
  record.steered = `rolled back from ${current} to ${plan.to} with UpdateService (deployment ${deployment.id}), the revision it ran before: from ${plan.from}`;
  if (plan.scheduled.length > 0) await pointScheduledTasks(plan.scheduled, plan.to, { aws: deps.aws, reporter: deps.reporter, record });
  return { outcome: 'rolled back', said: `rolled back to ${plan.to}` };
}
