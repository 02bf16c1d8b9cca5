import fc from 'fast-check';
import { LogPace, PACE, poll, PollPace, steadyReadTimes, type PaceSettings, type ReadSeen } from '../../src/aws/poll';
import { noteThrottle } from '../../src/aws/throttle';

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
const readsIn = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

describe('the steady schedule (nothing changes)', () => {
  const times = steadyReadTimes(30 * 60_000);

  it('reads every 1.25 s in the first two minutes, then every 2.1 s', () => {
    expect(new Set(gaps(times.filter((t) => t < 120_000)))).toEqual(new Set([1_250]));
    expect(new Set(gaps(times.filter((t) => t >= 120_000)))).toEqual(new Set([2_100]));
    expect(times.slice(0, 4)).toEqual([0, 1_250, 2_500, 3_750]);
  });

  it('stays within one read a second in the first two minutes and one per two seconds after', () => {
    expect(readsIn(times, 0, 120_000)).toBe(96);
    expect(readsIn(times, 120_000, 1_800_000)).toBe(800);
    expect(times.filter((t) => t > 115_000 && t < 125_000)).toEqual([116_250, 117_500, 118_750, 120_000, 122_100, 124_200]);
  });

});

describe('PollPace', () => {
  it('reads quickly after a change, once reads saved by the steady pace allow it', () => {
    const pace = new PollPace(0);
    pace.recordRead(0, { changed: true });
    expect(pace.nextDelay(10)).toBe(990); // the budget: one read a second, the first one included
    const steady = new PollPace(0);
    for (const t of [0, 1_250, 2_500, 3_750, 5_000, 6_250, 7_500]) steady.recordRead(t);
    steady.recordRead(8_750, { changed: true });
    expect(steady.nextDelay(8_760)).toBe(500);
  });

  it('stays quick for five seconds after a change, then returns to the steady pace', () => {
    const pace = new PollPace(0);
    for (let t = 0; t < 20_000; t += 1_250) pace.recordRead(t);
    pace.recordRead(20_000, { changed: true });
    expect(pace.nextDelay(20_000)).toBe(500);
    pace.recordRead(24_000);
    expect(pace.nextDelay(24_000)).toBe(500);
    pace.recordRead(25_100);
    expect(pace.nextDelay(25_100)).toBe(1_250);
  });

  it('reads quickly while the end looks near, and only while it does', () => {
    const pace = new PollPace(0);
    for (let t = 0; t < 30_000; t += 1_250) pace.recordRead(t);
    pace.recordRead(30_000, { nearEnd: true });
    expect(pace.nextDelay(30_000)).toBe(500);
    pace.recordRead(30_500, {});
    expect(pace.nextDelay(30_500)).toBe(1_250);
  });

  it('after two minutes, the reads the steady pace saves (and one the first phase left) pay for a few quick ones, and no more', () => {
    const pace = new PollPace(0);
    const times: number[] = [];
    for (let t = 0; t <= 300_000; t += pace.nextDelay(t)) {
      times.push(t);
      pace.recordRead(t, { nearEnd: t > 240_000 });
    }
    const quick = gaps(times.filter((t) => t > 240_000)).filter((gap) => gap === 500).length;
    expect(quick).toBeGreaterThanOrEqual(5);
    expect(readsIn(times, 120_000, 300_001)).toBeLessThanOrEqual(PACE.carriedReads + 1 + 180_000 / 2_000);
    expect(gaps(times.filter((t) => t > 280_000)).every((gap) => gap === 2_000)).toBe(true);
  });

  it('doubles the pause for every throttled read, up to 30 s, and halves it for every clean one', () => {
    const pace = new PollPace(0);
    const delays: number[] = [];
    let t = 0;
    for (const throttled of [true, true, true, true, true, false, false, false, false, false]) {
      pace.recordRead(t, { throttled, changed: true });
      delays.push(pace.nextDelay(t));
      t += delays[delays.length - 1];
    }
    expect(delays).toEqual([2_500, 5_000, 10_000, 20_000, 30_000, 20_000, 10_000, 5_000, 2_500, 500]);
  });

  it('never exceeds the budget, whatever the reads see and however long they take', () => {
    const seen = fc.record({ changed: fc.boolean(), nearEnd: fc.boolean(), throttled: fc.integer({ min: 0, max: 19 }).map((n) => n === 0) }) as fc.Arbitrary<ReadSeen>;
    const reads = fc.array(fc.tuple(seen, fc.integer({ min: 0, max: 3_000 })), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(reads, (steps) => {
        const pace = new PollPace(0);
        const times: number[] = [];
        let t = 0;
        for (const [what, took] of steps) {
          times.push(t);
          pace.recordRead(t, what);
          t += took + pace.nextDelay(t + took);
        }
        for (const end of times) {
          if (end < 120_000) expect(readsIn(times, 0, end + 1)).toBeLessThanOrEqual(1 + end / 1_000);
          else expect(readsIn(times, 120_000, end + 1)).toBeLessThanOrEqual(1 + PACE.carriedReads + (end - 120_000) / 2_000);
        }
      }),
    );
  });
});

describe('LogPace', () => {
  it('reads at once, then while lines arrive at most every 2 s (4 s after two minutes)', () => {
    const logs = new LogPace(0);
    expect(logs.due(0)).toBe(true);
    logs.record(0, 3);
    expect([logs.due(1_999), logs.due(2_000)]).toEqual([false, true]);
    logs.record(130_000, 1);
    expect([logs.due(133_999), logs.due(134_000)]).toEqual([false, true]);
  });

  it('backs off while nothing streams: 2, 4, 8, 16, 16 s', () => {
    const logs = new LogPace(0);
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      logs.record(t, 0);
      let next = t;
      while (!logs.due(next)) next += 1_000;
      waits.push(next - t);
      t = next;
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 16_000]);
  });

  it('is due again as soon as something happens', () => {
    const logs = new LogPace(0);
    logs.record(0, 0);
    logs.record(2_000, 0);
    expect(logs.due(2_500)).toBe(false);
    logs.wake();
    expect(logs.due(2_500)).toBe(true);
  });
});

describe('poll', () => {
  const instant: PaceSettings = { ...PACE, quickMs: 1, earlyMs: 1, lateMs: 1, earlyBudgetMs: 0, lateBudgetMs: 0, maxThrottledMs: 1 };

  it('returns the first value a check gives, and undefined once the timeout has passed', async () => {
    let reads = 0;
    await expect(poll({ settings: instant, timeoutMs: 60_000, check: async () => (++reads === 3 ? 'done' : undefined) })).resolves.toBe('done');
    expect(reads).toBe(3);
    await expect(poll({ settings: instant, timeoutMs: 0, check: async () => undefined })).resolves.toBeUndefined();
  });

  it('keeps waiting through a throttled read and says so once', async () => {
    const warnings: string[] = [];
    let reads = 0;
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const check = async () => {
      reads++;
      if (reads === 1) throw throttled;
      if (reads === 2) noteThrottle(); // throttled, then retried by the SDK
      return reads === 4 ? reads : undefined;
    };
    await expect(poll({ settings: instant, timeoutMs: 60_000, warn: (m) => warnings.push(m), check })).resolves.toBe(4);
    expect(warnings).toEqual([expect.stringContaining('ThrottlingException: Rate exceeded')]);
    expect(warnings[0]).toContain('reading the status less often');
  });

  it('lets other errors through', async () => {
    const check = async () => {
      throw Object.assign(new Error('no such service'), { name: 'ServiceNotFoundException' });
    };
    await expect(poll({ settings: instant, timeoutMs: 60_000, check })).rejects.toThrow('no such service');
  });
});

describe('poll with a heartbeat', () => {
  afterEach(() => jest.useRealTimers());

  it('says where the wait stands every 30 s, also while the pace waits longer than that between reads', async () => {
    jest.useFakeTimers({ now: 0 });
    const slow: PaceSettings = { ...PACE, quickMs: 45_000, earlyMs: 45_000, lateMs: 45_000, earlyBudgetMs: 0, lateBudgetMs: 0 };
    const lines: Array<[number, string]> = [];
    let reads = 0;
    const waited = poll({
      settings: slow,
      timeoutMs: 100_000,
      heartbeat: { waitingFor: 'deployment ecs-svc/1 to finish', say: (line) => lines.push([Date.now(), line]) },
      check: async () => void reads++,
    });
    await jest.advanceTimersByTimeAsync(100_000);

    await expect(waited).resolves.toBeUndefined();
    expect(reads).toBe(4); // at 0, 45, 90 s and the timeout: the heartbeat adds no reads
    expect(lines).toEqual([
      [30_000, 'Waiting for deployment ecs-svc/1 to finish: 30 s elapsed, 1 min 10 s remaining before the timeout.'],
      [60_000, 'Waiting for deployment ecs-svc/1 to finish: 1 min elapsed, 40 s remaining before the timeout.'],
      [90_000, 'Waiting for deployment ecs-svc/1 to finish: 1 min 30 s elapsed, 10 s remaining before the timeout.'],
    ]);
  });
});
