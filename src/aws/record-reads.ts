// Which deployment records need a read. A record in a plain rolling deployment moves only when its service
// does: while the service's summary in DescribeServices stays the same, the record as last read still holds;
// an end or a failed task there has the record read at once.
import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';

export class RecordReads {
  /**
   * Each service's summary (by ARN), how many times it changed, when it was last read, whether its rollout
   * has ended (COMPLETED or FAILED), its failed tasks, and the version in which an end or a failure last showed.
   */
  private readonly summaries = new Map<string, { summary: string; version: number; readAt: number; ended: boolean; failed: number; decisiveVersion: number }>();
  /** Each record as last read, when, when it was last handed out, and the version of its service's summary when that read started. */
  private readonly records = new Map<string, { record: ServiceDeployment; readAt: number; servedAt: number; version?: number }>();
  /** Services (by ARN) whose record showed its deployment ended, not read since: the watcher confirms the end with that read. */
  private readonly endsToConfirm = new Set<string>();

  /** A service as DescribeServices answered it; true when its summary changed. */
  noteService(service: Service, readAt: number): boolean {
    if (!service.serviceArn) return false;
    this.endsToConfirm.delete(service.serviceArn);
    const summary = summaryOf(service);
    const known = this.summaries.get(service.serviceArn);
    if (known?.summary === summary) {
      known.readAt = readAt;
      return false;
    }
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const ended = primary !== undefined && primary.rolloutState !== 'IN_PROGRESS';
    const failed = (service.deployments ?? []).reduce((sum, d) => sum + (d.failedTasks ?? 0), 0);
    const version = (known?.version ?? 0) + 1;
    const decisive = known !== undefined && ((ended && !known.ended) || failed > known.failed);
    this.summaries.set(service.serviceArn, { summary, version, readAt, ended, failed, decisiveVersion: decisive ? version : (known?.decisiveVersion ?? 0) });
    return known !== undefined;
  }

  /** A change (UpdateService, StopServiceDeployment) moves records before their services show it: none holds any more. */
  forgetRecords(): void {
    this.records.clear();
  }

  /** The versions of the records' services as a read of them starts (unknown before a record names its service). */
  versionsAt(arns: string[]): Map<string, number | undefined> {
    return new Map(arns.map((arn) => [arn, this.versionOf(arn)]));
  }

  noteRecord(record: ServiceDeployment, versionAtStart: number | undefined, readAt: number): void {
    if (!record.serviceDeploymentArn) return;
    const before = this.records.get(record.serviceDeploymentArn)?.record;
    if (record.serviceArn && hasEnded(record) && !(before && hasEnded(before))) this.endsToConfirm.add(record.serviceArn);
    this.records.set(record.serviceDeploymentArn, { record, readAt, servedAt: readAt, version: versionAtStart });
  }

  /** A record showed the service's deployment ended, and the service has not been read since: the read that confirms it is not to wait. */
  mustReadServiceNow(service: string): boolean {
    return [...this.endsToConfirm].some((arn) => arn === service || arn.split('/').at(-1) === service);
  }

  /**
   * The record as last read, when a new read would tell nothing that matters: it is a plain rolling
   * deployment in progress, and its service, read since, has not moved — or moved without ending or failing,
   * and the record was read less than `movedMaxAgeMs` ago (its status line comes a little later).
   */
  unchanged(arn: string, now: number, movedMaxAgeMs = 0): ServiceDeployment | undefined {
    const last = this.records.get(arn);
    // Only a read of the service since the record was last handed out tells that it has not moved.
    const serviceReadAt = this.summaries.get(this.serviceOf(arn) ?? '')?.readAt ?? -Infinity;
    if (!last || serviceReadAt <= last.servedAt || !movesWithItsService(last.record) || this.mustReadNow(arn)) return undefined;
    // Read before its service was (right after the change): the service's reads since tell only that it moved, or not.
    const holds = (last.version !== undefined && last.version === this.versionOf(arn)) || now - last.readAt < movedMaxAgeMs;
    if (holds) last.servedAt = now;
    return holds ? last.record : undefined;
  }

  /**
   * Its service's rollout has ended, or a task failed, since the record was last read: the read confirms
   * an end, and is not to wait (the record may lag behind DescribeServices: it is read until it ends too).
   */
  mustReadNow(arn: string): boolean {
    const last = this.records.get(arn);
    const service = this.summaries.get(this.serviceOf(arn) ?? '');
    if (last === undefined || service === undefined) return false;
    return service.ended || service.decisiveVersion > (last.version ?? 0);
  }

  private versionOf(arn: string): number | undefined {
    return this.summaries.get(this.serviceOf(arn) ?? '')?.version;
  }

  /** The service a record is of: as the record says, or as its ARN names it (…:service-deployment/cluster/service/id). */
  private serviceOf(arn: string): string | undefined {
    const named = /^(arn:[^:]+:ecs:[^:]*:\d*):service-deployment\/([^/]+)\/([^/]+)\/[^/]+$/.exec(arn);
    return this.records.get(arn)?.record.serviceArn ?? (named ? `${named[1]}:service/${named[2]}/${named[3]}` : undefined);
  }
}

/** Ended as the watcher judges a record: any status past PENDING and IN_PROGRESS (success, failure, a rollback). */
function hasEnded(record: ServiceDeployment): boolean {
  return record.status !== 'PENDING' && record.status !== 'IN_PROGRESS';
}

function movesWithItsService(record: ServiceDeployment): boolean {
  const strategy = record.deploymentConfiguration?.strategy ?? 'ROLLING';
  const alarms = record.alarms?.status;
  return (
    record.status === 'IN_PROGRESS' &&
    strategy === 'ROLLING' &&
    !record.deploymentConfiguration?.bakeTimeInMinutes &&
    // A rolling deployment whose record names no stage: one that does (blue/green, or ECS naming a rolling one's) is read every turn.
    !record.lifecycleStage &&
    !record.lifecycleHookDetails?.length &&
    (alarms === undefined || alarms === 'DISABLED')
  );
}

/** What DescribeServices says of the service's deployments: their states and task counts, and its newest event. */
function summaryOf(service: Service): string {
  const deployments = (service.deployments ?? []).map((d) => [d.id, d.status, d.rolloutState, d.taskDefinition, d.desiredCount, d.runningCount, d.pendingCount, d.failedTasks]);
  return JSON.stringify([service.status, service.taskDefinition, service.desiredCount, service.runningCount, service.pendingCount, deployments, service.events?.[0]?.id, service.currentServiceDeployment]);
}
