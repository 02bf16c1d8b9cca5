import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { poll } from '../aws/poll';
import { judgeDeployment, progressLine, type Verdict } from './deployment-status';
import { DeployError } from './errors';
import type { Target } from './preflight';
import type { Reporter } from './reporter';

export interface RolloutRequest {
  taskDefinitionArn: string;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  maxTaskFailures: number;
  /** Bound on the wait for a rollback to settle. */
  rollbackTimeoutMs: number;
}

export interface RolloutResult {
  deploymentId?: string;
  state: 'COMPLETED' | 'STARTED' | 'UNCHANGED';
  durationMs: number;
}

interface Watch {
  ecs: ECSClient;
  target: Target;
  reporter: Reporter;
  signal?: AbortSignal;
  seenEvents: Set<string>;
}

/** Points the service at the new revision and follows the deployment that update created. */
export async function rollOut(ecs: ECSClient, target: Target, request: RolloutRequest, reporter: Reporter, signal?: AbortSignal): Promise<RolloutResult> {
  const started = Date.now();
  const previous = target.service.taskDefinition;
  if (previous === request.taskDefinitionArn && !request.forceNewDeployment) {
    reporter.info(`The service already runs ${previous}: nothing to update (force-new-deployment restarts its tasks).`);
    return { state: 'UNCHANGED', durationMs: 0 };
  }
  const watch: Watch = { ecs, target, reporter, signal, seenEvents: new Set((target.service.events ?? []).map((e) => e.id!)) };
  const deploymentId = await update(watch, request.taskDefinitionArn, request.forceNewDeployment);
  reporter.output('deployment-id', deploymentId);
  if (!request.wait) return { deploymentId, state: 'STARTED', durationMs: Date.now() - started };

  const since = new Date(started - 1000);
  const verdict = await follow(watch, deploymentId, request.timeoutMs, { maxTaskFailures: request.maxTaskFailures, since });
  if (verdict?.ok) {
    reporter.info(`Deployment ${deploymentId} completed in ${Math.round((Date.now() - started) / 1000)} s`);
    return { deploymentId, state: 'COMPLETED', durationMs: Date.now() - started };
  }
  const reason = verdict ? verdict.reason : `deployment ${deploymentId} did not complete within ${request.timeoutMs / 60_000} minutes`;
  const rollback = verdict?.circuitBreakerRollback;
  if (rollback) {
    reporter.warn(`Rollout failed: ${reason}. ECS's circuit breaker is rolling back to ${rollback.taskDefinition}; not rolling back again.`);
    const settled = await follow(watch, rollback.id!, request.rollbackTimeoutMs, { maxTaskFailures: Infinity, since });
    throw new DeployError(`Rollout failed: ${reason}. ECS's circuit breaker rolled the service back to ${rollback.taskDefinition} (${settledText(settled)}).`);
  }
  reporter.warn(`Rollout failed: ${reason}. Rolling back to ${previous}.`);
  const rollbackId = await update(watch, previous, false);
  const settled = await follow(watch, rollbackId, request.rollbackTimeoutMs, { maxTaskFailures: Infinity, since: new Date() });
  throw new DeployError(`Rollout failed: ${reason}. Rolled the service back to ${previous} (${settledText(settled)}).`);
}

async function update(watch: Watch, taskDefinition: string, forceNewDeployment: boolean): Promise<string> {
  const { ecs, target, reporter } = watch;
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: target.clusterArn, service: target.service.serviceArn, taskDefinition, forceNewDeployment }),
  );
  const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) throw new DeployError(`UpdateService answered without a PRIMARY deployment for ${target.service.serviceName}.`);
  reporter.info(`Updated service ${target.service.serviceName} to ${taskDefinition}: deployment ${primary.id}`);
  return primary.id;
}

/** Polls the service until the deployment settles; undefined when the timeout passed first. */
async function follow(watch: Watch, deploymentId: string, timeoutMs: number, options: Parameters<typeof judgeDeployment>[2]): Promise<Verdict & { done: true } | undefined> {
  let lastProgress = '';
  return poll({
    timeoutMs,
    signal: watch.signal,
    check: async () => {
      const out = await watch.ecs.send(new DescribeServicesCommand({ cluster: watch.target.clusterArn, services: [watch.target.service.serviceArn] }));
      const service = out.services?.[0];
      if (!service) return { done: true, ok: false, reason: `the service ${watch.target.service.serviceName} is gone` } as const;
      printNewEvents(service, watch);
      const ours = service.deployments?.find((d) => d.id === deploymentId);
      const progress = ours ? progressLine(ours) : '';
      if (progress && progress !== lastProgress) watch.reporter.info(`Deployment ${deploymentId}: ${(lastProgress = progress)}`);
      const verdict = judgeDeployment(service, deploymentId, options);
      return verdict.done ? verdict : undefined;
    },
  });
}

function printNewEvents(service: Service, watch: Watch): void {
  const fresh = (service.events ?? []).filter((e) => e.id && !watch.seenEvents.has(e.id));
  for (const event of fresh.reverse()) {
    watch.seenEvents.add(event.id!);
    watch.reporter.info(`event: ${event.message}`);
  }
}

function settledText(verdict: Verdict | undefined): string {
  if (!verdict) return 'the rollback had not finished when ecs-ship stopped waiting';
  return verdict.done && verdict.ok ? 'the rollback completed and the service is stable' : `the rollback did not settle: ${verdict.done ? verdict.reason : ''}`;
}
