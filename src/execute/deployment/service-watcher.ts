import type { Deployment, ECSClient, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { describeServices } from '../../aws/ecs-services';
import { awsSaid } from '../../aws/failed-call';
import { poll, type PaceHints } from '../../aws/poll';
import { describeRecord, failsOnTheServer, recordsUnavailable } from '../../aws/service-deployments';
import { transientText } from '../../aws/transient';
import { judgeDeployment, progressLine, type JudgeOptions, type Verdict } from './deployment-status';
import { DeployError } from '../../shared/errors';
import type { Target } from '../../plan/preflight';
import type { Ledger } from '../ledger';
import type { Reporter } from '../../shared/reporter';
import { judgeRecord, type RecordVerdict } from './service-deployment-status';
import { StageProgress } from './stage-progress';
import { TaskFailures } from './task-failures';
import { reachedPoint, type Reached } from '../../plan/wait-point';
import type { WaitUntil } from '../../inputs/wait-until';

/** How a wait for a deployment ended (with ECS's record of it as last read, when it has one); undefined when the timeout passed first. */
export type Settled = (Verdict & { done: true; record?: ServiceDeployment; ecsRollingBack?: boolean; rollbackEnded?: boolean; reached?: Reached }) | undefined;
export type FailedVerdict = Extract<NonNullable<Settled>, { ok: false }>;

/** A deployment ecs-ship started: its ID in DescribeServices, and the ARN of ECS's record of it when there is one. */
export interface Started {
  id: string;
  recordArn?: string;
}

interface WatcherDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: Ledger;
  signal?: AbortSignal;
}

const WAITING_BEFORE = { migration: 'running the migration', update: 'starting ours' } as const;
const NOT_STARTED = {
  migration: 'not running the migration. The service was not updated.',
  update: 'not starting ours. The service was not updated.',
} as const;

/** Reads the service, prints what is new (events, progress), and judges one deployment. */
export class ServiceWatcher {
  private readonly seenEvents: Set<string>;
  /** False once ECS said the role or the endpoint cannot read the records (said once). */
  private recordsReadable = true;
  private readonly stages = new Map<string, StageProgress>();
  /** The last record read of each deployment followed. */
  readonly lastRecord = new Map<string, ServiceDeployment>();
  /** Tasks the service started since preflight, as its events said ("has started N tasks"). */
  private tasksStarted = 0;
  private readonly failures: TaskFailures;
  /** The service as last read (Preflight's read before the first). */
  lastRead: Service;

  constructor(
    readonly target: Target,
    private readonly deps: WatcherDeps,
  ) {
    this.seenEvents = new Set((target.service.events ?? []).map((e) => e.id!));
    this.lastRead = target.service;
    this.failures = new TaskFailures(deps.ecs, target.clusterArn);
  }

  /**
   * The deployment's failed tasks: ECS's failedTasks, or more when ecs-ship counts more stopped abnormally
   * (ECS does not count a task that exits after it started, and resets on a healthy task). The stopped tasks
   * are looked up only once the service has started more tasks than it wants: a task was replaced.
   */
  async failedTasksOf(d: Deployment): Promise<number> {
    const counted = d.failedTasks ?? 0;
    if (!d.id || this.tasksStarted <= (d.desiredCount ?? 0)) return counted;
    try {
      // A task that stops moves the counts or starts a replacement: while neither changes, the count holds.
      const state = [d.runningCount, d.pendingCount, d.failedTasks, this.tasksStarted].join('/');
      return Math.max(counted, await this.failures.count(d.id, state));
    } catch (error) {
      this.deps.reporter.debug(`Could not count the stopped tasks of ${d.id}: ${(error as Error).message}`);
      return counted;
    }
  }

  get cancelled(): boolean {
    return this.deps.signal?.aborted ?? false;
  }

  async describe(): Promise<Service> {
    const out = await describeServices(this.deps.ecs, this.target.clusterArn, [this.target.service.serviceArn]);
    const service = out.services?.[0];
    if (!service) throw new DeployError(`The service ${this.target.service.serviceName} disappeared during the deploy.`);
    this.printNewEvents(service);
    this.lastRead = service;
    return service;
  }

  /**
   * A read of ECS's deployment records; undefined when the role or endpoint cannot read them, which is
   * said once, and from then on the deployments are judged from DescribeServices alone.
   */
  async readRecord<T>(read: () => Promise<T>): Promise<T | undefined> {
    if (!this.recordsReadable) return undefined;
    try {
      return await read();
    } catch (error) {
      if (!recordsUnavailable(error)) throw error;
      this.recordsReadable = false;
      const advice = failsOnTheServer(error) ? '' : ' Grant the service-deployment actions of docs/iam-policy.json to see lifecycle stages, alarms and ECS rollbacks.';
      this.deps.reporter.warn(`ECS's deployment records cannot be read here (${awsSaid(error)}); following deployments through DescribeServices alone.${advice}`);
      return undefined;
    }
  }

  get readsRecords(): boolean {
    return this.recordsReadable;
  }

  /**
   * Someone else's deployment in progress is reported and waited for (bounded) before the next step
   * that changes something: the migration (a schema migrated for code that is not deployed), or the update.
   */
  async waitForOthers(timeoutMs: number, next: 'migration' | 'update'): Promise<Service> {
    let other: Deployment | undefined;
    const settled = await poll({
      timeoutMs,
      signal: this.deps.signal,
      warn: (message) => this.deps.reporter.warn(message),
      retrying: (error) => this.retrying(error),
      heartbeat: { waitingFor: () => `another deployment${other ? ` (${other.id})` : ''} to finish before ${WAITING_BEFORE[next]}`, say: (line) => this.deps.reporter.info(line) },
      check: async () => {
        const service = await this.describe();
        const busy = deploymentInProgress(service);
        if (!busy) return service;
        if (!other) this.deps.reporter.warn(`Another deployment (${busy.id}, ${busy.taskDefinition}) is in progress on the service; waiting for it before ${WAITING_BEFORE[next]}.`);
        other ??= busy;
        return undefined;
      },
    });
    if (!settled) {
      throw new DeployError(`Another deployment (${other?.id}) was still in progress after ${minutes(timeoutMs)}; ${NOT_STARTED[next]}`);
    }
    return settled;
  }

  /**
   * Polls until the deployment settles; undefined when the timeout passed first. With ECS's record of
   * the deployment, the reads alternate between the record (status, lifecycle stage, alarms, rollbacks)
   * and DescribeServices (events, task counts, failures): one read per poll (the shared reads answer a record
   * whose service has not moved as last read, and DescribeServices takes that turn). ECS's record has the last word.
   * With `until` paused or a lifecycle stage, it settles (ok, with `reached`) as soon as the record shows the deployment there.
   */
  follow(deployment: Started, timeoutMs: number, options: JudgeOptions, until: WaitUntil = 'stable', answeredHook?: string): Promise<Settled> {
    let lastProgress = '';
    let turn = 0;
    return poll({
      timeoutMs,
      signal: this.deps.signal,
      warn: (message) => this.deps.reporter.warn(message),
      retrying: (error) => this.retrying(error),
      heartbeat: { waitingFor: `deployment ${deployment.id} to finish`, say: (line) => this.deps.reporter.info(line) },
      check: async (pace) => {
        const withRecord = deployment.recordArn !== undefined && this.recordsReadable;
        if (withRecord && turn++ % 2 === 0) {
          const before = this.lastRecord.get(deployment.id);
          const record = await this.readRecordOf(deployment, pace);
          // The same record as last time (its service has not moved): DescribeServices has this turn.
          if (record && record !== before) {
            const reached = reachedPoint(record, until, answeredHook);
            if (reached) return { done: true, ok: true, record, reached };
            const verdict = judgeRecord(record, deployment.id);
            return verdict.done ? this.confirm(deployment, options, record, verdict) : undefined;
          }
        }
        const service = await this.describe();
        const ours = service.deployments?.find((d) => d.id === deployment.id);
        if (ours && Number.isFinite(options.maxTaskFailures)) ours.failedTasks = await this.failedTasksOf(ours);
        const progress = ours ? progressLine(ours) : '';
        if (progress && progress !== lastProgress) {
          this.deps.reporter.info(`Deployment ${deployment.id}: ${(lastProgress = progress)}`);
          pace.changed();
        }
        if (ours && nearlySettled(ours, options)) pace.nearEnd();
        const verdict = judgeDeployment(service, deployment.id, options);
        if (!verdict.done) return undefined;
        if (!(deployment.recordArn && this.recordsReadable)) return verdict;
        // The end as DescribeServices shows it is checked against ECS's record at once.
        const record = await this.readRecordOf(deployment, pace);
        return record ? this.settleWith(verdict, record, judgeRecord(record, deployment.id)) : verdict;
      },
    });
  }

  /**
   * Follows ECS's record of a deployment being rolled back (by ECS, or after StopServiceDeployment) until
   * the rollback ends; undefined when the timeout passed first.
   */
  followRollback(deployment: Started, timeoutMs: number): Promise<ServiceDeployment | undefined> {
    return poll({
      timeoutMs,
      signal: this.deps.signal,
      warn: (message) => this.deps.reporter.warn(message),
      retrying: (error) => this.retrying(error),
      heartbeat: { waitingFor: `the rollback of deployment ${deployment.id} to end`, say: (line) => this.deps.reporter.info(line) },
      check: async (pace) => {
        const record = await this.readRecordOf(deployment, pace);
        if (!record) throw new DeployError(`ECS's record of deployment ${deployment.id} could no longer be read.`);
        const verdict = judgeRecord(record, deployment.id);
        if (verdict.done && (verdict.ok || verdict.rollbackEnded || record.status === 'STOPPED')) {
          // The events of the rollback's end; the record alone decides how it ended.
          await this.describe().catch(() => undefined);
          return record;
        }
        return undefined;
      },
    });
  }

  private async readRecordOf(deployment: Started, pace: PaceHints): Promise<ServiceDeployment | undefined> {
    const record = await this.readRecord(() => describeRecord(this.deps.ecs, deployment.recordArn!));
    if (!record) return undefined;
    this.lastRecord.set(deployment.id, record);
    const stages = this.stages.get(deployment.id) ?? new StageProgress();
    this.stages.set(deployment.id, stages);
    const lines = stages.lines(record, Date.now());
    for (const line of lines) this.deps.reporter.info(`Deployment ${deployment.id}: ${line}`);
    if (lines.length) pace.changed();
    return record;
  }

  /** Bake time left when the deployment is in its bake window (as last read), in ms. */
  bakeLeftMs(deployment: Started): number | undefined {
    const record = this.lastRecord.get(deployment.id);
    return record && this.stages.get(deployment.id)?.bakeLeftMs(record, Date.now());
  }

  /** ECS says the deployment ended: a success is checked against the failures DescribeServices counts. */
  private async confirm(deployment: Started, options: JudgeOptions, record: ServiceDeployment, verdict: RecordVerdict & { done: true }): Promise<Settled> {
    const service = await this.describe();
    const ours = service.deployments?.find((d) => d.id === deployment.id);
    if (ours && Number.isFinite(options.maxTaskFailures)) ours.failedTasks = await this.failedTasksOf(ours);
    return this.settleWith(judgeDeployment(service, deployment.id, options), record, verdict);
  }

  /** What DescribeServices and the record say together; the record wins, but failures at the limit fail a success. */
  private settleWith(seen: Verdict, record: ServiceDeployment, verdict: RecordVerdict): Settled {
    if (!verdict.done) {
      // DescribeServices may show COMPLETED (or ECS's own failure) before the record ends: the record decides.
      if (!seen.done || seen.ok || seen.circuitBreakerRollback || seen.ecsFailed) return undefined;
      return { ...seen, record };
    }
    if (verdict.ok) return seen.done && !seen.ok && seen.failuresAtLimit ? { ...seen, record } : { done: true, ok: true, record };
    if (seen.done && !seen.ok && seen.supersededBy && !verdict.ecsRollingBack) return { ...seen, record };
    return { done: true, ok: false, reason: verdict.reason, record, ecsRollingBack: verdict.ecsRollingBack, rollbackEnded: verdict.rollbackEnded };
  }

  private retrying(error: unknown): void {
    this.deps.reporter.info(`Could not read the service (${transientText(error)}); trying again.`);
  }

  private printNewEvents(service: Service): void {
    const fresh = (service.events ?? []).filter((e) => e.id && !this.seenEvents.has(e.id));
    for (const event of fresh.reverse()) {
      this.seenEvents.add(event.id!);
      this.tasksStarted += Number(/ has started (\d+) tasks?:/.exec(event.message ?? '')?.[1] ?? 0);
      this.deps.reporter.info(`event: ${event.message}`);
    }
  }
}

/** A deployment in progress on the service: a PRIMARY one rolling out, or more than one listed. */
function deploymentInProgress(service: Service): Deployment | undefined {
  const deployments = service.deployments ?? [];
  return deployments.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS') ?? (deployments.length > 1 ? deployments[0] : undefined);
}

/** Every new task is up (only the old ones are left to drain), or one more failure decides. */
function nearlySettled(d: Deployment, options: JudgeOptions): boolean {
  return (d.runningCount === d.desiredCount && !d.pendingCount) || (d.failedTasks ?? 0) >= options.maxTaskFailures - 1;
}

/** "10 minutes", "1 minute", "0.05 minutes". */
function minutes(ms: number): string {
  const value = ms / 60_000;
  return `${value} minute${value === 1 ? '' : 's'}`;
}
