import { newEniId, newPrivateIp, newTaskId, newUuid } from '../ids';
import { appendLogEvent, ensureLogGroup, ensureLogStream } from '../logs';
import type { ContainerRecord, HealthStatus, SimState, StartFailure, TaskLaunch, TaskRecord } from '../state';
import type { TaskScript } from '../types';
import { checkTaskStart } from './startChecks';

// A Fargate task's life, as the ECS developer guide tells it:
// PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED.
// A task that cannot start leaves PENDING for DEPROVISIONING; a stop asked for before RUNNING does too.

const DEFAULT_ESSENTIAL_EXIT_REASON = 'Essential container in task exited';
const SIGTERM_EXIT_CODE = 143;
const SIGKILL_EXIT_CODE = 137;
/** Fargate's default and maximum container stopTimeout, in seconds. */
const DEFAULT_STOP_TIMEOUT = 30;
const MAX_STOP_TIMEOUT = 120;

export interface NewTaskSpec extends TaskLaunch {
  overrides?: any;
  tags?: any[];
  script: TaskScript;
  /** How long the task runs when its script sets no runMs (Infinity: until stopped). */
  defaultRunMs: number;
}

/** The task enters `status` and stays there `forMs`. */
function enter(task: TaskRecord, status: TaskRecord['lastStatus'], at: number, forMs: number): void {
  task.lastStatus = status;
  task.nextTransitionAt = at + forMs;
  task.version++;
}

function healthCheckOf(state: SimState, definition: any): ContainerRecord['healthCheck'] {
  const check = definition.healthCheck;
  if (!check?.command?.length) return undefined;
  const second = state.timing.secondMs;
  return { intervalMs: (check.interval ?? 30) * second, retries: check.retries ?? 3, startPeriodMs: (check.startPeriod ?? 0) * second };
}

function containersOf(state: SimState, spec: NewTaskSpec, taskId: string): ContainerRecord[] {
  return (spec.taskDefinition.containerDefinitions as any[]).map((definition) => {
    const log = definition.logConfiguration;
    const group = log?.logDriver === 'awslogs' ? log.options?.['awslogs-group'] : undefined;
    const prefix = log?.options?.['awslogs-stream-prefix'];
    const stopTimeout = Math.min(MAX_STOP_TIMEOUT, definition.stopTimeout ?? DEFAULT_STOP_TIMEOUT);
    return {
      name: definition.name,
      image: definition.image,
      essential: definition.essential !== false,
      arn: state.ecsArn(`container/${spec.clusterName}/${taskId}/${newUuid()}`),
      runtimeId: `${taskId}-${Math.floor(Math.random() * 1e10)}`,
      lastStatus: 'PENDING' as const,
      healthCheck: healthCheckOf(state, definition),
      healthStatus: 'UNKNOWN' as const,
      stopTimeoutMs: stopTimeout * state.timing.secondMs,
      cpu: String(definition.cpu ?? 0),
      ...(definition.memory !== undefined ? { memory: String(definition.memory) } : {}),
      ...(definition.memoryReservation !== undefined ? { memoryReservation: String(definition.memoryReservation) } : {}),
      ...(group ? { awslogs: { group, stream: prefix ? `${prefix}/${definition.name}/${taskId}` : taskId } } : {}),
    };
  });
}

/** Starts looking at the world (images, secrets, log groups) the moment the task is asked for. */
function beginStartCheck(state: SimState, task: TaskRecord, now: number): void {
  if (task.script.failToStart !== undefined) {
    task.startCheck = { done: true, failure: { stoppedReason: task.script.failToStart, containerReason: task.script.containerReason } };
    return;
  }
  checkTaskStart(state, task.taskDefinition, now).then(
    (failure) => (task.startCheck = { done: true, failure }),
    (error: Error) => (task.startCheck = { done: true, failure: { stoppedReason: `CannotPullContainerError: ${error.message}` } }),
  );
}

export function createTask(state: SimState, spec: NewTaskSpec, now: number): TaskRecord {
  const id = newTaskId();
  const runMs = spec.script.runMs ?? spec.defaultRunMs;
  const awsvpc = spec.networkConfiguration?.awsvpcConfiguration;
  const task: TaskRecord = {
    id,
    arn: state.ecsArn(`task/${spec.clusterName}/${id}`),
    clusterName: spec.clusterName,
    taskDefinition: spec.taskDefinition,
    group: spec.group,
    startedBy: spec.startedBy,
    serviceName: spec.serviceName,
    deploymentId: spec.deploymentId,
    launchType: spec.launchType,
    capacityProviderName: spec.capacityProviderName,
    platformVersion: spec.platformVersion,
    networkConfiguration: spec.networkConfiguration,
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...spec.overrides },
    tags: spec.tags ?? [],
    script: spec.script,
    runMs,
    logSpanMs: Number.isFinite(runMs) ? runMs : state.timing.defaultTaskRunMs,
    logLinesWritten: 0,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    nextTransitionAt: now + state.timing.provisioningMs,
    createdAt: now,
    containers: [],
    version: 1,
    stopAccounted: false,
    startCheck: { done: false },
  };
  task.containers = containersOf(state, spec, id);
  if (spec.taskDefinition.networkMode === 'awsvpc') {
    task.eni = { id: newEniId(), privateIp: newPrivateIp(), subnetId: awsvpc?.subnets?.[0] };
  }
  state.tasks.set(task.arn, task);
  beginStartCheck(state, task, now);
  return task;
}

/** A task seeded as already RUNNING and healthy (steady services): its log groups were there all along. */
export function markRunning(state: SimState, task: TaskRecord, at: number): void {
  task.startCheck = { done: true };
  for (const container of task.containers) if (container.awslogs) ensureLogGroup(state, container.awslogs.group, at);
  task.pullStartedAt = at;
  task.pullStoppedAt = at;
  enterRunning(state, task, at);
  task.seededSteady = true;
  for (const container of task.containers) if (container.healthCheck) container.healthStatus = 'HEALTHY';
}

/** When a container's health check settles: the first check for a healthy one, `retries` failures past the start period otherwise. */
function scheduleHealth(container: ContainerRecord, script: TaskScript, startedAt: number): void {
  const check = container.healthCheck;
  if (!check) return;
  container.healthOutcome = script.containerHealth?.[container.name] ?? script.health ?? 'HEALTHY';
  if (container.healthOutcome === 'HEALTHY') {
    container.healthSettlesAt = startedAt + check.intervalMs;
    return;
  }
  const firstCounted = Math.max(1, Math.ceil(check.startPeriodMs / check.intervalMs));
  container.healthSettlesAt = startedAt + (firstCounted + check.retries - 1) * check.intervalMs;
}

function enterRunning(state: SimState, task: TaskRecord, at: number): void {
  task.lastStatus = 'RUNNING';
  task.startedAt = at;
  task.connectivityAt ??= at;
  task.nextTransitionAt = at + task.runMs;
  for (const container of task.containers) {
    container.lastStatus = 'RUNNING';
    if (container.awslogs) ensureLogStream(state, container.awslogs.group, container.awslogs.stream, at);
    scheduleHealth(container, task.script, at);
  }
  task.version++;
}

function logLineDueAt(task: TaskRecord, index: number): number {
  const count = task.script.logLines?.length ?? 0;
  return task.startedAt! + Math.floor((index * task.logSpanMs) / count);
}

function writeDueLogLines(state: SimState, task: TaskRecord, upTo: number, now: number): void {
  const lines = task.script.logLines ?? [];
  while (task.logLinesWritten < lines.length && logLineDueAt(task, task.logLinesWritten) <= upTo) {
    const timestamp = logLineDueAt(task, task.logLinesWritten);
    for (const container of task.containers) {
      if (container.awslogs && container.lastStatus === 'RUNNING') {
        appendLogEvent(state, container.awslogs.group, container.awslogs.stream, lines[task.logLinesWritten], timestamp, now);
      }
    }
    task.logLinesWritten++;
  }
}

/** Each container's health, as DescribeTasks shows it at `now`. */
function settleHealth(task: TaskRecord, now: number): void {
  for (const container of task.containers) {
    if (container.lastStatus !== 'RUNNING' || !container.healthOutcome || container.healthSettlesAt! > now) continue;
    if (container.healthStatus === container.healthOutcome) continue;
    container.healthStatus = container.healthOutcome;
    task.version++;
  }
}

/** HEALTHY when every essential container with a health check is; UNHEALTHY when one is; UNKNOWN otherwise. */
export function taskHealth(task: TaskRecord): HealthStatus {
  const checked = task.containers.filter((container) => container.essential && container.healthCheck);
  if (checked.length === 0) return 'UNKNOWN';
  if (checked.some((container) => container.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  return checked.every((container) => container.healthStatus === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
}

function scriptedExitCode(task: TaskRecord, container: ContainerRecord, code: number | undefined): number | undefined {
  const own = task.script.containerExitCodes?.[container.name];
  if (own !== undefined) return own === null ? undefined : own;
  return code;
}

function exitContainer(task: TaskRecord, container: ContainerRecord, code: number | undefined): void {
  const exitCode = scriptedExitCode(task, container, code);
  if (exitCode !== undefined) container.exitCode = exitCode;
  container.lastStatus = 'STOPPED';
  container.exitsAt = undefined;
}

interface StopDetails {
  stopCode: string;
  stoppedReason: string;
  containerReason?: string;
}

function recordStop(task: TaskRecord, at: number, details: StopDetails): void {
  task.desiredStatus = 'STOPPED';
  task.stopCode = details.stopCode;
  task.stoppedReason = details.stoppedReason;
  task.stoppingAt = at;
  task.version++;
}

/** Containers that never ran stop without an exit code; the task goes straight to DEPROVISIONING. */
function abandonStart(state: SimState, task: TaskRecord, at: number, failure?: StartFailure): void {
  for (const container of task.containers) {
    container.lastStatus = 'STOPPED';
    const reason = failure && (failure.container === undefined || failure.container === container.name) ? failure.containerReason : undefined;
    if (reason !== undefined && (failure?.container !== undefined || container.essential)) container.reason = reason;
  }
  task.executionStoppedAt = at;
  enter(task, 'DEPROVISIONING', at, state.timing.deprovisioningMs);
}

/** StopTask and the service scheduler. A running task deactivates, then its containers get SIGTERM. */
export function stopTask(state: SimState, task: TaskRecord, now: number, stopCode: string, stoppedReason: string): void {
  if (task.desiredStatus === 'STOPPED') return;
  recordStop(task, now, { stopCode, stoppedReason });
  if (task.lastStatus === 'RUNNING') {
    enter(task, 'DEACTIVATING', now, state.timing.deactivatingMs);
  } else if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING' || task.lastStatus === 'ACTIVATING') {
    abandonStart(state, task, now);
  }
}

/** SIGTERM to every running container: it exits by itself (143) or is killed after its stopTimeout (137). */
function signalContainers(task: TaskRecord, at: number): void {
  const own = task.script.exitsOnSigtermMs;
  for (const container of task.containers.filter((c) => c.lastStatus === 'RUNNING')) {
    const graceful = own !== undefined && own < container.stopTimeoutMs;
    container.exitsAt = at + (graceful ? own : container.stopTimeoutMs);
    container.pendingExitCode = graceful ? SIGTERM_EXIT_CODE : SIGKILL_EXIT_CODE;
  }
  const last = Math.max(at, ...task.containers.map((c) => c.exitsAt ?? at));
  task.lastStatus = 'STOPPING';
  task.nextTransitionAt = last;
  task.version++;
}

function exitDueContainers(task: TaskRecord, now: number): void {
  for (const container of task.containers) {
    if (container.exitsAt !== undefined && container.exitsAt <= now) exitContainer(task, container, container.pendingExitCode);
  }
}

function advanceOneStep(state: SimState, task: TaskRecord, at: number, now: number): void {
  const script = task.script;
  switch (task.lastStatus) {
    case 'PROVISIONING':
      task.pullStartedAt = at;
      task.connectivityAt = at;
      enter(task, 'PENDING', at, script.pendingMs ?? state.timing.pendingMs);
      return;
    case 'PENDING':
      if (!task.startCheck.done) {
        task.nextTransitionAt = now + state.timing.tickMs;
        return;
      }
      if (task.startCheck.failure) {
        recordStop(task, at, { stopCode: 'TaskFailedToStart', stoppedReason: task.startCheck.failure.stoppedReason });
        abandonStart(state, task, at, task.startCheck.failure);
        return;
      }
      task.pullStoppedAt = at;
      enter(task, 'ACTIVATING', at, state.timing.activatingMs);
      return;
    case 'ACTIVATING':
      enterRunning(state, task, at);
      return;
    case 'RUNNING':
      writeDueLogLines(state, task, at, now);
      for (const container of task.containers.filter((c) => c.essential)) exitContainer(task, container, script.exitCode === null ? undefined : (script.exitCode ?? 0));
      for (const container of task.containers) if (container.essential && script.containerReason !== undefined) container.reason = script.containerReason;
      recordStop(task, at, { stopCode: 'EssentialContainerExited', stoppedReason: script.stoppedReason ?? DEFAULT_ESSENTIAL_EXIT_REASON });
      enter(task, 'DEACTIVATING', at, state.timing.deactivatingMs);
      return;
    case 'DEACTIVATING':
      signalContainers(task, at);
      return;
    case 'STOPPING':
      exitDueContainers(task, at);
      task.executionStoppedAt = at;
      enter(task, 'DEPROVISIONING', at, state.timing.deprovisioningMs);
      return;
    case 'DEPROVISIONING':
      task.lastStatus = 'STOPPED';
      task.stoppedAt = at;
      task.nextTransitionAt = Infinity;
      task.version++;
      state.transitions.push({ kind: 'task-stopped', id: task.arn, time: at });
      return;
  }
}

/** Moves the task through every transition due by `now`, stamping each at its scheduled time. */
export function advanceTask(state: SimState, task: TaskRecord, now: number): void {
  while (task.lastStatus !== 'STOPPED') {
    if (task.lastStatus === 'RUNNING') writeDueLogLines(state, task, Math.min(now, task.nextTransitionAt), now);
    settleHealth(task, Math.min(now, task.nextTransitionAt));
    if (task.lastStatus === 'STOPPING') exitDueContainers(task, Math.min(now, task.nextTransitionAt));
    if (task.nextTransitionAt > now) return;
    advanceOneStep(state, task, task.nextTransitionAt, now);
  }
}
