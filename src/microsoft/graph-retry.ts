/** Graph statuses worth sending again: throttled, unavailable, gateway timeout. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

export interface RetryTiming {
  baseRetryDelayMs: number;
  maxRetryWaitSeconds: number;
}

/**
 * How long to wait before retry number `attempt` (0-based), or null to give up now.
 *
 * Microsoft's `Retry-After` is obeyed as given: retrying earlier only earns another 429 and
 * still counts against the app's quota, so when it asks for more than `maxRetryWaitSeconds`
 * we stop and report the throttling instead. Without the header: exponential backoff with
 * jitter, capped at `maxRetryWaitSeconds`, so parallel requests do not retry in lockstep.
 */
export function retryDelayMs(attempt: number, retryAfter: string | null | undefined, timing: RetryTiming): number | null {
  const capMs = timing.maxRetryWaitSeconds * 1000;
  const askedMs = parseRetryAfterMs(retryAfter);
  if (askedMs !== null) return askedMs <= capMs ? askedMs : null;
  const exponential = timing.baseRetryDelayMs * 2 ** attempt;
  return Math.min(capMs, exponential * (0.5 + Math.random() * 0.5));
}

/** `Retry-After` is seconds (Graph's form) or, per HTTP, a date. */
export function parseRetryAfterMs(retryAfter: string | null | undefined): number | null {
  if (retryAfter == null || retryAfter.trim() === '') return null;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
