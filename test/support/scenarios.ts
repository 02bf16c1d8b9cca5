import type { Simulator } from '../../simulator';
import { runAction, type RunOptions, type RunResult } from './harness';
import { CLUSTER, PUSHED_DIGEST, REGISTRY, REPOSITORY, SERVICE, webTemplate, type World } from './world';

/** The image every fault scenario deploys, pinned by digest (build: false); the world's ECR holds it. */
export const IMAGE = `${REGISTRY}/${REPOSITORY}@${PUSHED_DIGEST}`;

/** Runs the bundle as the GitHub runner does: the web template, DB_HOST given, no build. */
export function deploy(world: World, extra: Record<string, string> = {}, options: Partial<RunOptions> = {}, template: object = webTemplate()): Promise<RunResult> {
  return runAction(
    {
      cluster: CLUSTER,
      service: SERVICE,
      image: IMAGE,
      build: 'false',
      'task-definition': world.writeTemplate(template),
      vars: 'DB_HOST=db.prod.internal',
      ...extra,
    },
    { endpoint: world.sim.url, ...options },
  );
}

/** The messages of the run's `::error::` or `::warning::` commands, their %-escapes undone. */
function annotations(run: RunResult, command: 'error' | 'warning'): string[] {
  const prefix = `::${command}::`;
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

/** The `::error::` annotation the run ended with, as the runner shows it. */
export function failureMessage(run: RunResult): string {
  return annotations(run, 'error')[0] ?? '';
}

/** The `::warning::` annotations of the run, joined. */
export function warnings(run: RunResult): string {
  return annotations(run, 'warning').join('\n');
}

/** Where `pattern` first matches in the log; -1 when it never does. */
export function logIndex(run: RunResult, pattern: RegExp | string): number {
  return typeof pattern === 'string' ? run.log.indexOf(pattern) : run.log.search(pattern);
}

/** Stack frames printed anywhere but in `::debug::` lines (which carry the stack on purpose). */
export function stackFrames(run: RunResult): string[] {
  return run.log.split('\n').filter((line) => !line.startsWith('::debug::') && /^\s+at\s/.test(line));
}

export interface SignalPlan {
  /** When the signal was sent (Date.now()), once it was. */
  sentAt?: number;
  /** What the log showed when the signal was sent. */
  logWhenSent?: string;
}

/** An `onSpawn` that sends `signal` to the bundle once `ready(log)` holds, checked every `everyMs`. */
function signalWhen(ready: (log: string) => boolean, signal: NodeJS.Signals, plan: SignalPlan, everyMs: number): RunOptions['onSpawn'] {
  return (pid, output) => {
    const timer = setInterval(() => {
      const log = output();
      if (!ready(log)) return;
      clearInterval(timer);
      plan.sentAt = Date.now();
      plan.logWhenSent = log;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone: the test's assertions tell
      }
    }, everyMs);
    timer.unref();
    // Never outlive the run.
    setTimeout(() => clearInterval(timer), 110_000).unref();
  };
}

/** Sends `signal` as soon as the bundle's log matches `pattern`, as the runner does when someone cancels the job. */
export function signalWhenLogShows(pattern: RegExp, signal: NodeJS.Signals, plan: SignalPlan): RunOptions['onSpawn'] {
  return signalWhen((log) => pattern.test(log), signal, plan, 25);
}

/**
 * Sends `signal` as soon as the simulator receives a call of `action` (before answering it: with
 * scenario.latencyMs the call is still unanswered when the signal arrives).
 */
export function signalWhenCalled(sim: Simulator, action: string, signal: NodeJS.Signals, plan: SignalPlan): RunOptions['onSpawn'] {
  return signalWhen(() => sim.calls.some((call) => call.action === action), signal, plan, 5);
}

/** Resolves once `condition` holds, checked every 20 ms; rejects after `limitMs` (a bound, not a measurement). */
export async function eventually(condition: () => boolean, limitMs = 15_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition still false after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `work` and says how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; endedAt: number }> {
  const started = Date.now();
  const value = await work();
  const endedAt = Date.now();
  return { value, ms: endedAt - started, endedAt };
}
