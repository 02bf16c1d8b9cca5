import { Heartbeat, HEARTBEAT_MS, type HeartbeatSpec } from './heartbeat';
import { isThrottling, throttleCount } from './throttle';
import { isTransient, transientText } from './transient';

/**
 * How often a wait reads ECS (all in ms). Steady reads are slower than the budget allows (1.25 s against
 * 1 s in the first two minutes, 2.1 s against 2 s after), so the reads saved pay for quick ones right after
 * a change or while the end looks near; the budget bounds the average whatever happens: one read a second
 * in the first two minutes, one per two seconds after (plus two reads the first phase left unspent).
 */
export interface PaceSettings {
  /** Right after a change, or while the end looks near (a task stopping, every new task running). */
  quickMs: number;
  /** Steady pace in the first phase of a wait. */
  earlyMs: number;
  /** Steady pace after it. */
  lateMs: number;
  earlyPhaseMs: number;
  /** How long a change keeps the pace quick. */
  quickAfterChangeMs: number;
  /** Budget: on average at most one read per this many ms in the first phase… */
  earlyBudgetMs: number;
  /** …and per this many ms after it, */
  lateBudgetMs: number;
  /** …with at most this many reads the first phase left unspent carried over into it (an end soon after the first phase). */
  carriedReads: number;
  /** With more services than one read takes, the reads take turns: this far apart while nothing moves (the late budget's pace). */
  turnMs: number;
  /** Throttling doubles the pause for every throttled read, up to this. */
  maxThrottledMs: number;
  /** A wait with a heartbeat says where it stands at least this often. */
  heartbeatMs: number;
}

export const PACE: PaceSettings = {
  quickMs: 500,
  earlyMs: 1_250,
  lateMs: 2_100,
  earlyPhaseMs: 120_000,
  quickAfterChangeMs: 5_000,
  earlyBudgetMs: 1_000,
  lateBudgetMs: 2_000,
  carriedReads: 2,
  turnMs: 2_000,
  maxThrottledMs: 30_000,
  heartbeatMs: HEARTBEAT_MS,
};

/** Enough to reach maxThrottledMs from any steady pace; bounded so that a few clean reads bring the pace back. */
const MAX_THROTTLE_FACTOR = 32;

/** What one read saw, as far as pacing goes. */
export interface ReadSeen {
  changed?: boolean;
  nearEnd?: boolean;
  throttled?: boolean;
}

/** The schedule of one wait: pure arithmetic on the times given, so it can be tested and simulated. */
export class PollPace {
  private earlyReads = 0;
  private lateReads = 0;
  private lastChangeAt = -Infinity;
  private nearEnd = false;
  private throttleFactor = 1;

  constructor(
    private readonly startedAt: number,
    private readonly settings: PaceSettings = PACE,
  ) {}

  /** One read, sent at `at`. */
  recordRead(at: number, seen: ReadSeen = {}): void {
    if (at - this.startedAt < this.settings.earlyPhaseMs) this.earlyReads++;
    else this.lateReads++;
    if (seen.changed) this.lastChangeAt = at;
    this.nearEnd = seen.nearEnd ?? false;
    this.throttleFactor = seen.throttled ? Math.min(this.throttleFactor * 2, MAX_THROTTLE_FACTOR) : Math.max(1, this.throttleFactor / 2);
  }

  /** How long to wait from `now` (the end of the last read) until the next read. */
  nextDelay(now: number): number {
    const s = this.settings;
    const quick = this.nearEnd || now - this.lastChangeAt < s.quickAfterChangeMs;
    const steady = now - this.startedAt < s.earlyPhaseMs ? s.earlyMs : s.lateMs;
    const wanted = this.throttleFactor > 1 ? Math.min(steady * this.throttleFactor, s.maxThrottledMs) : quick ? s.quickMs : steady;
    return Math.max(wanted, this.budgetAllowsAt(now + wanted) - now);
  }

  /** The earliest time at or after `at` when one more read stays within the budget. */
  budgetAllowsAt(at: number, carriedReads = this.settings.carriedReads): number {
    const s = this.settings;
    const earlyEnd = this.startedAt + s.earlyPhaseMs;
    if (at < earlyEnd) {
      const allowed = this.startedAt + this.earlyReads * s.earlyBudgetMs;
      if (allowed < earlyEnd) return Math.max(at, allowed);
    }
    const carried = Math.min(carriedReads, Math.max(0, Math.floor(s.earlyPhaseMs / s.earlyBudgetMs) - this.earlyReads));
    return Math.max(at, earlyEnd + (this.lateReads - carried) * s.lateBudgetMs);
  }
}

/** Read times of a wait in which nothing changes, up to `durationMs`: the steady schedule (for the benchmark's computed rows). */
export function steadyReadTimes(durationMs: number, settings: PaceSettings = PACE, readMs = 0): number[] {
  const pace = new PollPace(0, settings);
  const times: number[] = [];
  for (let at = 0; at <= durationMs; at += readMs + pace.nextDelay(at + readMs)) {
    times.push(at);
    pace.recordRead(at);
  }
  return times;
}

/** What a check tells the schedule about the read it just made. */
export interface PaceHints {
  /** The status moved (a new state, new counts): more is likely to follow soon. */
  changed(): void;
  /** The end looks near: read quickly while it lasts. */
  nearEnd(): void;
}

export interface PollOptions<T> {
  /** One status read; a value ends the wait, undefined keeps waiting. */
  check: (hints: PaceHints) => Promise<T | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told (once per run) when AWS throttles the reads and the wait slows down. */
  warn?: (message: string) => void;
  /** Told of a read that failed for a passing reason (throttling, a 5xx, a dropped connection) even after the SDK's retries; the next read tries again. */
  retrying?: (error: unknown) => void;
  /** What the wait says while it lasts (at least every settings.heartbeatMs). */
  heartbeat?: HeartbeatSpec;
  settings?: PaceSettings;
}

let throttleWarned = false;

/**
 * Polls until `check` returns a value; undefined means the timeout passed first. A read that AWS
 * throttled, even one the SDK then retried successfully, slows the schedule; a read that still fails
 * for a passing reason after the SDK's retries is skipped rather than failing the wait.
 */
export async function poll<T>({ check, timeoutMs, signal, warn, retrying, heartbeat, settings = PACE }: PollOptions<T>): Promise<T | undefined> {
  const started = Date.now();
  const pace = new PollPace(started, settings);
  const beats = heartbeat && new Heartbeat(heartbeat, started, timeoutMs, settings.heartbeatMs);
  for (;;) {
    signal?.throwIfAborted();
    const seen: ReadSeen = {};
    const hints: PaceHints = { changed: () => (seen.changed = true), nearEnd: () => (seen.nearEnd = true) };
    const sentAt = Date.now();
    const throttlesBefore = throttleCount();
    let error: unknown;
    try {
      const result = await check(hints);
      if (result !== undefined) return result;
    } catch (caught) {
      if (!isTransient(caught)) throw caught;
      error = caught;
      retrying?.(caught);
    }
    seen.throttled = isThrottling(error) || throttleCount() > throttlesBefore;
    pace.recordRead(sentAt, seen);
    const now = Date.now();
    const delay = pace.nextDelay(now);
    if (seen.throttled && !throttleWarned && warn) {
      throttleWarned = true;
      const what = isThrottling(error) ? transientText(error) : 'requests were throttled and retried';
      warn(`AWS is throttling ecs-ship's requests (${what}); reading the status less often (next in ${(delay / 1000).toFixed(1)} s) until it stops.`);
    }
    const elapsed = now - started;
    if (elapsed >= timeoutMs) return undefined;
    await pause(now + Math.min(delay, timeoutMs - elapsed), beats, signal);
  }
}

/** Sleeps until `until`, saying where the wait stands whenever a heartbeat line falls due meanwhile. */
async function pause(until: number, beats: Heartbeat | undefined, signal?: AbortSignal): Promise<void> {
  for (let now = Date.now(); now < until; now = Date.now()) {
    beats?.beat(now);
    await sleep(Math.min(until - now, beats ? beats.dueIn(now) : Infinity), signal);
  }
  beats?.beat(Date.now());
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * When to read a log stream on a status read: while lines arrive, at most once per busy gap (two
 * seconds, four after the first phase: a read that finds lines costs two calls); while nothing
 * streams, less and less often (doubling up to `idleMaxMs`). A status change wakes it.
 */
export class LogPace {
  private nextAt = 0;
  private idleGapMs = 0;

  constructor(
    private readonly startedAt: number,
    private readonly settings = { busyEarlyMs: 2_000, busyLateMs: 4_000, idleFirstMs: 2_000, idleMaxMs: 16_000, earlyPhaseMs: PACE.earlyPhaseMs },
  ) {}

  due(now: number): boolean {
    return now >= this.nextAt;
  }

  /** A read at `now` that printed `lines` lines. */
  record(now: number, lines: number): void {
    const s = this.settings;
    if (lines > 0) {
      this.idleGapMs = 0;
      this.nextAt = now + (now - this.startedAt < s.earlyPhaseMs ? s.busyEarlyMs : s.busyLateMs);
      return;
    }
    this.idleGapMs = Math.min(this.idleGapMs ? this.idleGapMs * 2 : s.idleFirstMs, s.idleMaxMs);
    this.nextAt = now + this.idleGapMs;
  }

  /** Something happened (the task started, stopped): read at the next chance. */
  wake(): void {
    this.nextAt = 0;
    this.idleGapMs = 0;
  }
}
