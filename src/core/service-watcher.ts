import { DescribeServicesCommand, UpdateServiceCommand, type Deployment, type Service } from '@aws-sdk/client-ecs';
import { poll } from '../aws/poll';
import { transientText } from '../aws/transient';
import { sendChange } from './changes';
import { judgeDeployment, progressLine, type JudgeOptions, type Verdict } from './deployment-status';
import { DeployError } from './errors';
import type { Target } from './preflight';
import type { RolloutDeps } from './rollout';

/** How a wait for a deployment ended; undefined when the timeout passed first. */
export type Settled = (Verdict & { done: true }) | undefined;

type WatcherDeps = Pick<RolloutDeps, 'ecs' | 'reporter' | 'record' | 'signal'>;

const WAITING_BEFORE = { migration: 'running the migration', update: 'starting ours' } as const;
const NOT_STARTED = {
  migration: 'not running the migration. The service was not updated.',
  update: 'not starting ours. The service was not updated.',
} as const;

/** Reads the service, prints what is new (events, progress), and judges one deployment. */
export class ServiceWatcher {
  private readonly seenEvents: Set<string>;

  constructor(
    private readonly target: Target,
    private readonly deps: WatcherDeps,
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
    const call = {
      action: 'UpdateService' as const,
      inFlight: `UpdateService of service ${service.serviceName} to ${taskDefinition} was sent and not answered yet, so the service may be starting a deployment of it`,
      noAnswer: `ECS did not say whether service ${service.serviceName} was updated to ${taskDefinition}; it may be deploying it`,
    };
    const update = new UpdateServiceCommand({ cluster: clusterArn, service: service.serviceArn, taskDefinition, forceNewDeployment });
    const out = await sendChange(this.deps.record, call, () => ecs.send(update));
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary?.id) throw new DeployError(`UpdateService answered without a PRIMARY deployment for ${service.serviceName}.`);
    reporter.info(`Updated service ${service.serviceName} to ${taskDefinition}: deployment ${primary.id}`);
    return primary.id;
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
