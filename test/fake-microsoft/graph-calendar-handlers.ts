import { graphBaseUrl, type FakeContext } from './context';
import type { FakeUser } from './directory';
import { userInSet } from './faults';
import { GraphError, nextLink, pagingNumber, project, selectedProperties, type GraphRequest, type GraphResult } from './graph-envelope';
import { hasAnyRole, requireRole } from './graph-permissions';
import { CALENDAR_PROPERTIES, EVENT_PROPERTIES, calendarsOf, eventsBetween } from './mailbox-content';

/** The mailbox half of Graph (Exchange Online): calendars and calendarView. Its errors use the Error* codes. */

const CALENDAR_ROLES = ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'];
const FULL_EVENT_ROLES = ['Calendars.Read', 'Calendars.ReadWrite'];
// Properties Calendars.ReadBasic.All does not expose.
const NON_BASIC_EVENT_PROPERTIES = ['body', 'bodyPreview'];
const DEFAULT_OUTLOOK_PAGE = 10;
const MAX_OUTLOOK_PAGE = 1000;

export function listCalendars(context: FakeContext, request: GraphRequest, userKey: string): GraphResult {
  const user = openMailbox(context, request, userKey);
  const { top, skip } = outlookPaging(request.query);
  const selected = selectedProperties(request.query, CALENDAR_PROPERTIES, unknownProperty('calendar'));
  const graphBase = graphBaseUrl(context);
  const all = calendarsOf(graphBase, request.tenant, user);
  return ok({
    '@odata.context': `${graphBase}/$metadata#users('${userKey}')/calendars${selected ? `(${selected.join(',')})` : ''}`,
    value: all.slice(skip, skip + top).map((calendar) => project(calendar, selected, ['@odata.id', 'id'])),
    ...(skip + top < all.length ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skip', skip + top) } : {}),
  });
}

/** GET /users/{id}/calendar and /users/{id}/calendars/{cid}. */
export function getCalendar(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string): GraphResult {
  const user = openMailbox(context, request, userKey);
  const calendar = findCalendar(context, request, user, calendarId);
  const selected = selectedProperties(request.query, CALENDAR_PROPERTIES, unknownProperty('calendar'));
  const segment = calendarId === undefined ? 'calendar' : 'calendars';
  return ok({ '@odata.context': `${graphBaseUrl(context)}/$metadata#users('${userKey}')/${segment}/$entity`, ...project(calendar, selected, ['@odata.id', 'id']) });
}

/** GET /users/{id}/calendarView, /users/{id}/calendar/calendarView and /users/{id}/calendars/{cid}/calendarView. */
export function listCalendarView(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string | null): GraphResult {
  const user = openMailbox(context, request, userKey);
  const calendar = findCalendar(context, request, user, calendarId ?? undefined);
  const { windowStart, windowEnd } = timeWindow(request.query);
  const { top, skip } = outlookPaging(request.query);
  const selected = selectedProperties(request.query, EVENT_PROPERTIES, unknownProperty('event'));
  const hidden = hasAnyRole(request, FULL_EVENT_ROLES) ? [] : NON_BASIC_EVENT_PROPERTIES;
  const page: Record<string, unknown>[] = [];
  let hasMore = false;
  if (calendar.isDefaultCalendar) {
    let index = 0;
    for (const event of eventsBetween(request.tenant, user, windowStart, windowEnd)) {
      if (index++ < skip) continue;
      if (page.length === top) {
        hasMore = true;
        break;
      }
      page.push(withoutProperties(project(event, selected, ['@odata.etag', 'id']), hidden));
    }
  }
  const graphBase = graphBaseUrl(context);
  const viewPath = calendarId === undefined ? 'calendarView' : calendarId === null ? 'calendar/calendarView' : `calendars('${calendarId}')/calendarView`;
  return ok({
    '@odata.context': `${graphBase}/$metadata#users('${userKey}')/${viewPath}${selected ? `(${selected.join(',')})` : ''}`,
    value: page,
    ...(hasMore ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skip', skip + top) } : {}),
  });
}

/**
 * What Exchange checks before it reads a mailbox: the app's calendar role, that the user exists,
 * an application access policy (forbiddenUsers), and that the user has an Exchange Online mailbox.
 */
function openMailbox(context: FakeContext, request: GraphRequest, userKey: string): FakeUser {
  requireRole(request, CALENDAR_ROLES, accessDenied);
  const user = context.directory.findUser(request.tenant, userKey);
  if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userKey}' is invalid.`);
  if (userInSet(context.faults.forbiddenUsers, user.id)) throw accessDenied();
  if (user.mail === null || userInSet(context.faults.mailboxDisabledUsers, user.id)) {
    throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  return user;
}

/** calendarId undefined = the default calendar. */
function findCalendar(context: FakeContext, request: GraphRequest, user: FakeUser, calendarId: string | undefined): Record<string, unknown> {
  const calendars = calendarsOf(graphBaseUrl(context), request.tenant, user);
  const calendar = calendarId === undefined ? calendars[0] : calendars.find((each) => each.id === calendarId);
  if (!calendar) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return calendar;
}

function timeWindow(query: URLSearchParams): { windowStart: Date; windowEnd: Date } {
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

function accessDenied(): GraphError {
  return new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

function unknownProperty(typeName: string): (name: string) => GraphError {
  return (name) => new GraphError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
}

function withoutProperties(resource: Record<string, unknown>, names: string[]): Record<string, unknown> {
  if (names.length === 0) return resource;
  return Object.fromEntries(Object.entries(resource).filter(([name]) => !names.includes(name)));
}

function ok(body: unknown): GraphResult {
  return { status: 200, body };
}
