import { newEniId, newPrivateIp, newTaskId, newUuid } from '../ids';
import { appendLogEvent, ensureLogStream } from '../logs';
import type { ContainerRecord, SimState, TaskLaunch, TaskRecord } from '../state';
import type { TaskScript } from '../types';

const DEFAULT_ESSENTIAL_EXIT_REASON = 'Essential container in task exited';
/** Exit code of a container stopped by the agent's SIGTERM. */
const SIGTERM_EXIT_CODE = 143;

export interface NewTaskSpec extends TaskLaunch {
  overrides?: any;
  tags?: any[];
  script: TaskScript;
  /** How long the task runs when its script sets no runMs (Infinity: until stopped). */
  defaultRunMs: number;
}

function containersOf(state: SimState, spec: NewTaskSpec, taskId: string): ContainerRecord[] {
  return (spec.taskDefinition.containerDefinitions as any[]).map((definition) => {
    const log = definition.logConfiguration;
    const group = log?.logDriver === 'awslogs' ? log.options?.['awslogs-group'] : undefined;
    const prefix = log?.options?.['awslogs-stream-prefix'];
    return {
      name: definition.name,
      image: definition.image,
      essential: definition.essential !== false,
      arn: state.ecsArn(`container/${spec.clusterName}/${taskId}/${newUuid()}`),
      runtimeId: `${taskId}-${Math.floor(Math.random() * 1e10)}`,
      lastStatus: 'PENDING',
      cpu: String(definition.cpu ?? 0),
      ...(definition.memory !== undefined ? { memory: String(definition.memory) } : {}),
      ...(definition.memoryReservation !== undefined ? { memoryReservation: String(definition.memoryReservation) } : {}),
      ...(group ? { awslogs: { group, stream: prefix ? `${prefix}/${definition.name}/${taskId}` : taskId } } : {}),
    };
  });
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
  };
  task.containers = containersOf(state, spec, id);
  if (spec.taskDefinition.networkMode === 'awsvpc') {
    task.eni = { id: newEniId(), privateIp: newPrivateIp(), subnetId: awsvpc?.subnets?.[0] };
  }
  state.tasks.set(task.arn, task);
  return task;
}

/** A task seeded as already RUNNING (steady services). */
export function markRunning(state: SimState, task: TaskRecord, at: number): void {
  task.pullStartedAt = at;
  enterRunning(state, task, at);
}

function enterRunning(state: SimState, task: TaskRecord, at: number): void {
  task.lastStatus = 'RUNNING';
  task.pullStoppedAt = at;
  task.startedAt = at;
  task.connectivityAt ??= at;
  task.nextTransitionAt = at + task.runMs;
  for (const container of task.containers) {
    container.lastStatus = 'RUNNING';
    if (container.awslogs) ensureLogStream(state, container.awslogs.group, container.awslogs.stream, at);
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
      if (container.awslogs) {
        appendLogEvent(state, container.awslogs.group, container.awslogs.stream, lines[task.logLinesWritten], timestamp, now);
      }
    }
    task.logLinesWritten++;
  }
}

interface StopDetails {
  stopCode: string;
  stoppedReason: string;
  /** Exit code for containers that were running; undefined reports none. */
  exitCodeFor?: (container: ContainerRecord) => number | undefined;
  containerReason?: string;
}

function beginStopping(state: SimState, task: TaskRecord, at: number, details: StopDetails): void {
  const wasRunning = task.lastStatus === 'RUNNING';
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'DEPROVISIONING';
  task.stopCode = details.stopCode;
  task.stoppedReason = details.stoppedReason;
  task.stoppingAt = at;
  task.executionStoppedAt = at;
  task.nextTransitionAt = at + state.timing.deprovisioningMs;
  for (const container of task.containers) {
    if (wasRunning && details.exitCodeFor) {
      const exitCode = details.exitCodeFor(container);
      if (exitCode !== undefined) container.exitCode = exitCode;
    }
    if (details.containerReason !== undefined && container.essential) container.reason = details.containerReason;
    container.lastStatus = 'STOPPED';
  }
  task.version++;
}

/** StopTask and the service scheduler: the containers get SIGTERM. */
export function stopTask(state: SimState, task: TaskRecord, now: number, stopCode: string, stoppedReason: string): void {
  if (task.desiredStatus === 'STOPPED') return;
  beginStopping(state, task, now, { stopCode, stoppedReason, exitCodeFor: () => SIGTERM_EXIT_CODE });
}

function advanceOneStep(state: SimState, task: TaskRecord, at: number, now: number): void {
  const script = task.script;
  switch (task.lastStatus) {
    case 'PROVISIONING':
      task.lastStatus = 'PENDING';
      task.pullStartedAt = at;
      task.connectivityAt = at;
      task.nextTransitionAt = at + (script.pendingMs ?? state.timing.pendingMs);
      task.version++;
      return;
    case 'PENDING':
      if (script.failToStart !== undefined) {
        beginStopping(state, task, at, {
          stopCode: 'TaskFailedToStart',
          stoppedReason: script.failToStart,
          containerReason: script.containerReason,
        });
      } else {
        enterRunning(state, task, at);
      }
      return;
    case 'RUNNING':
      writeDueLogLines(state, task, at, now);
      beginStopping(state, task, at, {
        stopCode: 'EssentialContainerExited',
        stoppedReason: script.stoppedReason ?? DEFAULT_ESSENTIAL_EXIT_REASON,
        containerReason: script.containerReason,
        exitCodeFor: (container) => {
          const own = script.containerExitCodes?.[container.name];
          if (own !== undefined) return own === null ? undefined : own;
          if (!container.essential) return SIGTERM_EXIT_CODE;
          return script.exitCode === null ? undefined : (script.exitCode ?? 0);
        },
      });
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
    if (task.nextTransitionAt > now) return;
    advanceOneStep(state, task, task.nextTransitionAt, now);
  }
}
