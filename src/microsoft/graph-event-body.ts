import { ianaZoneOf, wallClockAt } from '../time/time-zones';
import { graphAttendeeType, graphFreeBusyStatus, graphSensitivity, type AttendeeType, type FreeBusyStatus, type Sensitivity } from './graph-event-values';

/**
 * The body of Graph's POST and PATCH on events, from the gateway's fields: times as wall clocks
 * in the zone the event is booked in (Graph's dateTimeTimeZone), enumerations as Graph spells
 * them. Only the fields given are in the body, so a PATCH changes exactly those.
 */

export const EventBodyType = { TEXT: 'TEXT', HTML: 'HTML' } as const;
export type EventBodyType = (typeof EventBodyType)[keyof typeof EventBodyType];

export interface EventAttendeeFields {
  email: string;
  name?: string | null;
  type?: AttendeeType | null;
}

/** An event as a write describes it; undefined: not given (unchanged by a PATCH), null: cleared. */
export interface EventFields {
  subject?: string | null;
  start?: Date | null;
  end?: Date | null;
  /** IANA or Windows name; start and end are sent as wall clocks in it (default UTC) */
  timeZone?: string | null;
  isAllDay?: boolean | null;
  body?: string | null;
  bodyType?: EventBodyType | null;
  location?: string | null;
  attendees?: EventAttendeeFields[] | null;
  isOnlineMeeting?: boolean | null;
  freeBusyStatus?: FreeBusyStatus | null;
  sensitivity?: Sensitivity | null;
  allowNewTimeProposals?: boolean | null;
}

/** Graph's JSON for these fields. Expects fields that passed the events domain's checks (a known zone above all). */
export function graphEventBody(fields: EventFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields.subject !== undefined) body.subject = fields.subject?.trim();
  if (fields.body !== undefined) body.body = { contentType: fields.bodyType === 'HTML' ? 'html' : 'text', content: fields.body ?? '' };
  const zone = fields.timeZone?.trim() || 'UTC';
  if (fields.start) body.start = dateTimeTimeZone(fields.start, zone);
  if (fields.end) body.end = dateTimeTimeZone(fields.end, zone);
  if (fields.isAllDay !== undefined && fields.isAllDay !== null) body.isAllDay = fields.isAllDay;
  if (fields.location !== undefined) body.location = { displayName: fields.location?.trim() ?? '' };
  if (fields.attendees !== undefined) {
    body.attendees = (fields.attendees ?? []).map((attendee) => ({
      emailAddress: { address: attendee.email.trim(), ...(attendee.name?.trim() ? { name: attendee.name.trim() } : {}) },
      type: graphAttendeeType.write(attendee.type ?? 'REQUIRED'),
    }));
  }
  if (fields.isOnlineMeeting === true) Object.assign(body, { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' });
  if (fields.isOnlineMeeting === false) body.isOnlineMeeting = false;
  if (fields.freeBusyStatus) body.showAs = graphFreeBusyStatus.write(fields.freeBusyStatus);
  if (fields.sensitivity) body.sensitivity = graphSensitivity.write(fields.sensitivity);
  if (fields.allowNewTimeProposals !== undefined && fields.allowNewTimeProposals !== null) body.allowNewTimeProposals = fields.allowNewTimeProposals;
  return body;
}

/** `{"dateTime":"2026-03-10T10:00:00","timeZone":"Europe/Paris"}`: the instant's wall clock in the zone, named as the caller named it. */
function dateTimeTimeZone(instant: Date, zone: string): { dateTime: string; timeZone: string } {
  const iana = ianaZoneOf(zone);
  if (iana === null) throw new RangeError(`unknown time zone ${zone}: the events domain checks zones before any write`);
  const clock = wallClockAt(instant.getTime(), iana);
  const pad = (value: number, length = 2) => String(value).padStart(length, '0');
  return {
    dateTime: `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`,
    timeZone: zone,
  };
}
