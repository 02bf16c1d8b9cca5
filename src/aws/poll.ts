/** The pause before the next status read: quick at first, steadier once a wait has gone on. */
export function pollDelayMs(elapsedMs: number): number {
  return elapsedMs < 120_000 ? 1_000 : 2_000;
}

export interface PollOptions<T> {
  /** One status read; a value ends the wait, undefined keeps waiting. */
  check: () => Promise<T | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  delayMs?: (elapsedMs: number) => number;
}

/** Polls until `check` returns a value; undefined means the timeout passed first. */
export async function poll<T>({ check, timeoutMs, signal, delayMs = pollDelayMs }: PollOptions<T>): Promise<T | undefined> {
  const started = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const result = await check();
    if (result !== undefined) return result;
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) return undefined;
    await sleep(Math.min(delayMs(elapsed), timeoutMs - elapsed), signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
