import { invalidParameter } from '../errors';

// deploymentConfiguration.strategy and its settings, validated as the API reference states them
// (DeploymentConfiguration, LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHook, DeploymentAlarms).

export const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];
const MAX_BAKE_MINUTES = 1440;

export const DEFAULT_LINEAR = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
export const DEFAULT_CANARY = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };
export const DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

const isMultipleOfTenth = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;

function requireMinutes(value: unknown, name: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_BAKE_MINUTES) {
    throw invalidParameter(`${name} must be an integer between 0 and ${MAX_BAKE_MINUTES}.`);
  }
}

function requirePercent(value: unknown, name: string, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < min || value > 100 || !isMultipleOfTenth(value)) {
    throw invalidParameter(`${name} must be a multiple of 0.1 between ${min} and 100.`);
  }
}

function validateHook(hook: any): void {
  const targetType = hook?.targetType ?? 'AWS_LAMBDA';
  if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE') throw invalidParameter(`Invalid lifecycle hook targetType: ${targetType}.`);
  if (targetType === 'AWS_LAMBDA' && !hook.hookTargetArn) throw invalidParameter('hookTargetArn must be specified for an AWS_LAMBDA lifecycle hook.');
  const stages: unknown[] = hook.lifecycleStages ?? [];
  if (!Array.isArray(stages) || stages.length === 0) throw invalidParameter('lifecycleStages must be specified for a lifecycle hook.');
  for (const stage of stages) if (!HOOK_STAGES.includes(stage as string)) throw invalidParameter(`Invalid lifecycle stage: ${String(stage)}.`);
  // API reference, DeploymentLifecycleHook.lifecycleStages: "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages."
  const lambdaOnly = stages.filter((stage) => stage === 'TEST_TRAFFIC_SHIFT' || stage === 'PRODUCTION_TRAFFIC_SHIFT');
  if (targetType === 'PAUSE' && lambdaOnly.length) throw invalidParameter(`PAUSE hooks cannot be configured at the ${lambdaOnly.join(' or ')} stage; only AWS_LAMBDA hooks can.`);
  const timeout = hook.timeoutConfiguration;
  if (timeout?.timeoutInMinutes !== undefined && (!Number.isInteger(timeout.timeoutInMinutes) || timeout.timeoutInMinutes < 1 || timeout.timeoutInMinutes > MAX_BAKE_MINUTES)) {
    throw invalidParameter(`timeoutInMinutes must be an integer between 1 and ${MAX_BAKE_MINUTES}.`);
  }
  if (timeout?.action !== undefined && timeout.action !== 'CONTINUE' && timeout.action !== 'ROLLBACK') throw invalidParameter(`Invalid timeout action: ${timeout.action}.`);
}

/** Throws InvalidParameterException for a deploymentConfiguration ECS would refuse. */
export function validateDeploymentConfiguration(config: any): void {
  if (!config) return;
  const strategy = config.strategy ?? 'ROLLING';
  if (!STRATEGIES.includes(strategy)) throw invalidParameter(`Invalid deployment strategy: ${strategy}.`);
  requireMinutes(config.bakeTimeInMinutes, 'bakeTimeInMinutes');
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined) {
    throw invalidParameter('bakeTimeInMinutes must be specified for the BLUE_GREEN deployment strategy.');
  }
  if (config.linearConfiguration && strategy !== 'LINEAR') throw invalidParameter('linearConfiguration is only valid with the LINEAR deployment strategy.');
  if (config.canaryConfiguration && strategy !== 'CANARY') throw invalidParameter('canaryConfiguration is only valid with the CANARY deployment strategy.');
  requirePercent(config.linearConfiguration?.stepPercent, 'stepPercent', 3);
  requireMinutes(config.linearConfiguration?.stepBakeTimeInMinutes, 'stepBakeTimeInMinutes');
  requirePercent(config.canaryConfiguration?.canaryPercent, 'canaryPercent', 0.1);
  requireMinutes(config.canaryConfiguration?.canaryBakeTimeInMinutes, 'canaryBakeTimeInMinutes');
  if (config.lifecycleHooks !== undefined && !Array.isArray(config.lifecycleHooks)) throw invalidParameter('lifecycleHooks must be a list.');
  for (const hook of config.lifecycleHooks ?? []) validateHook(hook);
  const alarms = config.alarms;
  if (alarms && (!Array.isArray(alarms.alarmNames) || typeof alarms.enable !== 'boolean' || typeof alarms.rollback !== 'boolean')) {
    throw invalidParameter('alarms must specify alarmNames, enable and rollback.');
  }
}
