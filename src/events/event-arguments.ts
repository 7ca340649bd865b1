import { validUserId } from '../directory/directory.service';
import { badInput } from '../errors';
import type { EventFields } from '../microsoft/graph-event-body';
import { isOutlookItemId } from '../microsoft/graph-event-writes';
import { MAX_EVENT_ATTENDEES, MAX_EVENT_BODY_BYTES, MAX_EVENT_SUBJECT_LENGTH } from '../microsoft/graph-limits';
import { ianaZoneOf, wallClockAt } from '../time/time-zones';
import { isEmailAddress, shorten, validOptionalText, validText } from '../validation/input-rules';
import type { EventResponse } from './event-inputs';

/** The rules for the event writes' arguments, checked before execution (see argument-preflight) and again by the service. */

export interface EventTargetArgs {
  userId: string;
  eventId: string;
}

export interface CreateEventArgs {
  userId: string;
  calendarId?: string | null;
  input: EventFields & { subject: string; start: Date; end: Date };
  idempotencyKey?: string | null;
}

export interface UpdateEventArgs extends EventTargetArgs {
  input: EventFields;
}

export interface CancelEventArgs extends EventTargetArgs {
  comment?: string | null;
}

export interface RespondToEventArgs extends EventTargetArgs {
  response: EventResponse;
  comment?: string | null;
  sendResponse: boolean;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Locations and attendees' names: display names, as long as a subject may be. */
const MAX_DISPLAY_NAME_LENGTH = MAX_EVENT_SUBJECT_LENGTH;
/** Fields a patch may leave out but not clear: an event always has them. */
const NOT_CLEARABLE = ['subject', 'start', 'end', 'isAllDay', 'isOnlineMeeting', 'freeBusyStatus', 'sensitivity', 'allowNewTimeProposals', 'bodyType'] as const;

export function validCreateEvent(args: CreateEventArgs): void {
  validUserId(args.userId, 'userId');
  if (args.calendarId != null) validItemId('calendarId', args.calendarId, 'find calendar ids with User.calendars, or leave calendarId out for the default calendar');
  if (args.idempotencyKey != null) validText('idempotencyKey', args.idempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH);
  validText('input.subject', args.input.subject, MAX_EVENT_SUBJECT_LENGTH);
  validTimes(args.input, { patch: false });
  validContent(args.input);
}

export function validUpdateEvent(args: UpdateEventArgs): void {
  validEventTarget(args);
  const given = Object.entries(args.input).filter(([, value]) => value !== undefined);
  if (given.length === 0) throw badInput('input changes nothing: give at least one field of the event to change', { field: 'input' });
  for (const name of NOT_CLEARABLE) {
    if (args.input[name] === null) throw badInput(`input.${name} cannot be null: leave it out to keep the event's value`, { field: `input.${name}` });
  }
  if (args.input.subject !== undefined) validText('input.subject', args.input.subject, MAX_EVENT_SUBJECT_LENGTH);
  validTimes(args.input, { patch: true });
  validContent(args.input);
}

export function validEventTarget(args: EventTargetArgs): void {
  validUserId(args.userId, 'userId');
  validItemId('eventId', args.eventId, 'use the id of an event as User.events or createEvent returned it');
}

export function validCancelEvent(args: CancelEventArgs): void {
  validEventTarget(args);
  validComment(args.comment);
}

export function validRespondToEvent(args: RespondToEventArgs): void {
  validEventTarget(args);
  validComment(args.comment);
}

function validItemId(field: string, value: string, hint: string): void {
  if (!isOutlookItemId(value)) throw badInput(`${field} "${shorten(value)}" is not an Outlook id (16 to 512 base64 characters, such as AAMkAGI2…=): ${hint}`, { field });
}

/** Whole seconds, end after start, a zone Microsoft knows, and all-day events from midnight to midnight in it. */
function validTimes(input: EventFields, { patch }: { patch: boolean }): void {
  const zoneName = input.timeZone?.trim() || null;
  const zone = zoneName === null ? 'UTC' : ianaZoneOf(zoneName);
  if (zone === null) {
    throw badInput(`input.timeZone "${shorten(zoneName!)}" is not a time zone Microsoft knows: give an IANA name such as Europe/Paris or a Windows name such as Romance Standard Time`, { field: 'input.timeZone' });
  }
  const { start, end } = input;
  if (patch && zoneName !== null && !start && !end) {
    throw badInput('input.timeZone says which zone start and end are kept in: give it with start or end (or both)', { field: 'input.timeZone' });
  }
  for (const [name, value] of [['start', start], ['end', end]] as const) {
    if (!value) continue;
    if (Number.isNaN(value.getTime())) throw badInput(`input.${name} must be an ISO 8601 date-time`, { field: `input.${name}` });
    if (value.getUTCMilliseconds() !== 0) throw badInput(`input.${name} must be a whole second: Outlook keeps no fractions of a second`, { field: `input.${name}` });
  }
  if (start && end && end <= start) throw badInput('input.end must be after input.start (the event is inverted or empty)', { field: 'input.end' });
  if (input.isAllDay !== true) return;
  if (patch && (!start || !end)) throw badInput('An event made all-day needs its new start and end (midnights in timeZone) in the same input', { field: 'input.isAllDay' });
  for (const [name, value] of [['start', start!], ['end', end!]] as const) {
    const clock = wallClockAt(value.getTime(), zone);
    if (clock.hour !== 0 || clock.minute !== 0 || clock.second !== 0) {
      throw badInput(`input.${name} of an all-day event must be midnight in ${zoneName ?? 'UTC'} (the zone of timeZone); it is ${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')} there`, { field: `input.${name}` });
    }
  }
}

function validContent(input: EventFields): void {
  if (input.body != null) withinBytes('input.body', input.body);
  validOptionalText('input.location', input.location ?? null, MAX_DISPLAY_NAME_LENGTH);
  const attendees = input.attendees ?? [];
  if (attendees.length > MAX_EVENT_ATTENDEES) {
    throw badInput(`input.attendees lists ${attendees.length} people and rooms; Outlook takes at most ${MAX_EVENT_ATTENDEES}: invite a distribution list instead`, { field: 'input.attendees' });
  }
  attendees.forEach((attendee, index) => {
    if (!isEmailAddress(attendee.email.trim())) {
      throw badInput(`input.attendees[${index}].email ("${shorten(attendee.email)}") is not an email address: give addresses such as adele@contoso.com`, { field: 'input.attendees' });
    }
    validOptionalText(`input.attendees[${index}].name`, attendee.name ?? null, MAX_DISPLAY_NAME_LENGTH);
  });
}

function validComment(comment: string | null | undefined): void {
  if (comment != null) withinBytes('comment', comment);
}

function withinBytes(field: string, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_EVENT_BODY_BYTES) {
    throw badInput(`${field} is ${Math.ceil(bytes / 1024)} KiB; at most ${MAX_EVENT_BODY_BYTES / 1024} KiB (UTF-8) is sent to Outlook: shorten it, or link to the full text`, { field });
  }
}

/** Checks run before execution (see argument-preflight): bad input never reaches Microsoft. */
export const eventArgumentChecks = {
  'Mutation.createEvent': (args: CreateEventArgs) => validCreateEvent(args),
  'Mutation.updateEvent': (args: UpdateEventArgs) => validUpdateEvent(args),
  'Mutation.cancelEvent': (args: CancelEventArgs) => validCancelEvent(args),
  'Mutation.deleteEvent': (args: EventTargetArgs) => validEventTarget(args),
  'Mutation.respondToEvent': (args: RespondToEventArgs) => validRespondToEvent(args),
};
