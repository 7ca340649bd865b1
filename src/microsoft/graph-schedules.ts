import { z } from 'zod';
import { ianaZoneOf } from '../time/time-zones';
import { graphFreeBusyStatus, type FreeBusyStatus } from './graph-event-values';
import { graphDateTimeToDate, parsePayload } from './graph-resources';

/**
 * getSchedule (`POST /users/{mailbox}/calendar/getSchedule`): the request body for a window and
 * the mapping of its answer, one scheduleInformation per address asked for. An address Graph
 * cannot resolve (unknown, external) comes back as an entry with only an `error`: that is data.
 */

export interface GraphScheduleItem {
  start: Date;
  end: Date;
  status: FreeBusyStatus;
  /** absent for private items and for callers who may only see free/busy */
  subject: string | null;
  location: string | null;
  isPrivate: boolean | null;
}

export interface GraphWorkingHours {
  /** lower-case English day names, as Graph sends them: "monday" */
  daysOfWeek: string[];
  /** local times of day, "08:00:00" */
  startTime: string;
  endTime: string;
  /** the zone as the mailbox names it, usually a Windows name ("Pacific Standard Time") */
  timeZone: string | null;
  /** that zone in IANA terms, null when neither Windows nor IANA knows the name (a custom zone) */
  ianaTimeZone: string | null;
}

export interface GraphSchedule {
  /** the address as the caller gave it */
  email: string;
  /** one digit per interval: 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere */
  availabilityView: string | null;
  items: GraphScheduleItem[];
  workingHours: GraphWorkingHours | null;
  /** why Graph has no schedule for this address (unknown or external mailbox) */
  error: string | null;
}

export interface ScheduleWindow {
  start: Date;
  end: Date;
  intervalMinutes: number;
}

export const SCHEDULE_ROUTE = 'POST /users/{id}/calendar/getSchedule';

/** The `$batch` item that asks `host`'s mailbox for the schedules of `emails`, times in UTC. */
export function scheduleRequest(id: string, host: string, emails: readonly string[], window: ScheduleWindow) {
  const utc = (instant: Date) => ({ dateTime: instant.toISOString().slice(0, 23), timeZone: 'UTC' });
  return {
    id,
    method: 'POST' as const,
    url: `/users/${encodeURIComponent(host)}/calendar/getSchedule`,
    route: SCHEDULE_ROUTE,
    // Graph needs the Content-Type of a batch item's body; Prefer puts the items' times in UTC.
    headers: { 'Content-Type': 'application/json', Prefer: 'outlook.timezone="UTC"' },
    body: { schedules: emails, startTime: utc(window.start), endTime: utc(window.end), availabilityViewInterval: window.intervalMinutes },
  };
}

const text = z.string().nullish();
const scheduleInformation = z.object({
  scheduleId: z.string(),
  availabilityView: text,
  scheduleItems: z
    .array(z.object({ status: text, start: z.unknown(), end: z.unknown(), subject: text, location: text, isPrivate: z.boolean().nullish() }))
    .nullish(),
  workingHours: z
    .object({ daysOfWeek: z.array(z.string()).nullish(), startTime: text, endTime: text, timeZone: z.object({ name: text }).nullish() })
    .nullish(),
  error: z.object({ message: text, responseCode: text }).nullish(),
});
const scheduleAnswer = z.object({ value: z.array(z.unknown()) });

/** The schedules of a getSchedule answer by lower-cased address. */
export function readScheduleAnswer(body: unknown): Map<string, Omit<GraphSchedule, 'email'>> {
  const answer = parsePayload(scheduleAnswer, body, 'a getSchedule answer');
  const byAddress = new Map<string, Omit<GraphSchedule, 'email'>>();
  for (const raw of answer.value) {
    const entry = parsePayload(scheduleInformation, raw, 'a schedule');
    byAddress.set(entry.scheduleId.toLowerCase(), {
      availabilityView: entry.error ? null : (entry.availabilityView ?? null),
      items: (entry.scheduleItems ?? []).map((item) => ({
        start: graphDateTimeToDate(item.start),
        end: graphDateTimeToDate(item.end),
        status: item.status ? graphFreeBusyStatus.read(item.status) : 'UNKNOWN',
        subject: item.subject ?? null,
        location: item.location || null,
        isPrivate: item.isPrivate ?? null,
      })),
      workingHours: entry.workingHours && entry.workingHours.startTime && entry.workingHours.endTime ? workingHoursOf(entry.workingHours) : null,
      error: entry.error ? (entry.error.message || `Graph has no schedule for this address (${entry.error.responseCode ?? 'no code'})`) : null,
    });
  }
  return byAddress;
}

function workingHoursOf(raw: { daysOfWeek?: string[] | null; startTime?: string | null; endTime?: string | null; timeZone?: { name?: string | null } | null }): GraphWorkingHours {
  const timeZone = raw.timeZone?.name ?? null;
  return {
    daysOfWeek: (raw.daysOfWeek ?? []).map((day) => day.toLowerCase()),
    // Outlook writes "08:00:00.0000000"; seconds are as precise as working hours get.
    startTime: raw.startTime!.slice(0, 8),
    endTime: raw.endTime!.slice(0, 8),
    timeZone,
    ianaTimeZone: ianaZoneOf(timeZone),
  };
}
