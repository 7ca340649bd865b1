import { WINDOWS_TO_IANA_MAP } from 'windows-iana';

/**
 * Time zones as Microsoft names them (Windows names such as "W. Europe Standard Time", or IANA
 * names) turned into instants with Intl, so daylight saving follows the real rules. Shared by
 * everything that reads or writes local times: working hours, meeting times, event writes.
 */

/** A calendar date and a time of day in some zone, without the zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Windows name (lower case) → the IANA zone CLDR's territory "001" row gives it: what Windows means by that name. */
const IANA_BY_WINDOWS_NAME = (() => {
  const byName = new Map<string, string>();
  for (const { windowsName, territory, iana } of WINDOWS_TO_IANA_MAP) {
    const key = windowsName.toLowerCase();
    if (iana[0] && (territory === '001' || !byName.has(key))) byName.set(key, iana[0]);
  }
  return byName;
})();

/** The IANA zone for a Windows or IANA name, as Intl spells it; null when neither knows it. */
export function ianaZoneOf(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '') return null;
  const candidate = IANA_BY_WINDOWS_NAME.get(trimmed.toLowerCase()) ?? trimmed;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: candidate }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(ianaZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(ianaZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: ianaZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(ianaZone, formatter);
  }
  return formatter;
}

/** The wall clock in `ianaZone` at an instant. */
export function wallClockAt(epochMs: number, ianaZone: string): WallClock {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partsFormatter(ianaZone).formatToParts(new Date(epochMs))) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
  }
  return clock;
}

/** How far `ianaZone` is ahead of UTC at an instant, in ms. */
export function utcOffsetMs(epochMs: number, ianaZone: string): number {
  const clock = wallClockAt(epochMs, ianaZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a wall clock names in `ianaZone`. A time that a daylight-saving jump skips (02:30
 * on the spring-forward night) moves forward by the jump, as Outlook does; a time that happens
 * twice (the autumn night) is the first of the two.
 */
export function instantOfWallClock(clock: WallClock, ianaZone: string): number {
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  const earlier = asUtc - utcOffsetMs(asUtc - DAY_MS / 2, ianaZone);
  const later = asUtc - utcOffsetMs(asUtc + DAY_MS / 2, ianaZone);
  const candidates = [earlier, later].filter((instant) => sameWallClock(wallClockAt(instant, ianaZone), clock));
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped by a jump forward: the offset before the jump, read on the far side of it.
  return asUtc - utcOffsetMs(asUtc - DAY_MS / 2, ianaZone);
}

function sameWallClock(a: WallClock, b: WallClock): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/** The weekday of a calendar date ("monday"), whatever the zone. */
export function weekdayOf(date: Pick<WallClock, 'year' | 'month' | 'day'>): Weekday {
  return WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;
}

/** The calendar date `days` after `date`. */
export function addDays(date: Pick<WallClock, 'year' | 'month' | 'day'>, days: number): Pick<WallClock, 'year' | 'month' | 'day'> {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** "08:30", "08:30:00" or Outlook's "08:30:00.0000000" as hours, minutes and seconds; null when it is none of those. */
export function parseTimeOfDay(text: string): Pick<WallClock, 'hour' | 'minute' | 'second'> | null {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text.trim());
  if (!match) return null;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  // 24:00 is how a working day that runs to midnight ends.
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0))) return null;
  return { hour, minute, second };
}

export { WEEKDAYS };
