import type { ServiceDeployment } from '@aws-sdk/client-ecs';

/** How ECS's own record of a deployment reads: still going, successful, or ended otherwise and why. */
export type RecordVerdict =
  | { done: false }
  | { done: true; ok: true }
  | { done: true; ok: false; reason: string; ecsRollingBack: boolean; rollbackEnded: boolean };

const ROLLING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
const ROLLBACK_ENDED = new Set(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

export function judgeRecord(record: ServiceDeployment, deploymentId: string): RecordVerdict {
  const status = record.status ?? 'PENDING';
  if (status === 'SUCCESSFUL') return { done: true, ok: true };
  if (status === 'PENDING' || status === 'IN_PROGRESS') return { done: false };
  const ecsRollingBack = ROLLING_BACK.has(status) || ROLLBACK_ENDED.has(status);
  return { done: true, ok: false, reason: recordReason(record, deploymentId), ecsRollingBack, rollbackEnded: ROLLBACK_ENDED.has(status) };
}

/** "ECS's record of deployment ecs-svc/1 says ROLLBACK_IN_PROGRESS: <statusReason>; circuit breaker triggered: 3 failed tasks (threshold 3); alarm api-5xx in ALARM". */
export function recordReason(record: ServiceDeployment, deploymentId: string): string {
  const parts = [`ECS's record of deployment ${deploymentId} says ${record.status}${said(record.statusReason)}`];
  const breaker = record.deploymentCircuitBreaker;
  if (breaker?.status === 'TRIGGERED') parts.push(`circuit breaker triggered: ${breaker.failureCount ?? '?'} failed tasks (threshold ${breaker.threshold ?? '?'})`);
  const fired = record.alarms?.triggeredAlarmNames ?? [];
  if (fired.length) parts.push(`${fired.length === 1 ? 'alarm' : 'alarms'} ${fired.join(', ')} in ALARM`);
  return parts.join('; ');
}

/** Who started a rollback ECS is doing, as far as its record tells. */
export function rollbackCause(record: ServiceDeployment): string {
  if (record.alarms?.triggeredAlarmNames?.length) return `the alarm${record.alarms.triggeredAlarmNames.length > 1 ? 's' : ''} ${record.alarms.triggeredAlarmNames.join(', ')}`;
  if (record.deploymentCircuitBreaker?.status === 'TRIGGERED') return "the circuit breaker";
  if (record.lifecycleHookDetails?.some((hook) => hook.status === 'FAILED' || hook.status === 'TIMED_OUT')) return 'a lifecycle hook';
  return 'ECS';
}

function said(reason: string | undefined): string {
  return reason?.trim() ? `: ${trimmed(reason)}` : '';
}

function trimmed(text: string): string {
  return text.trim().replace(/\.+$/, '');
}
