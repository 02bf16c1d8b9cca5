import type { Deployment, Service } from '@aws-sdk/client-ecs';

export type Verdict =
  | { done: false }
  | { done: true; ok: true }
  | { done: true; ok: false; reason: string; circuitBreakerRollback?: Deployment; supersededBy?: Deployment; failuresAtLimit?: boolean; ecsFailed?: boolean };

export interface JudgeOptions {
  /** Fail once this many tasks of the deployment have failed, even without a circuit breaker. */
  maxTaskFailures: number;
  /** When the UpdateService that created the deployment was sent. */
  since: Date;
  /** The revision the service ran before ours: where a circuit-breaker rollback goes. */
  previousTaskDefinition?: string;
}

/** Reads one DescribeServices answer: has *this* deployment completed, failed, or is it still rolling out? */
export function judgeDeployment(service: Service, deploymentId: string, options: JudgeOptions): Verdict {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((d) => d.id === deploymentId);
  const replacement = deployments.find((d) => d.id !== deploymentId && d.status === 'PRIMARY' && (d.createdAt ?? new Date(0)) >= options.since);
  // ECS's circuit breaker replaces only a FAILED deployment, and says so; any other newer PRIMARY came from
  // another UpdateService (ours, had it COMPLETED first, is judged below as it ended).
  const settledFirst = ours?.rolloutState === 'FAILED' || ours?.rolloutState === 'COMPLETED';
  if (replacement && !settledFirst && !byCircuitBreaker(service, replacement, options)) {
    const reason = `deployment ${deploymentId} was superseded by deployment ${replacement.id} on ${replacement.taskDefinition}, started by another UpdateService while ours rolled out`;
    return { done: true, ok: false, reason, supersededBy: replacement };
  }
  if (!ours && replacement) {
    const reason = `deployment ${deploymentId} was replaced by ECS with deployment ${replacement.id} on ${replacement.taskDefinition}${said(replacement)}`;
    return { done: true, ok: false, reason, circuitBreakerRollback: replacement };
  }
  if (!ours) {
    const now = deployments.find((d) => d.status === 'PRIMARY');
    const where = now ? `; the service now runs ${now.taskDefinition} (deployment ${now.id}${said(now)})` : '';
    return { done: true, ok: false, reason: `deployment ${deploymentId} is no longer on the service${where}` };
  }
  if (ours.rolloutState === 'FAILED') {
    return { done: true, ok: false, reason: `ECS marked deployment ${deploymentId} FAILED${said(ours)}`, circuitBreakerRollback: replacement, ecsFailed: true };
  }
  // Failures at or over the limit win, also in the read that sees the deployment COMPLETED.
  if ((ours.failedTasks ?? 0) >= options.maxTaskFailures) {
    return { done: true, ok: false, reason: `${ours.failedTasks} tasks of deployment ${deploymentId} failed (limit ${options.maxTaskFailures})`, failuresAtLimit: true };
  }
  if (ours.rolloutState === 'COMPLETED') return { done: true, ok: true };
  const steadyWithoutRolloutState =
    ours.rolloutState === undefined && deployments.length === 1 && ours.runningCount === ours.desiredCount && ours.pendingCount === 0;
  return steadyWithoutRolloutState ? { done: true, ok: true } : { done: false };
}

/**
 * The rollback deployment ECS's circuit breaker starts says so in its rolloutStateReason while it rolls
 * out; once it has completed (and ours is gone), it is known by where it went: back to the previous
 * revision, on a service whose circuit breaker rolls back.
 */
function byCircuitBreaker(service: Service, d: Deployment, options: JudgeOptions): boolean {
  if (/circuit breaker/i.test(d.rolloutStateReason ?? '')) return true;
  const rollsBack = service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true;
  return rollsBack && options.previousTaskDefinition !== undefined && d.taskDefinition === options.previousTaskDefinition;
}

export function progressLine(d: Deployment): string {
  return `running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}, pending ${d.pendingCount ?? 0}, failed ${d.failedTasks ?? 0}`;
}

/** ECS's own words, without their final period: reasons are embedded in sentences of ours. */
function said(d: Deployment): string {
  const reason = d.rolloutStateReason?.trim().replace(/\.+$/, '');
  return reason ? `: ${reason}` : '';
}
