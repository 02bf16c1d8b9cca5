import type { Simulator, TaskScriptContext } from '../simulator';
import { runAction } from './process';
import { BASE_TIMING, benchWorld, CLUSTER, firstCall, isEcsRead, isLogRead, REPOSITORY, type WorldSpec } from './world';

export const EVENTS = ['migration-stopped', 'rollout-completed', 'rollout-failed', 'task-failures'] as const;
export type EventKind = (typeof EVENTS)[number];

export const EVENT_TITLES: Record<EventKind, string> = {
  'migration-stopped': 'migration task STOPPED',
  'rollout-completed': 'rollout COMPLETED',
  'rollout-failed': 'rollout FAILED',
  'task-failures': '3rd task failure',
};

/** How the program's reaction is timed for each event. */
export const ACTED_BY: Record<EventKind, string> = {
  'migration-stopped': 'UpdateService received by the simulator',
  'rollout-completed': 'process exit',
  'rollout-failed': 'process exit',
  'task-failures': 'process exit',
};

export interface EventSample {
  kind: EventKind;
  /** The nominal wait this run scripted (the actual one adds up to JITTER_MS). */
  nominalWaitMs: number;
  ok: boolean;
  problem?: string;
  /** From the wait's start (RunTask or UpdateService received) to the terminal transition. */
  waitMs: number;
  /** From the terminal transition (simulator clock) to the program acting on it. */
  latencyMs: number;
  /** From the terminal transition to the read that saw it. */
  detectMs: number;
  /** ECS read calls and GetLogEvents calls received while waiting (from its start to the read that saw the end), in ms since its start. */
  ecsReads: number[];
  logReads: number[];
  throttleWarnings: number;
  /** The calls from a few seconds before the terminal transition to the exit, as "seconds from it, action", to read a slow sample by. */
  aroundEnd: string[];
}

/** How far before the terminal transition a sample's calls are kept (a few reads at the slowest pace). */
const AROUND_END_MS = 6_000;

/** Spreads the terminal moment over more than a poll interval, so that runs sample every phase of the schedule. */
const JITTER_MS = 2_500;

const MIGRATION_LOG = ['== 20261123 AddOrdersIndex: migrating', '-- add_index(:orders, :customer_id)', '   -> 0.4s', '== AddOrdersIndex: migrated', 'Running post-deploy checks', 'All checks passed'];
const PULL_FAILURE = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): manifest unknown';

interface Plan {
  world: WorldSpec;
  inputs: Record<string, string>;
  image: string;
  expectedCode: number;
  /** When the wait started, the terminal transition, and when the program acted; undefined when not found. */
  measure(sim: Simulator, spawnedAt: number, exitedAt: number): { start?: number; terminal?: number; acted?: number };
}

function plan(kind: EventKind, target: number): Plan {
  const { provisioningMs, pendingMs, deprovisioningMs, stabilizeMs } = BASE_TIMING;
  const broken = (context: TaskScriptContext) => (context.taskDefinition.containerDefinitions?.[0]?.image ?? '').endsWith(':broken');
  switch (kind) {
    case 'migration-stopped':
      return {
        world: {
          task: (context) =>
            context.startedBy === 'runTask'
              ? { runMs: Math.max(100, target - provisioningMs - pendingMs - deprovisioningMs), exitCode: 0, logLines: MIGRATION_LOG }
              : {},
        },
        inputs: { 'migration-command': 'bin/rails db:migrate' },
        image: `${REPOSITORY}:v2`,
        expectedCode: 0,
        measure(sim) {
          const start = firstCall(sim, 'RunTask');
          const task = sim.tasks(CLUSTER).find((t) => t.startedBy === 'ecs-ship');
          const terminal = sim.transitions.find((t) => t.kind === 'task-stopped' && t.id === task?.taskArn)?.time;
          return { start, terminal, acted: terminal === undefined ? undefined : firstCall(sim, 'UpdateService', terminal) };
        },
      };
    case 'rollout-completed':
      // UpdateService → PROVISIONING → PENDING (the long part) → RUNNING → stable → old tasks drained → COMPLETED.
      return {
        world: { timing: { pendingMs: Math.max(100, target - provisioningMs - stabilizeMs - deprovisioningMs) } },
        inputs: {},
        image: `${REPOSITORY}:v2`,
        expectedCode: 0,
        measure(sim, _spawnedAt, exitedAt) {
          const start = firstCall(sim, 'UpdateService');
          const terminal = sim.transitions.find((t) => t.kind === 'deployment-completed' && start !== undefined && t.time >= start)?.time;
          return { start, terminal, acted: exitedAt };
        },
      };
    case 'rollout-failed':
      // Two tasks fail to start per round; ECS's circuit breaker (threshold 3) marks the deployment FAILED after the second round.
      return {
        world: { timing: { pendingMs: Math.max(100, target / 2 - provisioningMs) }, circuitBreaker: { enable: true, rollback: false }, task: (c) => (broken(c) ? { failToStart: PULL_FAILURE } : {}) },
        inputs: { rollback: 'false', 'max-task-failures': '10' },
        image: `${REPOSITORY}:broken`,
        expectedCode: 1,
        measure(sim, _spawnedAt, exitedAt) {
          return { start: firstCall(sim, 'UpdateService'), terminal: sim.transitions.find((t) => t.kind === 'deployment-failed')?.time, acted: exitedAt };
        },
      };
    case 'task-failures':
      // One task at a time fails to start, no circuit breaker: the third failure decides (max-task-failures 3).
      return {
        world: {
          desiredCount: 1,
          timing: { pendingMs: Math.max(100, target / 3 - provisioningMs) },
          circuitBreaker: { enable: false, rollback: false },
          task: (c) => (broken(c) ? { failToStart: PULL_FAILURE } : {}),
        },
        inputs: { rollback: 'false', 'max-task-failures': '3' },
        image: `${REPOSITORY}:broken`,
        expectedCode: 1,
        measure(sim, _spawnedAt, exitedAt) {
          const third = sim.transitions.find((t) => t.kind === 'task-failed' && (t.failedTasks ?? 0) >= 3);
          return { start: firstCall(sim, 'UpdateService'), terminal: third?.time, acted: exitedAt };
        },
      };
  }
}

export interface EventOptions {
  action: string;
  /** Fraction of DescribeServices calls the simulator answers with ThrottlingException. */
  throttleRate?: number;
}

/** One deploy whose wait ends in `kind` about `nominalWaitMs` (plus jitter) after it started. */
export async function measureEvent(kind: EventKind, nominalWaitMs: number, options: EventOptions): Promise<EventSample> {
  const target = nominalWaitMs + Math.random() * JITTER_MS;
  const p = plan(kind, target);
  const world = await benchWorld(p.world);
  if (options.throttleRate) world.sim.scenario = { ...world.sim.scenario, throttleRate: options.throttleRate, faultActions: ['DescribeServices'] };
  try {
    const run = await runAction(options.action, { ...world.inputs(p.image), 'wait-timeout-minutes': '20', ...p.inputs }, world.sim.url, world.dir);
    const { start, terminal, acted } = p.measure(world.sim, run.spawnedAt, run.exitedAt);
    const detected = world.sim.calls.find((call) => isEcsRead(call) && terminal !== undefined && call.time >= terminal)?.time;
    const problems = [
      run.code !== p.expectedCode && `exit code ${run.code}, expected ${p.expectedCode}\n${run.log.slice(-2000)}`,
      start === undefined && 'the wait never started',
      terminal === undefined && 'no terminal transition recorded',
      acted === undefined && 'the program never acted',
      detected === undefined && 'no read after the terminal transition',
    ].filter((problem): problem is string => Boolean(problem));
    const end = detected ?? run.exitedAt;
    const during = world.sim.calls.filter((call) => start !== undefined && call.time >= start && call.time < end);
    return {
      kind,
      nominalWaitMs,
      ok: problems.length === 0,
      problem: problems.join('; ') || undefined,
      waitMs: (terminal ?? 0) - (start ?? 0),
      latencyMs: (acted ?? 0) - (terminal ?? 0),
      detectMs: (detected ?? 0) - (terminal ?? 0),
      ecsReads: during.filter(isEcsRead).map((call) => call.time - start!),
      logReads: during.filter(isLogRead).map((call) => call.time - start!),
      aroundEnd: terminal === undefined ? [] : aroundEnd(world.sim, terminal, run.exitedAt),
      throttleWarnings: run.log.split('\n').filter((line) => /throttling/i.test(line) && /warning/i.test(line)).length,
    };
  } finally {
    await world.close();
  }
}

function aroundEnd(sim: Simulator, terminal: number, exitedAt: number): string[] {
  const at = (time: number) => ((time - terminal) / 1000).toFixed(3);
  const calls = sim.calls.filter((call) => call.time >= terminal - AROUND_END_MS).map((call) => `${at(call.time)} ${call.action}`);
  return [...calls, `${at(exitedAt)} exit`];
}
