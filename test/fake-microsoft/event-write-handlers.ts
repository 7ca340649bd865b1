import { graphBaseUrl, type FakeContext } from './context';
import { renderEvent, type EventRecord } from './event-record';
import { cancelEvent, createEvent, deleteEvent, respondToEvent, updateEvent, type EventResponse } from './event-writes';
import { consumeCountedFault } from './faults';
import { eventView } from './graph-calendar-handlers';
import { TRANSIENT_FAILURES } from './graph-endpoint';
import { GraphError, type GraphRequest, type GraphResult } from './graph-envelope';
import { CALENDAR_WRITE_ROLES, findCalendar, openMailbox } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import { UTC_ZONE, requireTimeZone } from './time-zones';

/**
 * Graph's event write routes: POST …/events (201 with the event), PATCH …/events/{id} (200),
 * DELETE (204), POST …/{cancel|accept|tentativelyAccept|decline} (202). All need
 * Calendars.ReadWrite: without it, 403 ErrorAccessDenied and nothing changes. Writes ignore
 * Prefer: outlook.timezone: a create answers in the zones its body named, an update in UTC
 * (microsoft-graph-docs-contrib#8645; #5029, where Microsoft says so of PATCH).
 */

const ACTIONS = ['cancel', 'accept', 'tentativelyAccept', 'decline'];

export function createEventRoute(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string | null): GraphResult {
  const owner = openForWrite(context, request, userKey);
  const { index } = findCalendar(context, owner, calendarId ?? undefined);
  const { event } = createEvent(context, owner, index, request.body);
  const result = eventResult(context, request, userKey, event, 201, true);
  const failure = context.faults.failNextCreateAfterStoring;
  if (failure) {
    context.faults.failNextCreateAfterStoring = undefined;
    throw transientFailure(failure.status);
  }
  if (!context.faults.dropNextCreateAnswer) return result;
  context.faults.dropNextCreateAnswer = false;
  return { ...result, dropConnection: true };
}

export function updateEventRoute(context: FakeContext, request: GraphRequest, userKey: string, eventId: string, calendarId?: string | null): GraphResult {
  const owner = openForWrite(context, request, userKey);
  return eventResult(context, request, userKey, updateEvent(context, owner, eventId, calendarId, request.body), 200);
}

export function deleteEventRoute(context: FakeContext, request: GraphRequest, userKey: string, eventId: string, calendarId?: string | null): GraphResult {
  deleteEvent(context, openForWrite(context, request, userKey), eventId, calendarId);
  if (!context.faults.dropNextDeleteAnswer) return { status: 204, body: undefined };
  context.faults.dropNextDeleteAnswer = false;
  return { status: 204, body: undefined, dropConnection: true };
}

export function eventActionRoute(context: FakeContext, request: GraphRequest, userKey: string, eventId: string, action: string, calendarId?: string | null): GraphResult {
  const matched = ACTIONS.find((name) => name.toLowerCase() === action.toLowerCase());
  if (!matched) throw new GraphError(404, 'ResourceNotFound', 'Resource could not be discovered.');
  const owner = openForWrite(context, request, userKey);
  if (matched === 'cancel') cancelEvent(context, owner, eventId, calendarId);
  else respondToEvent(context, owner, eventId, calendarId, matched as EventResponse, request.body);
  return { status: 202, body: undefined };
}

/** The write role first, then the fault that fails the next writes (nothing is stored when it fires). */
function openForWrite(context: FakeContext, request: GraphRequest, userKey: string): MailboxOwner {
  const owner = openMailbox(context, request, userKey, CALENDAR_WRITE_ROLES);
  const failure = context.faults.failEventWrites;
  if (consumeCountedFault(failure)) throw transientFailure(failure!.status);
  return owner;
}

function transientFailure(status: number): GraphError {
  const { code, message } = TRANSIENT_FAILURES[status] ?? TRANSIENT_FAILURES[500];
  return new GraphError(status, code, message);
}

function eventResult(context: FakeContext, request: GraphRequest, userKey: string, event: EventRecord, status: number, inBookedZones = false): GraphResult {
  const resource = eventView(request, event, undefined, { timeZone: UTC_ZONE, timeZoneGiven: false });
  if (inBookedZones) {
    resource.start = renderEvent(event, requireTimeZone(String(event.resource.originalStartTimeZone))).start;
    resource.end = renderEvent(event, requireTimeZone(String(event.resource.originalEndTimeZone))).end;
  }
  return { status, body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#users('${userKey}')/events/$entity`, ...resource } };
}
