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
import { stillToHappen, type Reached } from '../../plan/wait-point';

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
  const waits = request.wait && request.waitUntil !== 'deployed';
  deps.record.rollout = {
    deploymentId: deployment.id,
    serviceDeploymentArn: deployment.recordArn,
    state: waits ? 'IN_PROGRESS' : 'STARTED',
  };
  if (!waits) return;
  return followRollout(target, { deployment, previous, started }, request, deps);
}

/** A deployment under way: the one a rollout started, or one a continue let go on. */
export interface Following {
  deployment: Started;
  /** The revision the service ran before it: where a rollback goes. */
  previous: string;
  /** When it started (or was let go on), in ms. */
  started: number;
  /** The PAUSE hook a continue just answered: not a pause to return at. */
  answeredHook?: string;
}

/**
 * Follows a deployment to its end (or to where wait-until returns): success, with the bake after it; or a
 * failure, with its rollback. The record's rollout is filled in as it goes.
 */
export async function followRollout(target: Target, following: Following, request: RolloutRequest, deps: RolloutDeps): Promise<void> {
  const { watcher } = deps;
  const { deployment, previous, started } = following;
  const rollout = deps.record.rollout!;
  if (request.waitUntil !== 'stable' && !deployment.recordArn) throw new DeployError(stagesUnseen(request, deployment.id));
  const since = new Date(started - 1000);
  let verdict: Settled;
  let lostTrack: string | undefined;
  try {
    verdict = await followThroughBake(watcher, following, request, { maxTaskFailures: request.maxTaskFailures, since, previousTaskDefinition: previous }, deps);
    if (verdict?.reached) return returnEarly(verdict.reached, deployment, rollout, started, deps);
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
async function followThroughBake(watcher: ServiceWatcher, { deployment, answeredHook }: Following, request: RolloutRequest, options: Parameters<ServiceWatcher['follow']>[2], deps: RolloutDeps): Promise<Settled> {
  const verdict = await watcher.follow(deployment, request.timeoutMs, options, request.waitUntil, answeredHook);
  const bakeLeft = verdict ? undefined : watcher.bakeLeftMs(deployment);
  if (bakeLeft === undefined) return verdict;
  const more = bakeLeft + CLEAN_UP_MARGIN_MS;
  deps.reporter.warn(
    `${inputName('wait-timeout-minutes')} passed while ECS bakes deployment ${deployment.id}, which is healthy so far; ` +
      `waiting up to ${Math.ceil(more / 60_000)} more minutes for its bake time and clean-up rather than ending it. Raise ${inputName('wait-timeout-minutes')} above the bake time.`,
  );
  return watcher.follow(deployment, more, options, request.waitUntil, answeredHook);
}

/** wait-until paused or a stage: the deployment got there; the run returns, saying what is still to happen. */
function returnEarly(reached: Reached, deployment: Started, rollout: NonNullable<Ledger['rollout']>, started: number, deps: RolloutDeps): void {
  rollout.durationMs = Date.now() - started;
  rollout.state = reached.paused ? 'PAUSED' : 'AT_STAGE';
  rollout.status = 'IN_PROGRESS';
  rollout.lifecycleStage = reached.stage;
  rollout.hookId = reached.hookId;
  rollout.stillToHappen = stillToHappen(reached);
  const where = reached.paused ? `is paused at ${reached.stage} by lifecycle hook ${reached.hookId}` : `has reached ${reached.stage}`;
  deps.reporter.info(`Deployment ${deployment.id} ${where}: returning (${inputName('wait-until')}). ${rollout.stillToHappen}.`);
}

function stagesUnseen(request: RolloutRequest, id: string): string {
  return (
    `${inputName('wait-until')} ${request.waitUntil} needs ECS's record of deployment ${id} (DescribeServiceDeployments), which cannot be read here: ` +
    `the deployment was started and goes on without ecs-ship. Grant the service-deployment actions of docs/iam-policy.json, or use ${inputName('wait-until')} stable or deployed.`
  );
}
