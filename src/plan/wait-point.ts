import type { DeploymentConfiguration, ServiceDeployment } from '@aws-sdk/client-ecs';
import { inputName } from '../inputs/spelling';
import { isStage, LIFECYCLE_STAGES, stageIndex, type WaitUntil } from '../inputs/wait-until';

// wait-until paused or a lifecycle stage: when a deployment has got there, and what is still to happen then.

/** Where a deployment stands when the wait returns before its end. */
export interface Reached {
  /** ECS's lifecycle stage as last read. */
  stage?: string;
  /** The PAUSE hook ECS waits on (ContinueServiceDeployment), when it is paused. */
  hookId?: string;
  paused: boolean;
  /** A pause's end, when no one decides: ECS then takes the hook's timeout action. */
  expiresAt?: Date;
  timeoutAction?: string;
}

const PAUSED_HOOK = (record: ServiceDeployment, answered?: string) =>
  (record.lifecycleHookDetails ?? []).find((hook) => hook.targetType === 'PAUSE' && hook.status === 'AWAITING_ACTION' && hook.hookId !== answered);

/**
 * The deployment (still in progress) has got where the wait returns; undefined while it has not, or for
 * stable and deployed. `answered`: a hook ecs-ship just let go on, which ECS may show waiting a moment longer.
 */
export function reachedPoint(record: ServiceDeployment, until: WaitUntil, answered?: string): Reached | undefined {
  if (record.status !== 'IN_PROGRESS') return undefined;
  const pause = PAUSED_HOOK(record, answered);
  const here: Reached = { stage: record.lifecycleStage, hookId: pause?.hookId, paused: pause !== undefined, expiresAt: pause?.expiresAt, timeoutAction: pause?.timeoutAction };
  if (until === 'paused') return pause ? here : undefined;
  if (!isStage(until)) return undefined;
  return stageIndex(record.lifecycleStage) >= stageIndex(until) ? here : undefined;
}

/** A paused deployment's hook, as ECS's record has it (for continue and status). */
export function pausedHook(record: ServiceDeployment): string | undefined {
  return PAUSED_HOOK(record)?.hookId;
}

/**
 * Why the wait can never get where it is asked to return (an input problem found in preflight), or
 * undefined: a stage needs a BLUE_GREEN, LINEAR or CANARY deployment; paused needs a PAUSE hook.
 */
export function waitPointProblem(config: DeploymentConfiguration | undefined, until: WaitUntil, service: string): string | undefined {
  if (until !== 'paused' && !isStage(until)) return undefined;
  const strategy = config?.strategy ?? 'ROLLING';
  if (strategy === 'ROLLING') {
    return `${inputName('wait-until')}: ${until}, but service "${service}" deploys with the ROLLING strategy, which has no lifecycle stages and no pause. Expected stable or deployed for it, or a service with the BLUE_GREEN, LINEAR or CANARY strategy.`;
  }
  if (until !== 'paused') return undefined;
  const pauses = (config?.lifecycleHooks ?? []).filter((hook) => hook.targetType === 'PAUSE');
  if (pauses.length > 0) return undefined;
  return `${inputName('wait-until')}: paused, but no lifecycle hook of service "${service}" is a PAUSE hook, so ECS will never pause its deployment. Expected a lifecycle stage (such as POST_TEST_TRAFFIC_SHIFT) instead, or a PAUSE hook in the service's deploymentConfiguration.lifecycleHooks.`;
}

/** "production traffic shift, bake time and clean-up; then the old revision stops": what a deployment still does after `stage`. */
export function stillToHappen(reached: Reached): string {
  const next = LIFECYCLE_STAGES.slice(stageIndex(reached.stage) + 1).filter((stage) => stage !== 'RECONCILE_SERVICE');
  const rest = next.length ? `ECS still goes through ${next.join(', ')}` : 'ECS still finishes the deployment';
  if (reached.paused) {
    const timeout = reached.expiresAt ? ` (if no one decides, ECS will ${reached.timeoutAction ?? 'ROLLBACK'} at ${reached.expiresAt.toISOString().slice(0, 19).replace('T', ' ')} UTC)` : '';
    return `ECS holds it at ${reached.stage ?? 'its lifecycle hook'} until ecs-ship continue (or ContinueServiceDeployment with hook ID ${reached.hookId}) lets it go on, or ecs-ship rollback rolls it back${timeout}; then ${rest.replace(/^ECS still/, 'it')}`;
  }
  return `${rest} on its own; ecs-ship rollback stops it with a rollback`;
}
