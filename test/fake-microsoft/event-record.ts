import type { FakeUser } from './directory';
import { base64From } from './seeded-random';
import { wallClockIn, type TimeZone } from './time-zones';

/**
 * One event as the fake keeps it: the Graph resource with start and end in UTC, plus the instants
 * it covers. Reads render it in the caller's Prefer time zone; all-day events are floating (their
 * dates do not move with the zone, and windows match them as UTC days, as Outlook does).
 */
export interface EventRecord {
  id: string;
  /** Position of its calendar in calendarsOf(); 0 is the default calendar. */
  calendarIndex: number;
  startMs: number;
  endMs: number;
  resource: Record<string, unknown>;
}

export interface EmailAddress {
  name: string;
  address: string;
}

export const NEVER = '0001-01-01T00:00:00Z';
const DAY_MS = 86_400_000;

export function emailAddressOf(user: FakeUser): EmailAddress {
  return { name: user.displayName, address: user.mail ?? user.userPrincipalName };
}

/** The event as Graph returns it, start and end in `zone` (named as the client named it). */
export function renderEvent(record: EventRecord, zone: TimeZone): Record<string, unknown> {
  const resource = { ...record.resource };
  const dateTime = (epochMs: number) => (resource.isAllDay ? utcWallClock(epochMs) : wallClockIn(epochMs, zone));
  resource.start = { dateTime: dateTime(record.startMs), timeZone: zone.label };
  resource.end = { dateTime: dateTime(record.endMs), timeZone: zone.label };
  return resource;
}

/** Every event property the fake models, in Graph's order, with Outlook's defaults; `fields` fills in the rest. */
export function eventResource(core: { id: string; subject: string; startMs: number; endMs: number; isAllDay: boolean; organizer: EmailAddress; isOrganizer: boolean; createdMs: number }, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const changeKey = base64From(`${core.id}:changeKey:${core.createdMs}`, 16);
  const created = new Date(core.createdMs).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
  const resource: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id: core.id,
    createdDateTime: created,
    lastModifiedDateTime: created,
    changeKey,
    categories: [],
    transactionId: null,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: iCalUIdFor(core.id),
    reminderMinutesBeforeStart: core.isAllDay ? 1080 : 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: core.subject,
    bodyPreview: '',
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: core.isAllDay,
    isCancelled: false,
    isOrganizer: core.isOrganizer,
    responseRequested: true,
    seriesMasterId: null,
    showAs: 'busy',
    type: 'singleInstance',
    webLink: webLinkFor(core.id),
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    occurrenceId: null,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: core.isOrganizer ? 'organizer' : 'notResponded', time: NEVER },
    body: { contentType: 'html', content: '' },
    start: { dateTime: utcWallClock(core.startMs), timeZone: 'UTC' },
    end: { dateTime: utcWallClock(core.endMs), timeZone: 'UTC' },
    location: emptyLocation(),
    locations: [],
    recurrence: null,
    attendees: [],
    organizer: { emailAddress: core.organizer },
    onlineMeeting: null,
    originalStart: null,
  };
  for (const [name, value] of Object.entries(fields)) resource[name] = value;
  if (fields.body && fields.bodyPreview === undefined) resource.bodyPreview = previewOf(fields.body);
  return resource;
}

export type EventCore = Parameters<typeof eventResource>[0];

/** A record whose resource is eventResource(core, fields). */
export function eventRecordOf(calendarIndex: number, core: EventCore, fields: Record<string, unknown> = {}): EventRecord {
  return { id: core.id, calendarIndex, startMs: core.startMs, endMs: core.endMs, resource: eventResource(core, fields) };
}

export function emptyLocation(): Record<string, unknown> {
  return { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} };
}

export function webLinkFor(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

/** What Outlook puts in the location of a Teams meeting that has no room. */
export function teamsMeetingLocation(): Record<string, unknown> {
  return { ...emptyLocation(), displayName: 'Microsoft Teams Meeting' };
}

/** A meeting's identity across every copy of it (the organizer's and each attendee's). */
export function iCalUIdFor(seed: string): string {
  return `040000008200E00074C5B7101A82E008${Buffer.from(base64From(`${seed}:ical`, 24), 'base64').toString('hex').toUpperCase()}`;
}

export function joinUrlFor(seed: string): string {
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${base64From(seed, 18).replace(/[^A-Za-z0-9]/g, 'x')}%40thread.v2/0?context=%7b%22Tid%22%3a%22fake%22%7d`;
}

/** bodyPreview: the body as plain text, at most 255 characters. */
export function previewOf(body: unknown): string {
  const content = String((body as { content?: unknown } | null)?.content ?? '');
  const text = content.replace(/<\/?(p|div|br|li|tr|h[1-6])\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** "2025-01-06T09:00:00.0000000" in UTC. */
export function utcWallClock(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}.0000000`;
}

export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

export { DAY_MS };
