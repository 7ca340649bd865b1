import { addDays, instantOfWallClock, parseTimeOfDay, wallClockAt, weekdayOf, type WallClock } from '../time/time-zones';
import type { Interval } from './meeting-time-search';

/** Working hours as a mailbox keeps them: local times on some weekdays, in the person's own zone. */
export interface WorkingHoursRule {
  /** "monday" … "sunday" */
  daysOfWeek: readonly string[];
  /** "08:30:00" */
  startTime: string;
  endTime: string;
  ianaTimeZone: string;
}

/**
 * The instants a person works inside `window`: each working day's hours turned into UTC in their
 * zone on that date, so a daylight-saving change moves them as it moves the person's clock. Hours
 * that end at or before they start run past midnight (a night shift; 00:00 to 00:00 is all day).
 */
export function workingIntervals(rule: WorkingHoursRule, window: Interval): Interval[] {
  const start = parseTimeOfDay(rule.startTime);
  const end = parseTimeOfDay(rule.endTime);
  if (!start || !end) throw new RangeError(`working hours ${rule.startTime}–${rule.endTime} are not times of day`);
  const days = new Set(rule.daysOfWeek.map((day) => day.toLowerCase()));
  const endsNextDay = end.hour * 3600 + end.minute * 60 + end.second <= start.hour * 3600 + start.minute * 60 + start.second;
  const intervals: Interval[] = [];
  // A day before and after the window: its hours can reach into the window across midnight or zone offsets.
  const first = addDays(wallClockAt(window.startMs, rule.ianaTimeZone), -1);
  const last = addDays(wallClockAt(window.endMs, rule.ianaTimeZone), 1);
  for (let date = first; !isAfter(date, last); date = addDays(date, 1)) {
    if (!days.has(weekdayOf(date))) continue;
    const startMs = instantAt(date, start, rule.ianaTimeZone);
    const endMs = instantAt(endsNextDay ? addDays(date, 1) : date, end, rule.ianaTimeZone);
    if (endMs > window.startMs && startMs < window.endMs) intervals.push({ startMs, endMs });
  }
  return intervals;
}

type CalendarDate = Pick<WallClock, 'year' | 'month' | 'day'>;

/** 24:00 is the next day's 00:00. */
function instantAt(date: CalendarDate, time: Pick<WallClock, 'hour' | 'minute' | 'second'>, ianaZone: string): number {
  if (time.hour === 24) return instantOfWallClock({ ...addDays(date, 1), hour: 0, minute: 0, second: 0 }, ianaZone);
  return instantOfWallClock({ ...date, ...time }, ianaZone);
}

function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return Date.UTC(a.year, a.month - 1, a.day) > Date.UTC(b.year, b.month - 1, b.day);
}
