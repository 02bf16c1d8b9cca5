import { PACE, steadyReadTimes } from '../src/aws/poll';
import { summary } from './stats';

const EARLY_MS = PACE.earlyPhaseMs;

export interface ComputedWait {
  waitMs: number;
  reads: number;
  readsPerMinuteEarly: number;
  readsPerMinuteLate: number | null;
  /** Latency to a terminal state at a uniformly random moment of the wait, with no sign beforehand. */
  blindLatency: { p50: number; p95: number; max: number };
  /** The same, for terminal states after the first two minutes only. */
  blindLatencyLate: { p50: number; p95: number; max: number } | null;
}

/**
 * The schedule of a wait in which nothing changes, from the same pace function the program uses:
 * reads per minute, and how long after a terminal state the next read comes (reads taking no time).
 */
export function computeWait(waitMs: number): ComputedWait {
  const reads = steadyReadTimes(waitMs + 60_000);
  const within = reads.filter((t) => t <= waitMs);
  const early = within.filter((t) => t < EARLY_MS).length;
  const late = within.length - early;
  const latencies = (from: number) => {
    const values: number[] = [];
    let next = 0;
    for (let t = from + 10; t <= waitMs; t += 10) {
      while (reads[next] < t) next++;
      values.push(reads[next] - t);
    }
    return values;
  };
  const compact = (s: ReturnType<typeof summary>) => ({ p50: s.p50, p95: s.p95, max: s.max });
  return {
    waitMs,
    reads: within.length,
    readsPerMinuteEarly: early / (Math.min(waitMs, EARLY_MS) / 60_000),
    readsPerMinuteLate: waitMs > EARLY_MS ? late / ((waitMs - EARLY_MS) / 60_000) : null,
    blindLatency: compact(summary(latencies(0))),
    blindLatencyLate: waitMs > EARLY_MS ? compact(summary(latencies(EARLY_MS))) : null,
  };
}
