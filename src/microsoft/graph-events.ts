import { z } from 'zod';
import {
  graphAttendeeType,
  graphEventType,
  graphFreeBusyStatus,
  graphResponseStatus,
  graphSensitivity,
  type AttendeeType,
  type EventType,
  type FreeBusyStatus,
  type ResponseStatus,
  type Sensitivity,
} from './graph-event-values';
import { graphDateTimeToDate, parsePayload, UnexpectedPayloadError } from './graph-resources';
import type { PropertyTable } from './graph-selection';

/**
 * Events as the gateway reads them from Graph: the mapping of an event payload (attendees,
 * location, online meeting, enumerations, times in UTC) and which Graph properties carry each
 * field, for `$select`. Only the selected properties are in a payload, so every field but `id`
 * may be absent; the GraphQL layer only resolves what it asked for.
 */

export interface GraphEmailAddress {
  name: string | null;
  address: string | null;
}

export interface GraphAttendee {
  emailAddress: GraphEmailAddress;
  type: AttendeeType;
  response: ResponseStatus;
}

export interface GraphEvent {
  id: string;
  subject?: string | null;
  start?: Date;
  end?: Date;
  isAllDay?: boolean;
  /** Graph's own word (busy, workingElsewhere…), kept for the contract's `showAs` */
  showAs?: string | null;
  freeBusyStatus?: FreeBusyStatus;
  organizer?: GraphEmailAddress | null;
  attendees?: GraphAttendee[];
  location?: string | null;
  isOnlineMeeting?: boolean;
  onlineMeetingUrl?: string | null;
  bodyPreview?: string | null;
  sensitivity?: Sensitivity | null;
  isCancelled?: boolean;
  type?: EventType;
  seriesMasterId?: string | null;
  iCalUId?: string | null;
  webLink?: string | null;
  categories?: string[];
  createdAt?: Date | null;
  lastModifiedAt?: Date | null;
}

/** Which Graph event properties carry each field of GraphEvent. */
export const EVENT_PROPERTIES: PropertyTable = {
  id: ['id'],
  subject: ['subject'],
  start: ['start'],
  end: ['end'],
  isAllDay: ['isAllDay'],
  showAs: ['showAs'],
  freeBusyStatus: ['showAs'],
  organizer: ['organizer'],
  attendees: ['attendees'],
  location: ['location'],
  isOnlineMeeting: ['isOnlineMeeting'],
  // Graph leaves onlineMeeting.joinUrl out unless isOnlineMeeting is selected with it.
  onlineMeetingUrl: ['isOnlineMeeting', 'onlineMeeting'],
  bodyPreview: ['bodyPreview'],
  sensitivity: ['sensitivity'],
  isCancelled: ['isCancelled'],
  type: ['type'],
  seriesMasterId: ['seriesMasterId'],
  iCalUId: ['iCalUId'],
  webLink: ['webLink'],
  categories: ['categories'],
  createdAt: ['createdDateTime'],
  lastModifiedAt: ['lastModifiedDateTime'],
};

const text = z.string().nullish();
const emailAddressPayload = z.object({ name: text, address: text }).nullish();
const eventPayload = z.object({
  id: z.string().min(1),
  subject: text,
  start: z.unknown().optional(),
  end: z.unknown().optional(),
  isAllDay: z.boolean().nullish(),
  showAs: text,
  organizer: z.object({ emailAddress: emailAddressPayload }).nullish(),
  attendees: z
    .array(z.object({ type: text, status: z.object({ response: text }).nullish(), emailAddress: emailAddressPayload }))
    .nullish(),
  location: z.object({ displayName: text }).nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeeting: z.object({ joinUrl: text }).nullish(),
  bodyPreview: text,
  sensitivity: text,
  isCancelled: z.boolean().nullish(),
  type: text,
  seriesMasterId: text,
  iCalUId: text,
  webLink: text,
  categories: z.array(z.string()).nullish(),
  createdDateTime: text,
  lastModifiedDateTime: text,
});

/** An event payload as a GraphEvent: only the properties Graph sent are set. */
export function toGraphEvent(raw: unknown): GraphEvent {
  const event = parsePayload(eventPayload, raw, 'an event');
  const has = (property: string) => Object.hasOwn(raw as object, property);
  const mapped: GraphEvent = { id: event.id };
  if (has('subject')) mapped.subject = event.subject ?? null;
  if (has('start')) mapped.start = graphDateTimeToDate(event.start);
  if (has('end')) mapped.end = graphDateTimeToDate(event.end);
  if (has('isAllDay')) mapped.isAllDay = event.isAllDay === true;
  if (has('showAs')) {
    mapped.showAs = event.showAs ?? null;
    mapped.freeBusyStatus = event.showAs ? graphFreeBusyStatus.read(event.showAs) : 'UNKNOWN';
  }
  if (has('organizer')) mapped.organizer = emailAddressOf(event.organizer?.emailAddress);
  if (has('attendees')) {
    mapped.attendees = (event.attendees ?? []).map((attendee) => ({
      emailAddress: emailAddressOf(attendee.emailAddress) ?? { name: null, address: null },
      type: attendee.type ? graphAttendeeType.read(attendee.type) : 'REQUIRED',
      response: attendee.status?.response ? graphResponseStatus.read(attendee.status.response) : 'NONE',
    }));
  }
  // Graph sends an empty displayName for an event without a location.
  if (has('location')) mapped.location = event.location?.displayName || null;
  if (has('isOnlineMeeting')) mapped.isOnlineMeeting = event.isOnlineMeeting === true;
  if (has('onlineMeeting')) mapped.onlineMeetingUrl = event.onlineMeeting?.joinUrl || null;
  if (has('bodyPreview')) mapped.bodyPreview = event.bodyPreview ?? null;
  if (has('sensitivity')) mapped.sensitivity = event.sensitivity ? graphSensitivity.read(event.sensitivity) : null;
  if (has('isCancelled')) mapped.isCancelled = event.isCancelled === true;
  if (has('type')) mapped.type = event.type ? graphEventType.read(event.type) : 'SINGLE_INSTANCE';
  if (has('seriesMasterId')) mapped.seriesMasterId = event.seriesMasterId ?? null;
  if (has('iCalUId')) mapped.iCalUId = event.iCalUId ?? null;
  if (has('webLink')) mapped.webLink = event.webLink ?? null;
  if (has('categories')) mapped.categories = event.categories ?? [];
  if (has('createdDateTime')) mapped.createdAt = instantOrNull(event.createdDateTime, 'createdDateTime');
  if (has('lastModifiedDateTime')) mapped.lastModifiedAt = instantOrNull(event.lastModifiedDateTime, 'lastModifiedDateTime');
  return mapped;
}

export function emailAddressOf(raw: { name?: string | null; address?: string | null } | null | undefined): GraphEmailAddress | null {
  return raw ? { name: raw.name ?? null, address: raw.address ?? null } : null;
}

/** createdDateTime and lastModifiedDateTime: ISO 8601 in UTC ("2025-01-06T09:00:00.0000000Z"; a missing zone means UTC too). */
function instantOrNull(value: string | null | undefined, property: string): Date | null {
  if (!value) return null;
  const instant = new Date(/(Z|[+-]\d\d:\d\d)$/i.test(value) ? value : `${value}Z`);
  if (Number.isNaN(instant.getTime())) throw new UnexpectedPayloadError('an event', `${property} "${value}" is not a date-time`);
  return instant;
}
