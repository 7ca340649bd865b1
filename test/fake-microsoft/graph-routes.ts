import type { FakeContext } from './context';
import { getCalendar, listCalendarView, listCalendars } from './graph-calendar-handlers';
import { getOrganization, getUser, listUsers } from './graph-directory-handlers';
import { GraphError, graphErrorResult, type GraphRequest, type GraphResult } from './graph-envelope';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, reauthorizeSubscription, updateSubscription } from './subscription-handlers';
import { MAILBOX_ROUTES } from './mailbox-routes';

/** May answer asynchronously (a subscription's validation handshake calls back the client first). */
type RouteHandler = (context: FakeContext, request: GraphRequest, params: string[]) => GraphResult | Promise<GraphResult>;

interface GraphRoute {
  method: string;
  /** Also the counter key: 'GET /users/{id}/calendars'. */
  template: string;
  handle: RouteHandler;
}

/** The Graph v1.0 surface the fake serves, shared by top-level requests and $batch items. */
const ROUTES: GraphRoute[] = [
  { method: 'GET', template: '/organization', handle: (context, request) => getOrganization(context, request) },
  { method: 'GET', template: '/users', handle: (context, request) => listUsers(context, request) },
  { method: 'GET', template: '/users/{id}', handle: (context, request, [userKey]) => getUser(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/calendars', handle: (context, request, [userKey]) => listCalendars(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/calendar', handle: (context, request, [userKey]) => getCalendar(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/calendars/{calendarId}', handle: (context, request, [userKey, calendarId]) => getCalendar(context, request, userKey, calendarId) },
  { method: 'GET', template: '/users/{id}/calendarView', handle: (context, request, [userKey]) => listCalendarView(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/calendar/calendarView', handle: (context, request, [userKey]) => listCalendarView(context, request, userKey, null) },
  {
    method: 'GET',
    template: '/users/{id}/calendars/{calendarId}/calendarView',
    handle: (context, request, [userKey, calendarId]) => listCalendarView(context, request, userKey, calendarId),
  },
  { method: 'POST', template: '/subscriptions', handle: (context, request) => createSubscription(context, request) },
  { method: 'GET', template: '/subscriptions', handle: (context, request) => listSubscriptions(context, request) },
  { method: 'GET', template: '/subscriptions/{id}', handle: (context, request, [id]) => getSubscription(context, request, id) },
  { method: 'PATCH', template: '/subscriptions/{id}', handle: (context, request, [id]) => updateSubscription(context, request, id) },
  { method: 'DELETE', template: '/subscriptions/{id}', handle: (context, request, [id]) => deleteSubscription(context, request, id) },
  { method: 'POST', template: '/subscriptions/{id}/reauthorize', handle: (context, request, [id]) => reauthorizeSubscription(context, request, id) },
  ...MAILBOX_ROUTES,
];

export interface RouteMatch {
  route: GraphRoute | undefined;
  /** The counter key: the route template, or '<METHOD> (no route)'. */
  key: string;
  params: string[];
}

/** Literal segments match case-insensitively, as Graph's do ('calendarview' works); parameters are percent-decoded. */
export function matchGraphRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  for (const route of ROUTES) {
    const templateSegments = route.template.split('/').filter(Boolean);
    if (route.method !== method || templateSegments.length !== segments.length) continue;
    const params: string[] = [];
    const matches = templateSegments.every((expected, index) => {
      if (expected.startsWith('{')) {
        params.push(segments[index]);
        return segments[index].length > 0;
      }
      return expected.toLowerCase() === segments[index].toLowerCase();
    });
    if (matches) return { route, key: `${method} ${route.template}`, params };
  }
  return { route: undefined, key: `${method} (no route)`, params: [] };
}

export async function executeGraphRoute(context: FakeContext, request: GraphRequest, match = matchGraphRoute(request.method, request.path)): Promise<GraphResult> {
  try {
    if (!match.route) throw unmatched(request.path);
    return await match.route.handle(context, request, match.params);
  } catch (error) {
    if (error instanceof GraphError) return graphErrorResult(error, request);
    throw error;
  }
}

function unmatched(path: string): GraphError {
  // App-only tokens have no signed-in user, and Graph says so rather than 404.
  if (/^\/?me(\/|$)/i.test(path)) return new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  return new GraphError(404, 'ResourceNotFound', 'Resource could not be discovered.');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
