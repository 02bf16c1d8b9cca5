import { AwsError, invalidParameter } from '../errors';
import { randomBytes } from 'node:crypto';
import { newUuid } from '../ids';
import type { LifecycleHookRecord, ServiceDeploymentRecord, ServiceRecord, SimState } from '../state';
import { DEFAULT_HOOK_TIMEOUT_MINUTES } from './strategies';

// Lifecycle hooks (ECS developer guide: "Lifecycle hooks for Amazon ECS service deployments"). At a stage a
// hook lists, the deployment waits for it: an AWS_LAMBDA hook's function answers SUCCEEDED, FAILED or
// IN_PROGRESS (invoked again 30 seconds later); a PAUSE hook waits for ContinueServiceDeployment. A hook
// that outlives its timeout takes its timeoutAction. Hooks apply to the BLUE_GREEN, LINEAR and CANARY
// strategies, whose lifecycle stages they name; a ROLLING deployment runs none.

const REINVOKE_SECONDS = 30;

/** Starts the hooks that list `stage`; lifecycleHookDetails shows the hooks of the stage under way. */
export function enterHooks(state: SimState, sd: ServiceDeploymentRecord, stage: string | undefined, now: number): void {
  const configured: any[] = (sd.deploymentConfiguration.lifecycleHooks ?? []).filter((hook: any) => stage && hook.lifecycleStages?.includes(stage));
  sd.hooks = configured.map((hook): LifecycleHookRecord => {
    const targetType = hook.targetType ?? 'AWS_LAMBDA';
    const timeout = hook.timeoutConfiguration ?? {};
    return {
      // The developer guide's example of a pause hook's ID: "ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw".
      hookId: targetType === 'PAUSE' ? `ecs-pause-${randomBytes(32).toString('base64url')}` : newUuid(),
      targetType,
      targetArn: targetType === 'PAUSE' ? undefined : hook.hookTargetArn,
      stage: stage!,
      status: targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
      expiresAt: now + (timeout.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT_MINUTES) * 60 * state.timing.secondMs,
      timeoutAction: timeout.action ?? 'ROLLBACK',
      invocations: 0,
      // The first invocation comes a tick later, so the hook is seen IN_PROGRESS.
      nextInvocationAt: now + state.timing.tickMs,
    };
  });
}

const pending = (hook: LifecycleHookRecord) => hook.status === 'IN_PROGRESS' || hook.status === 'AWAITING_ACTION';

/** Every hook of the stage has let the deployment go on. */
export const hooksSettled = (sd: ServiceDeploymentRecord) =>
  sd.hooks.every((hook) => hook.status === 'SUCCEEDED' || (hook.status === 'TIMED_OUT' && hook.timeoutAction === 'CONTINUE'));

export function advanceHooks(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, now: number): void {
  for (const hook of sd.hooks.filter(pending)) {
    if (now >= hook.expiresAt) {
      hook.status = 'TIMED_OUT';
      sd.updatedAt = now;
      continue;
    }
    if (hook.targetType !== 'AWS_LAMBDA' || now < hook.nextInvocationAt) continue;
    hook.invocations++;
    const answer = state.scenario.hook?.({ stage: hook.stage, hookTargetArn: hook.targetArn, serviceName: service.name, invocation: hook.invocations }) ?? 'SUCCEEDED';
    if (answer === 'IN_PROGRESS') hook.nextInvocationAt = now + REINVOKE_SECONDS * state.timing.secondMs;
    else hook.status = answer === 'FAILED' ? 'FAILED' : 'SUCCEEDED';
    sd.updatedAt = now;
  }
}

/** ContinueServiceDeployment: CONTINUE lets the paused stage go on; ROLLBACK fails the hook, which rolls the deployment back. */
export function continueHook(sd: ServiceDeploymentRecord, hookId: unknown, action: unknown, now: number): void {
  if (typeof hookId !== 'string' || !hookId) throw invalidParameter('hookId must be specified.');
  // Developer guide, "Continuing service deployments": the deployment must be IN_PROGRESS.
  if (sd.status !== 'IN_PROGRESS') throw invalidParameter(`The service deployment is ${sd.status}; only an IN_PROGRESS service deployment paused at a lifecycle hook can be continued.`);
  const chosen = action ?? 'CONTINUE';
  if (chosen !== 'CONTINUE' && chosen !== 'ROLLBACK') throw invalidParameter(`Invalid action: ${String(chosen)}. Valid values are CONTINUE and ROLLBACK.`);
  const hook = sd.hooks.find((candidate) => candidate.hookId === hookId);
  if (!hook) throw invalidParameter(`The lifecycle hook ${hookId} is not active in this service deployment.`);
  if (hook.status !== 'AWAITING_ACTION') throw new AwsError('InvalidParameterException', `The lifecycle hook ${hookId} is ${hook.status}, not AWAITING_ACTION.`);
  // Not documented: the status a hook takes once ContinueServiceDeployment rolled it back.
  hook.status = chosen === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
  sd.updatedAt = now;
}
