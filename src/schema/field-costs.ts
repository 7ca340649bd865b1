/**
 * Shared pieces of fields' `complexity` options: windows of time cost per week they span, so a
 * long window costs what its larger answers (events, schedule items) will.
 */

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** How many weeks `args.start`..`args.end` spans, at least 1 (a bad window is refused before cost matters). */
export function windowWeeks(args: Record<string, unknown>): number {
  const span = new Date(args.end as string).getTime() - new Date(args.start as string).getTime();
  return Math.max(1, Math.ceil((Number.isFinite(span) ? span : 0) / WEEK_MS));
}

/** A list argument's length, at least 1. */
export function listLength(value: unknown): number {
  return Array.isArray(value) ? Math.max(1, value.length) : 1;
}
