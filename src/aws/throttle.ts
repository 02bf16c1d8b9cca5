/** AWS error names that mean "slow down" (ECS answers ThrottlingException; other services use the rest). */
const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException', 'RequestThrottled', 'SlowDown']);

let throttled = 0;

export function isThrottling(error: unknown): boolean {
  return THROTTLING.has((error as { name?: string } | undefined)?.name ?? '');
}

/** Called for every throttled attempt, including those the SDK retries on its own. */
export function noteThrottle(): void {
  throttled++;
}

/** How many attempts AWS has throttled in this process so far. */
export function throttleCount(): number {
  return throttled;
}
