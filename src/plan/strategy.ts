import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { inputName } from '../inputs/spelling';
import type { Reporter } from '../shared/reporter';

/** Time for scale-up, traffic shifts and clean-up that a wait needs beyond the bake times. */
export const STRATEGY_MARGIN_MINUTES = 10;

/** The minutes ECS itself waits in a deployment of this configuration: bake time, linear steps, the canary's bake. */
export function bakedMinutes(config: DeploymentConfiguration | undefined): number {
  const strategy = config?.strategy ?? 'ROLLING';
  if (strategy === 'ROLLING') return config?.bakeTimeInMinutes ?? 0;
  let minutes = config?.bakeTimeInMinutes ?? 0;
  if (strategy === 'LINEAR') {
    const step = config?.linearConfiguration?.stepPercent ?? 10;
    minutes += (Math.ceil(100 / step) - 1) * (config?.linearConfiguration?.stepBakeTimeInMinutes ?? 6);
  }
  if (strategy === 'CANARY') minutes += config?.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  return minutes;
}

/** Says how the service deploys, and warns when the wait would end before ECS can finish its bake times. */
export function announceStrategy(config: DeploymentConfiguration | undefined, wait: { wait: boolean; timeoutMinutes: number }, reporter: Reporter): void {
  const strategy = config?.strategy ?? 'ROLLING';
  const baked = bakedMinutes(config);
  const hooks = (config?.lifecycleHooks ?? []).map((hook) => `${hook.targetType === 'PAUSE' ? 'a pause' : (hook.hookTargetArn?.split(':').pop() ?? 'a hook')} at ${(hook.lifecycleStages ?? []).join(', ')}`);
  const alarms = config?.alarms?.enable ? config.alarms.alarmNames ?? [] : [];
  const facts = [
    baked ? `ECS bakes it ${baked} minutes` : '',
    hooks.length ? `lifecycle hooks: ${hooks.join('; ')}` : '',
    alarms.length ? `deployment alarms: ${alarms.join(', ')}${config?.alarms?.rollback ? ' (roll back)' : ''}` : '',
  ].filter(Boolean);
  if (strategy !== 'ROLLING' || facts.length) reporter.info(`The service deploys with the ${strategy} strategy${facts.length ? `: ${facts.join('; ')}` : ''}.`);
  const needed = baked + STRATEGY_MARGIN_MINUTES;
  if (wait.wait && baked > 0 && wait.timeoutMinutes < needed) {
    reporter.warn(
      `${inputName('wait-timeout-minutes')} is ${wait.timeoutMinutes}, shorter than the ${baked} minutes ECS bakes this ${strategy} deployment plus ${STRATEGY_MARGIN_MINUTES} minutes for its other stages. ` +
        `ecs-ship keeps waiting through a bake window rather than end a healthy deployment, but set ${inputName('wait-timeout-minutes')} to ${needed} or more.`,
    );
  }
}
