import { awsSaid } from '../../aws/failed-call';
import { DeployError } from '../../shared/errors';
import { inputName, stated } from '../../inputs/spelling';
import { bakeNewRevision } from './bake';
import type { Target } from '../../plan/preflight';
import type { Ledger } from '../ledger';
import { rollBack, type Failure } from './rollback';
import { startDeployment } from './start-deployment';
import type { RolloutDeps, RolloutRequest } from './rollout-request';
import type { ServiceWatcher, Settled, Started } from './service-watcher';
import { explainFailedTasks } from './stopped-tasks';

/** Beyond a bake window the wait outlives, how long ECS may take to clean up. */
const CLEAN_UP_MARGIN_MS = 5 * 60_000;

/** Points the service at the new revision and follows the deployment that update created. */
export async function rollOut(target: Target, request: RolloutRequest, deps: RolloutDeps): Promise<void> {
  const { watcher } = deps;
  const service = await watcher.waitForOthers(request.settleTimeoutMs, 'update');
  const previous = service.taskDefinition!;
  // The plan said so; or the service got there meanwhile (another run deployed the same revision).
  if (!request.update || (previous === request.taskDefinitionArn && !request.forceNewDeployment)) {
    if (previous === request.taskDefinitionArn) deps.reporter.info(`The service already runs ${previous}: nothing to update (${inputName('force-new-deployment')} restarts its tasks).`);
    else deps.reporter.warn(`The service runs ${previous} now, not ${request.taskDefinitionArn} as when this deploy was planned: someone changed it meanwhile, so it is left as it is.`);
    deps.record.rollout = { state: 'UNCHANGED' };
    return;
  }
  deps.signal?.throwIfAborted();
  const started = Date.now();
  const deployment = await startDeployment(request.taskDefinitionArn, request.forceNewDeployment, deps);
  const rollout: NonNullable<Ledger['rollout']> = (deps.record.rollout = {
    deploymentId: deployment.id,
    serviceDeploymentArn: deployment.recordArn,
    state: request.wait ? 'IN_PROGRESS' : 'STARTED',
  });
  if (!request.wait) return;

  const since = new Date(started - 1000);
  let verdict: Settled;
  let lostTrack: string | undefined;
  try {
    verdict = await followThroughBake(watcher, deployment, request, { maxTaskFailures: request.maxTaskFailures, since, previousTaskDefinition: previous }, deps);
  } catch (error) {
    // A deployment ecs-ship can no longer follow is not known to be good: it is treated as failed.
    if (watcher.cancelled) throw error;
    lostTrack = `ecs-ship could not follow deployment ${deployment.id} (${awsSaid(error)})`;
  }
  rollout.durationMs = Date.now() - started;
  rollout.status = verdict?.record?.status ?? watcher.lastRecord.get(deployment.id)?.status;
  if (verdict?.ok) {
    deps.reporter.info(`Deployment ${deployment.id} completed in ${Math.round(rollout.durationMs / 1000)} s`);
    const baked = request.bakeMs > 0 ? await bakeNewRevision(target, { deploymentId: deployment.id, durationMs: request.bakeMs }, deps) : undefined;
    if (!baked || baked.ok) {
      rollout.state = 'COMPLETED';
      return;
    }
    rollout.state = 'FAILED';
    await explainFailedTasks(target, deployment.id, deps);
    // ECS considers a successful deployment ended: it can no longer be stopped, only replaced.
    return rollBack({ reason: baked.reason, previous, deployment, ended: true }, request, deps);
  }
  const superseded = verdict?.supersededBy;
  if (superseded) {
    rollout.state = 'SUPERSEDED';
    rollout.supersededBy = { deploymentId: superseded.id!, taskDefinition: superseded.taskDefinition! };
    throw new DeployError(`Rollout failed: ${verdict!.reason}. The service is left on ${superseded.taskDefinition}: rolling back would undo that newer deployment.`);
  }
  rollout.state = 'FAILED';
  const reason = lostTrack ?? (verdict ? verdict.reason : `deployment ${deployment.id} did not complete within ${request.timeoutMs / 60_000} minutes`);
  await explainFailedTasks(target, deployment.id, deps);
  const ended = ['SUCCESSFUL', 'STOPPED'].includes(verdict?.record?.status ?? '');
  const failure: Failure = { reason, previous, deployment, verdict, ended };
  if (!request.rollback && !verdict?.ecsRollingBack && !verdict?.circuitBreakerRollback) {
    throw new DeployError(`Rollout failed: ${reason}. ${stated('rollback', false)}, so the service was left on ${request.taskDefinitionArn}.`);
  }
  return rollBack(failure, request, deps);
}

/**
 * Follows the deployment up to the wait's timeout; a healthy deployment that ECS is still baking when the
 * timeout passes is followed to the end of its bake time (and clean-up) rather than ended.
 */
async function followThroughBake(watcher: ServiceWatcher, deployment: Started, request: RolloutRequest, options: Parameters<ServiceWatcher['follow']>[2], deps: RolloutDeps): Promise<Settled> {
  const verdict = await watcher.follow(deployment, request.timeoutMs, options);
  const bakeLeft = verdict ? undefined : watcher.bakeLeftMs(deployment);
  if (bakeLeft === undefined) return verdict;
  const more = bakeLeft + CLEAN_UP_MARGIN_MS;
  deps.reporter.warn(
    `${inputName('wait-timeout-minutes')} passed while ECS bakes deployment ${deployment.id}, which is healthy so far; ` +
      `waiting up to ${Math.ceil(more / 60_000)} more minutes for its bake time and clean-up rather than ending it. Raise ${inputName('wait-timeout-minutes')} above the bake time.`,
  );
  return watcher.follow(deployment, more, options);
}
