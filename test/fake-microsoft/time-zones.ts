import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { GraphError } from './graph-envelope';

/**
 * Time zones as Outlook takes them: an IANA name ("Europe/Paris") or a Windows name ("Romance
 * Standard Time"), case-insensitively. Offsets come from Intl, so daylight saving is real.
 * A zone keeps the name the client gave: Graph echoes `Prefer: outlook.timezone` verbatim in
 * every start/end it returns.
 */
export interface TimeZone {
  /** The name as the client wrote it, echoed back in dateTimeTimeZone.timeZone. */
  label: string;
  iana: string;
}

export const UTC_ZONE: TimeZone = { label: 'UTC', iana: 'UTC' };

// CLDR's territory "001" row is the zone Windows means by that name.
const WINDOWS_TO_IANA = new Map<string, string>();
for (const entry of WINDOWS_TO_IANA_MAP) {
  const key = entry.windowsName.toLowerCase();
  if (entry.territory === '001' || !WINDOWS_TO_IANA.has(key)) WINDOWS_TO_IANA.set(key, entry.iana[0]);
}

export function findTimeZone(name: string): TimeZone | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  const iana = WINDOWS_TO_IANA.get(trimmed.toLowerCase()) ?? trimmed;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: iana }).resolvedOptions().timeZone;
    return { label: trimmed, iana: canonical };
  } catch {
    return undefined;
  }
}

/** Third-party live observation (not documented): an unknown zone is a hard 400, never a fallback to UTC. */
export function requireTimeZone(name: string): TimeZone {
  const zone = findTimeZone(name);
  if (!zone) {
    throw new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`);
  }
  return zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(epochMs: number, iana: string): number[] {
  // Most requests ask for UTC: Date answers that without Intl, which dominated the fake's own CPU in the schedules bench.
  if (iana === 'UTC') {
    const date = new Date(epochMs);
    return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  }
  let formatter = formatters.get(iana);
  if (!formatter) {
    const numeric = '2-digit' as const;
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: numeric, day: numeric, hour: numeric, minute: numeric, second: numeric });
    formatters.set(iana, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  return [Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)];
}

/** "2025-01-06T10:00:00.0000000": the wall clock in that zone, Outlook's seven fractional digits, no offset. */
export function wallClockIn(epochMs: number, zone: TimeZone): string {
  const [year, month, day, hour, minute, second] = wallClockParts(epochMs, zone.iana);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.0000000`;
}

/** The instant a wall-clock time in `zone` names; a time skipped by a DST jump moves forward, as Outlook does. */
export function instantOf(wallClock: { year: number; month: number; day: number; hour: number; minute: number; second: number }, zone: TimeZone): number {
  const asUtc = Date.UTC(wallClock.year, wallClock.month - 1, wallClock.day, wallClock.hour, wallClock.minute, wallClock.second);
  let guess = asUtc;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [year, month, day, hour, minute, second] = wallClockParts(guess, zone.iana);
    const offset = Date.UTC(year, month - 1, day, hour, minute, second) - guess;
    const next = asUtc - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** Parses a dateTimeTimeZone's dateTime ("2025-01-06T09:00:00", fraction and a trailing Z tolerated); undefined if malformed. */
export function parseWallClock(raw: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } | undefined {
  const match = raw.trim().match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?Z?$/i);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 };
}

/** A dateTimeTimeZone of a request body as an instant; a missing timeZone means UTC. */
export function instantOfDateTimeTimeZone(value: unknown, propertyName: string): { epochMs: number; zone: TimeZone } {
  const given = value as { dateTime?: unknown; timeZone?: unknown } | null;
  if (!given || typeof given !== 'object' || typeof given.dateTime !== 'string') {
    throw new GraphError(400, 'ErrorInvalidRequest', `The property '${propertyName}' must be a dateTimeTimeZone with a dateTime.`);
  }
  const zone = typeof given.timeZone === 'string' && given.timeZone !== '' ? requireTimeZone(given.timeZone) : UTC_ZONE;
  const wallClock = parseWallClock(given.dateTime);
  if (!wallClock) throw new GraphError(400, 'ErrorInvalidRequest', `The value '${given.dateTime}' of '${propertyName}.dateTime' is not a valid date and time.`);
  return { epochMs: instantOf(wallClock, zone), zone };
}
