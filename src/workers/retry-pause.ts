/** Spread by ±10%, so that work failing or falling due together does not come back in lockstep. */
export function jittered(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

/** One minute for the first attempt, doubling each time up to `maxMs`, jittered. */
export function doublingPause(attempt: number, maxMs: number): number {
  return jittered(Math.min(maxMs, 60_000 * 2 ** Math.max(0, attempt - 1)));
}
