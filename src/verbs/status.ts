// `ecs-ship status`: what each service runs now and what it is doing — revision, images with the digests
// its tasks run, task counts, the deployment in progress (status, stage, traffic, hook), the last failure
// and the newest events. Read only.
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { describeTasks, listServiceTasks } from '../aws/ecs-tasks';
import { describeRecord, recordsUnavailable, serviceDeploymentsOf } from '../aws/service-deployments';
import { describeTaskDefinition } from '../aws/task-definitions';
import type { DeployDeps } from '../execute/run-deps';
import type { ServiceStatus } from '../execute/ledger';
import { deploymentInProgress } from '../plan/deployment-in-progress';
import type { Target } from '../plan/preflight';
import { readSteerRequest, type SteerRequest } from '../request/steer-request';
import { actOnAll, preflightAll, steer, steerRecord, type Acted, type SteerUnit } from './steering';
import type { Verb } from './verb';
import { withConfigFile } from '../inputs/spelling';

const EVENTS = 5;
const FAILED = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'] as const;

export const statusCommand: Verb = async (raw, env) => {
  const request = readSteerRequest(raw, env);
  return { ledger: steerRecord(request, env, 'status'), region: request.shared.awsRegion, execute: (deps) => withConfigFile(request.file, () => statusApp(request, deps)) };
};

export function statusApp(request: SteerRequest, deps: DeployDeps): Promise<void> {
  return steer(request, deps, async (units, phase) => {
    await phase('Preflight', () => preflightAll(units, async () => undefined));
    await phase('Status', () => actOnAll(units, (unit) => read(unit as SteerUnit & { target: Target }), 'The status could not be read'));
    deps.record.outcome = 'deployed';
  });
}

async function read(unit: SteerUnit & { target: Target }): Promise<Acted> {
  const { aws, reporter } = unit.deps;
  const { service, clusterArn } = unit.target;
  const definition = (await describeTaskDefinition(aws.ecs, service.taskDefinition)).taskDefinition;
  const tasks = await describeTasks(aws.ecs, clusterArn, (await listServiceTasks(aws.ecs, clusterArn, service.serviceName)).slice(0, 100));
  const digestsOf = (container: string) => [...new Set(tasks.filter((t) => t.taskDefinitionArn === service.taskDefinition).flatMap((t) => t.containers ?? []).filter((c) => c.name === container && c.imageDigest).map((c) => c.imageDigest!))];
  const status: ServiceStatus = {
    taskDefinition: service.taskDefinition,
    images: (definition?.containerDefinitions ?? []).map((c) => ({ container: c.name!, image: c.image!, digests: digestsOf(c.name!) })),
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    pending: service.pendingCount ?? 0,
    events: (service.events ?? []).slice(0, EVENTS).map((e) => `${e.createdAt?.toISOString().slice(0, 19).replace('T', ' ') ?? ''} ${e.message}`),
  };
  try {
    const found = await deploymentInProgress(aws.ecs, unit.target);
    if (found) {
      const hook = (found.record.lifecycleHookDetails ?? []).find((h) => h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS');
      status.inProgress = {
        deploymentId: found.deploymentId,
        recordArn: found.recordArn,
        status: found.record.status ?? 'PENDING',
        stage: found.record.lifecycleStage,
        taskDefinition: found.taskDefinition,
        traffic: trafficOf(found.record),
        hookId: hook?.hookId,
        hookStatus: hook && `${hook.targetType === 'PAUSE' ? 'pause' : 'hook'} ${hook.status}`,
      };
    }
    status.lastFailure = await lastFailure(unit);
  } catch (error) {
    if (!recordsUnavailable(error)) throw error;
    reporter.warn(`ECS's deployment records cannot be read here; the status shows what DescribeServices says.`);
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS');
    if (primary) status.inProgress = { deploymentId: primary.id!, status: 'IN_PROGRESS', taskDefinition: primary.taskDefinition! };
    const failed = service.deployments?.find((d) => d.rolloutState === 'FAILED');
    if (failed) status.lastFailure = { recordArn: failed.id!, status: 'FAILED', reason: failed.rolloutStateReason ?? '' };
  }
  unit.record.status = status;
  for (const line of statusLines(status)) reporter.info(line);
  // Status changes nothing: each service is unchanged, whatever ECS is doing with it.
  return { outcome: 'unchanged', said: status.inProgress ? `deployment ${status.inProgress.deploymentId} ${status.inProgress.status}` : `runs ${service.taskDefinition}` };
}

function trafficOf(record: ServiceDeployment): string | undefined {
  const target = record.targetServiceRevision;
  if (target?.requestedProductionTrafficWeight === undefined) return undefined;
  const test = target.requestedTestTrafficWeight === undefined ? '' : `, test ${target.requestedTestTrafficWeight}%`;
  return `production ${target.requestedProductionTrafficWeight}%${test} on the new revision`;
}

async function lastFailure(unit: SteerUnit & { target: Target }): Promise<ServiceStatus['lastFailure']> {
  const { aws } = unit.deps;
  const [brief] = await serviceDeploymentsOf(aws.ecs, unit.target.clusterArn, unit.target.service.serviceArn, [...FAILED], 1);
  if (!brief?.serviceDeploymentArn) return undefined;
  const record = await describeRecord(aws.ecs, brief.serviceDeploymentArn);
  const reason = record.rollback?.reason ?? record.statusReason ?? '';
  return { recordArn: brief.serviceDeploymentArn, status: record.status ?? '', reason, at: (record.finishedAt ?? record.stoppedAt ?? record.updatedAt)?.toISOString().slice(0, 19).replace('T', ' ') };
}

/** The status as log lines (the same facts as the summary's table). */
export function statusLines(status: ServiceStatus): string[] {
  const lines = [`Runs ${status.taskDefinition}: ${status.running} running, ${status.pending} pending of ${status.desired} desired`];
  for (const image of status.images) lines.push(`  ${image.container}: ${image.image}${image.digests.length ? ` (running ${image.digests.join(', ')})` : ''}`);
  const busy = status.inProgress;
  lines.push(busy ? `In progress: deployment ${busy.deploymentId} of ${busy.taskDefinition}, ${busy.status}${busy.stage ? ` at ${busy.stage}` : ''}${busy.traffic ? `; ${busy.traffic}` : ''}${busy.hookId ? `; ${busy.hookStatus} (hook ${busy.hookId})` : ''}` : 'In progress: no deployment');
  if (status.lastFailure) lines.push(`Last failure: ${status.lastFailure.status}${status.lastFailure.at ? ` at ${status.lastFailure.at} UTC` : ''}: ${status.lastFailure.reason || 'no reason given'} (${status.lastFailure.recordArn})`);
  lines.push(...status.events.map((event) => `Event: ${event}`));
  return lines;
}
