import { isThrottling } from './throttle';

/** A connection that was dropped, refused or timed out. */
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * An AWS error that says "not now" rather than "no": throttling, a 5xx, a broken connection.
 * The SDK has already retried it; a status read that polls again later may simply try again.
 */
export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  return isThrottling(error) || status === 429 || status >= 500 || NETWORK.has(e.code ?? '') || e.name === 'TimeoutError';
}

/** One line for the log about a read that will be tried again. */
export function transientText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}
