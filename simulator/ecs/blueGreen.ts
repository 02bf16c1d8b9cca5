import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord, SimState } from '../state';
import { addServiceEvent, CIRCUIT_BREAKER_FAILED_REASON, circuitBreakerThreshold, completedReason, isLive, tasksOfService } from './deployments';
import { alarmFailedReason, alarmRollbackReason, markAlarmsTriggered, triggeredAlarms } from './deploymentAlarms';
import { advanceHooks, enterHooks, hooksSettled } from './lifecycleHooks';
import { currentTargetOf, isFinished, minStageMs, minStatusMs, rollbackRevisionOf, setStatus } from './serviceDeployments';
import { isHealthy, launchServiceTasks, stopTasks } from './serviceTasks';
import { DEFAULT_CANARY, DEFAULT_LINEAR } from './strategies';

// BLUE_GREEN, LINEAR and CANARY deployments (ECS developer guide: blue/green, linear and canary deployments).
// The green revision is scaled up to the full desired count beside the blue one, gets the test traffic, then
// the production traffic (at once, in equal steps, or a canary share and then the rest), bakes, and the blue
// tasks are stopped. A failure at any stage sends the traffic back to blue, which never stopped, and stops green.

interface Step {
  stage: string;
  /** Hooks listing this stage run while the step is under way. */
  hookStage?: string;
  scaleUp?: boolean;
  testWeight?: number;
  productionWeight?: number;
  /** How long the step lasts at least (ms), on top of minStageMs. */
  waitMs?: number;
  cleanUp?: boolean;
}

/** ECS counts bake times in minutes: one minute is 60 of the simulator's ECS seconds. */
const minutes = (state: SimState, value: number) => value * 60 * state.timing.secondMs;

function productionWeights(config: any): Array<{ weight: number; bakeMinutes: number }> {
  if (config.strategy === 'LINEAR') {
    const { stepPercent, stepBakeTimeInMinutes } = { ...DEFAULT_LINEAR, ...config.linearConfiguration };
    const steps: Array<{ weight: number; bakeMinutes: number }> = [];
    for (let weight = stepPercent; weight < 100 - 1e-9; weight += stepPercent) steps.push({ weight: Math.round(weight * 10) / 10, bakeMinutes: stepBakeTimeInMinutes });
    // The step bake time is not applied after reaching 100 percent.
    return [...steps, { weight: 100, bakeMinutes: 0 }];
  }
  if (config.strategy === 'CANARY') {
    const { canaryPercent, canaryBakeTimeInMinutes } = { ...DEFAULT_CANARY, ...config.canaryConfiguration };
    return canaryPercent >= 100 ? [{ weight: 100, bakeMinutes: 0 }] : [{ weight: canaryPercent, bakeMinutes: canaryBakeTimeInMinutes }, { weight: 100, bakeMinutes: 0 }];
  }
  return [{ weight: 100, bakeMinutes: 0 }];
}

function stepsOf(state: SimState, sd: ServiceDeploymentRecord): Step[] {
  const config = sd.deploymentConfiguration;
  const hooked = (stage: string) => (config.lifecycleHooks ?? []).some((hook: any) => hook.lifecycleStages?.includes(stage));
  const production = productionWeights(config).flatMap(({ weight, bakeMinutes }): Step[] => [
    ...(hooked('PRE_PRODUCTION_TRAFFIC_SHIFT') ? [{ stage: 'PRODUCTION_TRAFFIC_SHIFT', hookStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' }] : []),
    { stage: 'PRODUCTION_TRAFFIC_SHIFT', hookStage: 'PRODUCTION_TRAFFIC_SHIFT', productionWeight: weight, waitMs: minutes(state, bakeMinutes) },
  ]);
  return [
    ...(sd.sourceRevisionArns.length > 1 ? [{ stage: 'RECONCILE_SERVICE', hookStage: 'RECONCILE_SERVICE' }] : []),
    { stage: 'PRE_SCALE_UP', hookStage: 'PRE_SCALE_UP' },
    { stage: 'SCALE_UP', scaleUp: true },
    { stage: 'POST_SCALE_UP', hookStage: 'POST_SCALE_UP' },
    { stage: 'TEST_TRAFFIC_SHIFT', hookStage: 'TEST_TRAFFIC_SHIFT', testWeight: 100 },
    { stage: 'POST_TEST_TRAFFIC_SHIFT', hookStage: 'POST_TEST_TRAFFIC_SHIFT' },
    ...production,
    { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hookStage: 'POST_PRODUCTION_TRAFFIC_SHIFT' },
    // Not documented: LINEAR and CANARY without bakeTimeInMinutes bake for no time.
    { stage: 'BAKE_TIME', waitMs: minutes(state, config.bakeTimeInMinutes ?? 0) },
    { stage: 'CLEAN_UP', cleanUp: true },
  ];
}

const greenOf = (service: ServiceRecord, sd: ServiceDeploymentRecord) =>
  service.deployments.find((d) => d.serviceDeploymentArn === sd.arn && d.serviceRevisionArn === sd.targetRevisionArn);

const liveTasksOf = (state: SimState, service: ServiceRecord, deployment: DeploymentRecord) =>
  tasksOfService(state, service).filter((task) => task.deploymentId === deployment.id && isLive(task));

/** Keeps the green revision at the desired count: failed tasks are replaced while the deployment runs. */
function keepGreenScaled(state: SimState, service: ServiceRecord, green: DeploymentRecord, now: number): void {
  const missing = service.desiredCount - liveTasksOf(state, service, green).length;
  if (missing > 0) launchServiceTasks(state, service, green, missing, now);
}

function enterStep(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, step: Step, now: number): void {
  sd.lifecycleStage = step.stage;
  sd.updatedAt = now;
  if (step.testWeight !== undefined) sd.testWeight = step.testWeight;
  if (step.productionWeight !== undefined) sd.productionWeight = step.productionWeight;
  if (step.cleanUp) {
    const blue = service.deployments.filter((d) => d.serviceDeploymentArn !== sd.arn || d.serviceRevisionArn !== sd.targetRevisionArn);
    const victims = blue.flatMap((deployment) => liveTasksOf(state, service, deployment));
    stopTasks(state, service, victims, `Scaling activity initiated by (deployment ${greenOf(service, sd)?.id})`, now);
  }
  enterHooks(state, sd, step.hookStage, now);
}

function stepDone(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, step: Step, green: DeploymentRecord, now: number): boolean {
  const enteredAt = sd.step!.enteredAt;
  if (now - enteredAt < Math.max(minStageMs(state), step.waitMs ?? 0)) return false;
  if (!hooksSettled(sd)) return false;
  if (step.scaleUp) {
    const own = liveTasksOf(state, service, green);
    return own.length === service.desiredCount && own.every(isHealthy);
  }
  if (step.cleanUp) {
    const greenIds = new Set([green.id]);
    return !tasksOfService(state, service).some((task) => !greenIds.has(task.deploymentId ?? '') && task.lastStatus !== 'STOPPED');
  }
  return true;
}

function succeed(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, green: DeploymentRecord, now: number): void {
  service.deployments = [green];
  green.rolloutState = 'COMPLETED';
  green.rolloutStateReason = completedReason(green.id);
  green.updatedAt = now;
  state.transitions.push({ kind: 'deployment-completed', id: green.id, time: now });
  service.lastCompleted = { id: green.id, taskDefinitionArn: green.taskDefinitionArn, serviceRevisionArn: green.serviceRevisionArn };
  addServiceEvent(service, now, `(deployment ${green.id}) deployment completed.`);
  addServiceEvent(service, now, 'has reached a steady state.');
  service.steadySince = now;
  service.steadyAnnounced = true;
  setStatus(state, sd, 'SUCCESSFUL', now);
}

/**
 * Sends the traffic back to blue and stops green, within the same service deployment: blue is PRIMARY again.
 * Without a blue revision (a service's first deployment) there is nothing to return to: ROLLBACK_FAILED.
 */
export function rollBackBlueGreen(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, reason: string, statusReason: string, now: number): void {
  const green = greenOf(service, sd);
  const blueArn = rollbackRevisionOf(service, sd);
  const blue = service.deployments.find((d) => d.serviceRevisionArn === blueArn && d !== green);
  sd.productionWeight = 0;
  sd.testWeight = 0;
  if (green) {
    green.status = 'ACTIVE';
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = statusReason;
    green.updatedAt = now;
    state.transitions.push({ kind: 'deployment-failed', id: green.id, time: now });
    stopTasks(state, service, liveTasksOf(state, service, green), `Scaling activity initiated by (deployment ${green.id})`, now);
  }
  if (!blue || !blueArn) {
    setStatus(state, sd, 'ROLLBACK_FAILED', now, statusReason);
    return;
  }
  service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
  blue.status = 'PRIMARY';
  for (const other of service.deployments.slice(1)) other.status = 'ACTIVE';
  service.taskDefinitionArn = blue.taskDefinitionArn;
  service.placement = blue.placement;
  service.networkConfiguration = blue.networkConfiguration;
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: blueArn };
  setStatus(state, sd, 'ROLLBACK_IN_PROGRESS', now, statusReason);
  addServiceEvent(service, now, `rolling back to service revision ${blueArn}.`);
}

/** Once green's tasks have stopped, the rollback is done; the rolling scheduler looks after blue again. */
function finishRollback(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, now: number): void {
  if (now - sd.stageSince < minStatusMs(state)) return;
  const greenIds = new Set(service.deployments.filter((d) => d.serviceRevisionArn === sd.targetRevisionArn).map((d) => d.id));
  if (tasksOfService(state, service).some((task) => greenIds.has(task.deploymentId ?? '') && task.lastStatus !== 'STOPPED')) return;
  service.deployments = service.deployments.filter((d) => !greenIds.has(d.id));
  setStatus(state, sd, 'ROLLBACK_SUCCESSFUL', now);
}

function circuitBreakerTripped(service: ServiceRecord, sd: ServiceDeploymentRecord, green: DeploymentRecord): boolean {
  const breaker = sd.deploymentConfiguration.deploymentCircuitBreaker;
  return breaker?.enable === true && green.failedTasks >= circuitBreakerThreshold(service.desiredCount);
}

export function failureOf(state: SimState, sd: ServiceDeploymentRecord, now: number): { reason: string; statusReason: string; rollback: boolean } | undefined {
  const alarms = triggeredAlarms(state, sd);
  if (alarms.length) {
    markAlarmsTriggered(sd, alarms, now);
    return { reason: alarmRollbackReason(alarms), statusReason: alarmFailedReason(alarms), rollback: sd.deploymentConfiguration.alarms?.rollback === true };
  }
  const failedHook = sd.hooks.find((hook) => hook.status === 'FAILED' || (hook.status === 'TIMED_OUT' && hook.timeoutAction === 'ROLLBACK'));
  if (failedHook) {
    const why = failedHook.status === 'FAILED' ? 'failed' : 'timed out';
    return { reason: `Lifecycle hook ${failedHook.hookId} ${why}.`, statusReason: `Lifecycle hook ${failedHook.hookId} ${why} at ${failedHook.stage}.`, rollback: true };
  }
  return undefined;
}

/** A failure without rollback: green stops where it is and the production traffic stays on blue. */
function stopBlueGreen(state: SimState, sd: ServiceDeploymentRecord, green: DeploymentRecord, reason: string, now: number): void {
  green.rolloutState = 'FAILED';
  green.rolloutStateReason = reason;
  green.halted = true;
  state.transitions.push({ kind: 'deployment-failed', id: green.id, time: now });
  sd.productionWeight = 0;
  sd.testWeight = 0;
  setStatus(state, sd, 'STOPPED', now, reason);
}

/** One tick of a BLUE_GREEN, LINEAR or CANARY service deployment. */
export function advanceBlueGreen(state: SimState, service: ServiceRecord, sd: ServiceDeploymentRecord, now: number): void {
  if (sd.status === 'ROLLBACK_IN_PROGRESS') return finishRollback(state, service, sd, now);
  if (sd.status !== 'IN_PROGRESS' || isFinished(sd)) return;
  const green = greenOf(service, sd);
  if (!green || green.halted || currentTargetOf(sd) !== sd.targetRevisionArn) return;

  const steps = stepsOf(state, sd);
  if (!sd.step) {
    sd.step = { index: 0, enteredAt: now };
    enterStep(state, service, sd, steps[0], now);
  }
  const step = steps[sd.step.index];
  if (sd.step.index >= steps.findIndex((s) => s.scaleUp)) keepGreenScaled(state, service, green, now);
  advanceHooks(state, service, sd, now);

  if (circuitBreakerTripped(service, sd, green)) {
    sd.circuitBreaker = { ...sd.circuitBreaker, status: 'TRIGGERED', failureCount: green.failedTasks };
    addServiceEvent(service, now, `(deployment ${green.id}) deployment failed: tasks failed to start.`);
    const reason = 'Circuit breaker initiated the rollback: tasks failed to start.';
    if (sd.deploymentConfiguration.deploymentCircuitBreaker.rollback) return rollBackBlueGreen(state, service, sd, reason, CIRCUIT_BREAKER_FAILED_REASON, now);
    return stopBlueGreen(state, sd, green, CIRCUIT_BREAKER_FAILED_REASON, now);
  }
  const failure = failureOf(state, sd, now);
  if (failure?.rollback) return rollBackBlueGreen(state, service, sd, failure.reason, failure.statusReason, now);
  if (failure) return stopBlueGreen(state, sd, green, failure.statusReason, now);

  if (!stepDone(state, service, sd, step, green, now)) return;
  if (sd.step.index === steps.length - 1) return succeed(state, service, sd, green, now);
  sd.step = { index: sd.step.index + 1, enteredAt: now };
  enterStep(state, service, sd, steps[sd.step.index], now);
}
