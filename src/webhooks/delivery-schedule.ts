/**
 * The rules of a webhook delivery, as pure functions: what an answer means, and when the next
 * attempt is due (XKIT_WEBHOOK_RETRY_SCHEDULE: seconds before each attempt, so its length is the
 * number of attempts; the first entry is the wait before the first one).
 */

export type AttemptOutcome = 'delivered' | 'retry' | 'gone';

/** 2xx is delivered; 410 Gone means the receiver wants no more; anything else (or no answer) is tried again. */
export function outcomeOf(statusCode: number | null): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 410) return 'gone';
  return 'retry';
}

/** When the first attempt is due for a delivery made at `now`. */
export function firstAttemptAt(schedule: readonly number[], now: Date): Date {
  return new Date(now.getTime() + (schedule[0] ?? 0) * 1000);
}

/** When the next attempt is due after `attemptsMade` failed ones, or null when the schedule is used up. */
export function nextAttemptAt(schedule: readonly number[], attemptsMade: number, now: Date): Date | null {
  const waitSeconds = schedule[attemptsMade];
  return waitSeconds === undefined ? null : new Date(now.getTime() + waitSeconds * 1000);
}
