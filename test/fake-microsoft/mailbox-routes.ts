import type { FakeContext } from './context';
import type { GraphRequest, GraphResult } from './graph-envelope';
import { calendarDelta } from './calendar-delta';
import { createEventRoute, deleteEventRoute, eventActionRoute, updateEventRoute } from './event-write-handlers';
import { getEvent } from './graph-calendar-handlers';
import { listRoomLists, listRooms, listRoomsOfList } from './place-handlers';
import { getMailboxSettings, getSchedule } from './schedule-handlers';

/**
 * Graph routes of the mailbox features (single events, writes, schedules, places, delta), in the
 * shape of graph-routes.ts's table, which spreads them in. Templates are also the counter keys.
 */
export interface MailboxRoute {
  method: string;
  template: string;
  handle: (context: FakeContext, request: GraphRequest, params: string[]) => GraphResult | Promise<GraphResult>;
}

/** The three ways Graph addresses a mailbox's event: any calendar, the default calendar, a named calendar. */
const EVENT_PATHS: Array<{ prefix: string; calendarOf: (params: string[]) => string | null | undefined; rest: (params: string[]) => string[] }> = [
  { prefix: '/users/{id}/events', calendarOf: () => undefined, rest: (params) => params.slice(1) },
  { prefix: '/users/{id}/calendar/events', calendarOf: () => null, rest: (params) => params.slice(1) },
  { prefix: '/users/{id}/calendars/{calendarId}/events', calendarOf: (params) => params[1], rest: (params) => params.slice(2) },
];

export const MAILBOX_ROUTES: MailboxRoute[] = [
  ...EVENT_PATHS.flatMap(({ prefix, calendarOf, rest }) => [
    { method: 'POST', template: prefix, handle: (context: FakeContext, request: GraphRequest, params: string[]) => createEventRoute(context, request, params[0], calendarOf(params)) },
    { method: 'GET', template: `${prefix}/{eventId}`, handle: (context: FakeContext, request: GraphRequest, params: string[]) => getEvent(context, request, params[0], rest(params)[0], calendarOf(params)) },
    { method: 'PATCH', template: `${prefix}/{eventId}`, handle: (context: FakeContext, request: GraphRequest, params: string[]) => updateEventRoute(context, request, params[0], rest(params)[0], calendarOf(params)) },
    { method: 'DELETE', template: `${prefix}/{eventId}`, handle: (context: FakeContext, request: GraphRequest, params: string[]) => deleteEventRoute(context, request, params[0], rest(params)[0], calendarOf(params)) },
    {
      method: 'POST',
      template: `${prefix}/{eventId}/{action}`,
      handle: (context: FakeContext, request: GraphRequest, params: string[]) => eventActionRoute(context, request, params[0], rest(params)[0], rest(params)[1], calendarOf(params)),
    },
  ]),
  { method: 'GET', template: '/users/{id}/calendarView/delta', handle: (context, request, [userKey]) => calendarDelta(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/calendar/calendarView/delta', handle: (context, request, [userKey]) => calendarDelta(context, request, userKey, null) },
  { method: 'GET', template: '/users/{id}/calendars/{calendarId}/calendarView/delta', handle: (context, request, [userKey, calendarId]) => calendarDelta(context, request, userKey, calendarId) },
  { method: 'POST', template: '/users/{id}/calendar/getSchedule', handle: (context, request, [userKey]) => getSchedule(context, request, userKey) },
  { method: 'POST', template: '/users/{id}/calendar/microsoft.graph.getSchedule', handle: (context, request, [userKey]) => getSchedule(context, request, userKey) },
  { method: 'GET', template: '/users/{id}/mailboxSettings', handle: (context, request, [userKey]) => getMailboxSettings(context, request, userKey) },
  { method: 'GET', template: '/places/microsoft.graph.room', handle: (context, request) => listRooms(context, request) },
  { method: 'GET', template: '/places/microsoft.graph.roomList', handle: (context, request) => listRoomLists(context, request) },
  { method: 'GET', template: '/places/{roomListEmail}/microsoft.graph.roomList/rooms', handle: (context, request, [listEmail]) => listRoomsOfList(context, request, listEmail) },
];
