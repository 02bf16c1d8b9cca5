import { DescribeServicesCommand, UpdateServiceCommand, type Deployment, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { poll } from '../aws/poll';
import { transientText } from '../aws/transient';
import { judgeDeployment, progressLine, type JudgeOptions, type Verdict } from './deployment-status';
import { DeployError } from './errors';
import type { Target } from './preflight';
import type { RunRecord } from './record';
import type { Reporter } from './reporter';
import { explainFailedTasks } from './stopped-tasks';

export interface RolloutRequest {
  taskDefinitionArn: string;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  maxTaskFailures: number;
  rollback: boolean;
  /** Bound on the waits for someone else's deployment and for a rollback to settle. */
  settleTimeoutMs: number;
}

export interface RolloutDeps {
  ecs: ECSClient;
  reporter: Reporter;
  record: RunRecord;
  signal?: AbortSignal;
}

type Settled = (Verdict & { done: true }) | undefined;

/** Points the service at the new revision and follows the deployment that update created. */
export async function rollOut(target: Target, request: RolloutRequest, deps: RolloutDeps): Promise<void> {
  const watcher = new ServiceWatcher(target, deps);
  const service = await watcher.waitForOthers(request.settleTimeoutMs);
  const previous = service.taskDefinition!;
  if (previous === request.taskDefinitionArn && !request.forceNewDeployment) {
    deps.reporter.info(`The service already runs ${previous}: nothing to update (force-new-deployment restarts its tasks).`);
    deps.record.rollout = { state: 'UNCHANGED' };
    return;
  }
  deps.signal?.throwIfAborted();
  const started = Date.now();
  const deploymentId = await watcher.update(request.taskDefinitionArn, request.forceNewDeployment);
  const rollout: NonNullable<RunRecord['rollout']> = (deps.record.rollout = { deploymentId, state: request.wait ? 'IN_PROGRESS' : 'STARTED' });
  if (!request.wait) return;

  const since = new Date(started - 1000);
  let verdict: Settled;
  let lostTrack: string | undefined;
  try {
    verdict = await watcher.follow(deploymentId, request.timeoutMs, { maxTaskFailures: request.maxTaskFailures, since });
  } catch (error) {
    // A deployment ecs-ship can no longer follow is not known to be good: it is treated as failed.
    if (watcher.cancelled) throw error;
    lostTrack = `ecs-ship could not follow deployment ${deploymentId} (${(error as Error).message})`;
  }
  rollout.durationMs = Date.now() - started;
  if (verdict?.ok) {
    rollout.state = 'COMPLETED';
    deps.reporter.info(`Deployment ${deploymentId} completed in ${Math.round(rollout.durationMs / 1000)} s`);
    return;
  }
  const superseded = verdict?.supersededBy;
  if (superseded) {
    rollout.state = 'SUPERSEDED';
    rollout.supersededBy = { deploymentId: superseded.id!, taskDefinition: superseded.taskDefinition! };
    throw new DeployError(`Rollout failed: ${verdict!.reason}. The service is left on ${superseded.taskDefinition}: rolling back would undo that newer deployment.`);
  }
  rollout.state = 'FAILED';
  const reason = lostTrack ?? (verdict ? verdict.reason : `deployment ${deploymentId} did not complete within ${request.timeoutMs / 60_000} minutes`);
  await explainFailedTasks(deps.ecs, target, deploymentId, deps.reporter);

  const breaker = verdict?.circuitBreakerRollback;
  if (breaker) {
    deps.reporter.warn(`Rollout failed: ${reason}. ECS's circuit breaker is rolling back to ${breaker.taskDefinition}; not rolling back again.`);
    rollout.rolledBackTo = breaker.taskDefinition;
    const settled = await settle(watcher, breaker.id!, request.settleTimeoutMs, since);
    throw new DeployError(`Rollout failed: ${reason}. ECS's circuit breaker rolled the service back to ${breaker.taskDefinition} (${settled}).`);
  }
  if (!request.rollback) {
    throw new DeployError(`Rollout failed: ${reason}. rollback is false, so the service was left on ${request.taskDefinitionArn}.`);
  }
  deps.reporter.warn(`Rollout failed: ${reason}. Rolling back to ${previous}.`);
  const rollbackId = await watcher.update(previous, false).catch((error: Error) => {
    throw new DeployError(`Rollout failed: ${reason}. Rolling back to ${previous} failed too (${error.message}): the service is on ${request.taskDefinitionArn}.`);
  });
  rollout.rolledBackTo = previous;
  const settled = await settle(watcher, rollbackId, request.settleTimeoutMs, new Date());
  throw new DeployError(`Rollout failed: ${reason}. Rolled the service back to ${previous} (${settled}).`);
}

/** Reads the service, prints what is new (events, progress), and judges one deployment. */
class ServiceWatcher {
  private readonly seenEvents: Set<string>;

  constructor(
    private readonly target: Target,
    private readonly deps: RolloutDeps,
  ) {
    this.seenEvents = new Set((target.service.events ?? []).map((e) => e.id!));
  }

  get cancelled(): boolean {
    return this.deps.signal?.aborted ?? false;
  }

  async describe(): Promise<Service> {
    const out = await this.deps.ecs.send(new DescribeServicesCommand({ cluster: this.target.clusterArn, services: [this.target.service.serviceArn] }));
    const service = out.services?.[0];
    if (!service) throw new DeployError(`The service ${this.target.service.serviceName} disappeared during the deploy.`);
    this.printNewEvents(service);
    return service;
  }

  async update(taskDefinition: string, forceNewDeployment: boolean): Promise<string> {
    const { ecs, reporter } = this.deps;
    const { clusterArn, service } = this.target;
    const out = await ecs.send(new UpdateServiceCommand({ cluster: clusterArn, service: service.serviceArn, taskDefinition, forceNewDeployment }));
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary?.id) throw new DeployError(`UpdateService answered without a PRIMARY deployment for ${service.serviceName}.`);
    reporter.info(`Updated service ${service.serviceName} to ${taskDefinition}: deployment ${primary.id}`);
    return primary.id;
  }

  /** Someone else's deployment in progress is reported and waited for (bounded) before ours starts. */
  async waitForOthers(timeoutMs: number): Promise<Service> {
    let service = await this.describe();
    const busy = (s: Service) => (s.deployments ?? []).find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS') ?? ((s.deployments?.length ?? 0) > 1 ? s.deployments![0] : undefined);
    const other = busy(service);
    if (!other) return service;
    this.deps.reporter.warn(`Another deployment (${other.id}, ${other.taskDefinition}) is in progress on the service; waiting for it before starting ours.`);
    const settled = await poll({
      timeoutMs,
      signal: this.deps.signal,
      warn: (message) => this.deps.reporter.warn(message),
      retrying: (error) => this.retrying(error),
      check: async () => {
        service = await this.describe();
        return busy(service) ? undefined : service;
      },
    });
    if (!settled) throw new DeployError(`Another deployment (${other.id}) was still in progress after ${Math.round(timeoutMs / 60_000)} minutes; not starting ours. The service was not updated.`);
    return settled;
  }

  /** Polls until the deployment settles; undefined when the timeout passed first. */
  follow(deploymentId: string, timeoutMs: number, options: JudgeOptions): Promise<Settled> {
    let lastProgress = '';
    return poll({
      timeoutMs,
      signal: this.deps.signal,
      warn: (message) => this.deps.reporter.warn(message),
      retrying: (error) => this.retrying(error),
      check: async (pace) => {
        const service = await this.describe();
        const ours = service.deployments?.find((d) => d.id === deploymentId);
        const progress = ours ? progressLine(ours) : '';
        if (progress && progress !== lastProgress) {
          this.deps.reporter.info(`Deployment ${deploymentId}: ${(lastProgress = progress)}`);
          pace.changed();
        }
        if (ours && nearlySettled(ours, options)) pace.nearEnd();
        const verdict = judgeDeployment(service, deploymentId, options);
        return verdict.done ? verdict : undefined;
      },
    });
  }

  private retrying(error: unknown): void {
    this.deps.reporter.info(`Could not read the service (${transientText(error)}); trying again.`);
  }

  private printNewEvents(service: Service): void {
    const fresh = (service.events ?? []).filter((e) => e.id && !this.seenEvents.has(e.id));
    for (const event of fresh.reverse()) {
      this.seenEvents.add(event.id!);
      this.deps.reporter.info(`event: ${event.message}`);
    }
  }
}

/** Every new task is up (only the old ones are left to drain), or one more failure decides. */
function nearlySettled(d: Deployment, options: JudgeOptions): boolean {
  return (d.runningCount === d.desiredCount && !d.pendingCount) || (d.failedTasks ?? 0) >= options.maxTaskFailures - 1;
}

/** Follows a rollback (bounded) and says how it ended; a rollback that cannot be followed is said to be so. */
function settle(watcher: ServiceWatcher, deploymentId: string, timeoutMs: number, since: Date): Promise<string> {
  return watcher.follow(deploymentId, timeoutMs, { maxTaskFailures: Infinity, since }).then(settledText, (error: Error) => {
    if (watcher.cancelled) throw error;
    return `its progress could not be read: ${error.message}`;
  });
}

function settledText(verdict: Settled): string {
  if (!verdict) return 'the rollback had not finished when ecs-ship stopped waiting';
  return verdict.ok ? 'the rollback completed and the service is stable' : `the rollback did not settle: ${verdict.reason}`;
}
