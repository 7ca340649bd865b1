/**
 * The meeting-time search, pure: from each person's busy periods and the hours they may meet,
 * the slots of a given length where everyone is free. Graph's findMeetingTimes is not available
 * to application permissions, so the gateway computes this from getSchedule answers itself.
 * Times are epoch milliseconds; intervals are half-open, [startMs, endMs).
 */

export interface Interval {
  startMs: number;
  endMs: number;
}

export interface Availability {
  /** when this person cannot meet, in any order, overlaps allowed */
  busy: Interval[];
  /** when this person may meet at all (their working hours), or null: any time */
  open: Interval[] | null;
}

export interface MeetingTimeQuery {
  /** the window the meeting must lie in */
  startMs: number;
  endMs: number;
  durationMs: number;
  /** slots start on multiples of this from startMs */
  stepMs: number;
  /** at most this many slots */
  first: number;
}

/**
 * Slots of exactly `durationMs`, sorted by start, where every person is free: inside one of their
 * open intervals and overlapping none of their busy ones. A slot may end exactly when a busy
 * period starts, and start exactly when one ends.
 */
export function findMeetingTimes(people: readonly Availability[], query: MeetingTimeQuery): Interval[] {
  if (query.durationMs <= 0 || query.stepMs <= 0 || query.first <= 0) return [];
  const window = { startMs: query.startMs, endMs: query.endMs };
  const freeOfEach = people.map((person) => freeTime(person, window));
  const cursors = freeOfEach.map(() => 0);
  const slots: Interval[] = [];
  for (let startMs = query.startMs; startMs + query.durationMs <= query.endMs && slots.length < query.first; startMs += query.stepMs) {
    const endMs = startMs + query.durationMs;
    const everyoneFree = freeOfEach.every((free, person) => {
      // Slots only move forward, so intervals that ended before this one starts never matter again.
      while (cursors[person]! < free.length && free[cursors[person]!]!.endMs < endMs) cursors[person]!++;
      const interval = free[cursors[person]!];
      return interval !== undefined && interval.startMs <= startMs;
    });
    if (everyoneFree) slots.push({ startMs, endMs });
  }
  return slots;
}

/** A person's free time inside the window: open intervals (or the window) minus busy ones, sorted, merged. */
export function freeTime(person: Availability, window: Interval): Interval[] {
  const open = merged((person.open ?? [window]).map((interval) => clipped(interval, window)).filter(isNonEmpty));
  const busy = merged(person.busy.map((interval) => clipped(interval, window)).filter(isNonEmpty));
  const free: Interval[] = [];
  let next = 0;
  for (const interval of open) {
    let startMs = interval.startMs;
    while (next < busy.length && busy[next]!.endMs <= startMs) next++;
    for (let index = next; index < busy.length && busy[index]!.startMs < interval.endMs; index++) {
      if (busy[index]!.startMs > startMs) free.push({ startMs, endMs: busy[index]!.startMs });
      startMs = Math.max(startMs, busy[index]!.endMs);
    }
    if (startMs < interval.endMs) free.push({ startMs, endMs: interval.endMs });
  }
  return free;
}

/** Sorted, with overlapping and touching intervals joined (working until 24:00 and from 00:00 is one stretch). */
export function merged(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  const result: Interval[] = [];
  for (const interval of sorted) {
    const last = result[result.length - 1];
    if (last && interval.startMs <= last.endMs) last.endMs = Math.max(last.endMs, interval.endMs);
    else result.push({ ...interval });
  }
  return result;
}

function clipped(interval: Interval, window: Interval): Interval {
  return { startMs: Math.max(interval.startMs, window.startMs), endMs: Math.min(interval.endMs, window.endMs) };
}

function isNonEmpty(interval: Interval): boolean {
  return interval.endMs > interval.startMs;
}
