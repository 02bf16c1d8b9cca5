import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';

const MINUTE = 60_000;
const TRAFFIC_STAGES = new Set(['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME']);
const WAITING_HOOK = new Set(['IN_PROGRESS', 'AWAITING_ACTION']);

/**
 * The progress lines of one deployment from ECS's record of it: the status and lifecycle stage, the
 * traffic on the new revision, the bake time left, the hooks it waits for. A line is new only when what it says changed.
 */
export class StageProgress {
  private stage?: string;
  private stageSince = 0;
  private lastLine = '';
  private readonly hooksShown = new Set<string>();

  /** Lines to print for this read; the same read again gives none. */
  lines(record: ServiceDeployment, now: number): string[] {
    if (record.lifecycleStage !== this.stage) {
      this.stage = record.lifecycleStage;
      this.stageSince = now;
    }
    const lines: string[] = [];
    const line = this.stageLine(record, now);
    if (line !== this.lastLine) lines.push((this.lastLine = line));
    for (const hook of waitingHooks(record).map(hookLine)) {
      if (!this.hooksShown.has(hook)) lines.push(hook);
      this.hooksShown.add(hook);
    }
    return lines;
  }

  /**
   * Bake time still to run once all production traffic is on the new revision (in ms): the whole bake
   * before it starts, what is left while baking, none in clean-up; undefined before that point.
   */
  bakeLeftMs(record: ServiceDeployment, now: number): number | undefined {
    const bake = (record.deploymentConfiguration?.bakeTimeInMinutes ?? 0) * MINUTE;
    switch (record.lifecycleStage) {
      case 'POST_PRODUCTION_TRAFFIC_SHIFT':
        return bake;
      case 'BAKE_TIME':
        return Math.max(0, bake - (now - (this.stage === 'BAKE_TIME' ? this.stageSince : now)));
      case 'CLEAN_UP':
        return 0;
      default:
        return undefined;
    }
  }

  private stageLine(record: ServiceDeployment, now: number): string {
    // The task counts are in the DescribeServices lines; these say what only the record knows.
    const stage = record.lifecycleStage;
    const status = record.status ?? 'PENDING';
    const parts = [stage ? `status ${status}, stage ${stage}` : `status ${status}`];
    if (stage && TRAFFIC_STAGES.has(stage)) parts.push(trafficText(record));
    const bakeLeft = stage === 'BAKE_TIME' ? this.bakeLeftMs(record, now) : undefined;
    if (bakeLeft !== undefined) parts.push(`bake time: ${minutesLeft(bakeLeft, record.deploymentConfiguration?.bakeTimeInMinutes ?? 0)} left`);
    return parts.filter(Boolean).join('; ');
  }
}

function trafficText(record: ServiceDeployment): string {
  const target = record.targetServiceRevision;
  const production = target?.requestedProductionTrafficWeight;
  const test = target?.requestedTestTrafficWeight;
  const parts = [];
  if (production !== undefined) parts.push(`production traffic ${percent(production)} on the new revision`);
  if (test !== undefined && record.lifecycleStage?.includes('TEST')) parts.push(`test traffic ${percent(test)}`);
  return parts.join(', ');
}

function waitingHooks(record: ServiceDeployment): DeploymentLifecycleHookDetail[] {
  return (record.lifecycleHookDetails ?? []).filter((hook) => WAITING_HOOK.has(hook.status ?? ''));
}

function hookLine(hook: DeploymentLifecycleHookDetail): string {
  const expires = hook.expiresAt ? `; it times out at ${hook.expiresAt.toISOString().slice(11, 19)} UTC, then ECS will ${hook.timeoutAction ?? 'ROLLBACK'}` : '';
  if (hook.targetType === 'PAUSE') {
    return `paused by lifecycle hook ${hook.hookId}: ECS waits for ContinueServiceDeployment (CONTINUE or ROLLBACK) with hook ID ${hook.hookId}${expires}`;
  }
  return `waiting for lifecycle hook ${hook.hookId} (${hook.targetArn ?? hook.targetType ?? 'AWS_LAMBDA'}), ${hook.status}${expires}`;
}

function percent(weight: number): string {
  return `${Number(weight.toFixed(1))}%`;
}

/** Whole minutes for long bakes, in steps that give about five lines for the whole bake time. */
function minutesLeft(ms: number, bakeMinutes: number): string {
  const step = bakeMinutes >= 10 ? 5 : 1;
  const left = Math.ceil(ms / MINUTE / step) * step;
  return ms < MINUTE ? 'under a minute' : `about ${left} minute${left === 1 ? '' : 's'}`;
}
