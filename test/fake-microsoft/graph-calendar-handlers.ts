import { graphBaseUrl, type FakeContext } from './context';
import { renderEvent, type EventRecord } from './event-record';
import type { MailboxOwner } from './mailbox-owner';
import { GraphError, nextLink, pagingNumber, project, selectedProperties, type GraphRequest, type GraphResult } from './graph-envelope';
import { hasAnyRole } from './graph-permissions';
import { findCalendar, itemNotFound, onlineMeetingsAllowed, openMailbox, unknownProperty } from './mailbox-access';
import { CALENDAR_PROPERTIES, EVENT_PROPERTIES, calendarsOf } from './mailbox-content';
import { preferenceApplied, readPreferences, type RequestPreferences } from './request-preferences';

/** The mailbox half of Graph (Exchange Online), reads: calendars, calendarView and single events. Its errors use the Error* codes. */

const FULL_EVENT_ROLES = ['Calendars.Read', 'Calendars.ReadWrite'];
// Properties Calendars.ReadBasic.All does not expose.
const NON_BASIC_EVENT_PROPERTIES = ['body', 'bodyPreview'];
const DEFAULT_OUTLOOK_PAGE = 10;
const MAX_OUTLOOK_PAGE = 1000;

export function listCalendars(context: FakeContext, request: GraphRequest, userKey: string): GraphResult {
  const owner = openMailbox(context, request, userKey);
  const { top, skip } = outlookPaging(request.query);
  const selected = selectedProperties(request.query, CALENDAR_PROPERTIES, unknownProperty('calendar'));
  const graphBase = graphBaseUrl(context);
  const all = calendarsOf(graphBase, request.tenant, owner.mailbox, onlineMeetingsAllowed(context, owner));
  return ok({
    '@odata.context': `${graphBase}/$metadata#users('${userKey}')/calendars${selected ? `(${selected.join(',')})` : ''}`,
    value: all.slice(skip, skip + top).map((calendar) => project(calendar, selected, ['@odata.id', 'id'])),
    ...(skip + top < all.length ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skip', skip + top) } : {}),
  });
}

/** GET /users/{id}/calendar and /users/{id}/calendars/{cid}. */
export function getCalendar(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string): GraphResult {
  const { calendar } = findCalendar(context, openMailbox(context, request, userKey), calendarId);
  const selected = selectedProperties(request.query, CALENDAR_PROPERTIES, unknownProperty('calendar'));
  const segment = calendarId === undefined ? 'calendar' : 'calendars';
  return ok({ '@odata.context': `${graphBaseUrl(context)}/$metadata#users('${userKey}')/${segment}/$entity`, ...project(calendar, selected, ['@odata.id', 'id']) });
}

/** GET /users/{id}/calendarView, /users/{id}/calendar/calendarView and /users/{id}/calendars/{cid}/calendarView. */
export function listCalendarView(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string | null): GraphResult {
  const owner = openMailbox(context, request, userKey);
  const { index } = findCalendar(context, owner, calendarId ?? undefined);
  const { windowStart, windowEnd } = timeWindow(request.query);
  const { top, skip } = outlookPaging(request.query);
  const selected = selectedProperties(request.query, EVENT_PROPERTIES, unknownProperty('event'));
  const preferences = readPreferences(request);
  const events = context.mailboxes.eventsBetween(owner, index, windowStart.getTime(), windowEnd.getTime());
  const graphBase = graphBaseUrl(context);
  const viewPath = calendarId === undefined ? 'calendarView' : calendarId === null ? 'calendar/calendarView' : `calendars('${calendarId}')/calendarView`;
  return {
    status: 200,
    headers: preferenceApplied(preferences),
    body: {
      '@odata.context': `${graphBase}/$metadata#users('${userKey}')/${viewPath}${selected ? `(${selected.join(',')})` : ''}`,
      value: events.slice(skip, skip + top).map((event) => eventView(request, event, selected, preferences)),
      ...(skip + top < events.length ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skip', skip + top) } : {}),
    },
  };
}

/** GET /users/{id}/events/{eid}, /users/{id}/calendar/events/{eid}, /users/{id}/calendars/{cid}/events/{eid}: any event, a series master included. */
export function getEvent(context: FakeContext, request: GraphRequest, userKey: string, eventId: string, calendarId?: string | null): GraphResult {
  const owner = openMailbox(context, request, userKey);
  const event = findEvent(context, owner, eventId, calendarId);
  const selected = selectedProperties(request.query, EVENT_PROPERTIES, unknownProperty('event'));
  const preferences = readPreferences(request);
  return {
    status: 200,
    headers: preferenceApplied(preferences),
    body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#users('${userKey}')/events/$entity`, ...eventView(request, event, selected, preferences) },
  };
}

/** An event of the mailbox, in the given calendar when the path names one (null: the default calendar). */
export function findEvent(context: FakeContext, owner: MailboxOwner, eventId: string, calendarId?: string | null): EventRecord {
  const event = context.mailboxes.find(owner, eventId);
  if (!event) throw itemNotFound();
  if (calendarId !== undefined && findCalendar(context, owner, calendarId ?? undefined).index !== event.calendarIndex) throw itemNotFound();
  return event;
}

/** An event as this caller may read it: in its time zone, $select applied, body hidden from Calendars.ReadBasic.All. */
export function eventView(request: GraphRequest, event: EventRecord, selected: string[] | undefined, preferences: RequestPreferences): Record<string, unknown> {
  const hidden = hasAnyRole(request, FULL_EVENT_ROLES) ? [] : NON_BASIC_EVENT_PROPERTIES;
  return withoutProperties(project(renderEvent(event, preferences.timeZone), selected, ['@odata.etag', 'id']), hidden);
}

export function timeWindow(query: URLSearchParams): { windowStart: Date; windowEnd: Date } {
  const rawStart = query.get('startDateTime');
  const rawEnd = query.get('endDateTime');
  if (!rawStart || !rawEnd) {
    throw new GraphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const windowStart = parseDateTime('StartDateTime', rawStart);
  const windowEnd = parseDateTime('EndDateTime', rawEnd);
  if (windowEnd.getTime() <= windowStart.getTime()) {
    throw new GraphError(400, 'ErrorInvalidParameter', "The parameter 'EndDateTime' must be later than the parameter 'StartDateTime'.");
  }
  return { windowStart, windowEnd };
}

/** ISO 8601; without an offset the time is UTC (not the server's local time, which is what Date.parse would assume). */
function parseDateTime(name: string, raw: string): Date {
  const match = raw.trim().match(/^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?(Z|[+-]\d{2}:\d{2})?$/i);
  const parsed = match ? new Date(`${match[1]}${match[2] ?? 'T00:00:00'}${match[3] ?? 'Z'}`.replace(/(\.\d{3})\d+/, '$1')) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new GraphError(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  }
  return parsed;
}

function outlookPaging(query: URLSearchParams): { top: number; skip: number } {
  const invalid = (name: string) => (raw: string) => new GraphError(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  return {
    top: pagingNumber(query, '$top', DEFAULT_OUTLOOK_PAGE, 1, MAX_OUTLOOK_PAGE, invalid('$top')),
    skip: pagingNumber(query, '$skip', 0, 0, Number.MAX_SAFE_INTEGER, invalid('$skip')),
  };
}

function withoutProperties(resource: Record<string, unknown>, names: string[]): Record<string, unknown> {
  if (names.length === 0) return resource;
  return Object.fromEntries(Object.entries(resource).filter(([name]) => !names.includes(name)));
}

function ok(body: unknown): GraphResult {
  return { status: 200, body };
}
