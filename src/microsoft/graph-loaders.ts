import DataLoader from 'dataloader';
import type { GraphClient, TenantAccess } from './graph-client';
import { GraphRequestError, graphRequestErrorFrom } from './graph-request-error';
import { readPagesInBatches, type PagedRead } from './graph-paged-batch';
import { toGraphEvent, type GraphEvent } from './graph-events';
import { ROOM_SELECT, toGraphRoom, type GraphRoom } from './graph-places';
import { USER_SELECT, toGraphCalendar, toGraphUser, UnexpectedPayloadError, type GraphCalendar, type GraphUser } from './graph-resources';
import { createScheduleLoader, type ScheduleKey } from './graph-schedule-loader';
import type { GraphSchedule } from './graph-schedules';
import { mergeSelections, spreadToPositions } from './graph-selection';
import { OUTLOOK_PAGE_SIZE } from './graph-limits';
import { toGatewayError } from './to-gateway-error';

/** A user's calendars, with the `$select` the query's fields need (see graph-selection). */
export interface CalendarsKey {
  userId: string;
  select: string;
}

/** The events of a window in a user's default calendar, or in `calendarId`. */
export interface CalendarViewKey {
  userId: string;
  calendarId?: string;
  start: Date;
  end: Date;
  select: string;
}

/**
 * UTC is already Graph's default; saying so keeps a mailbox setting from changing it. Immutable
 * ids keep an event's id when it moves between folders, and are what webhooks and writes use, so a
 * read, a change notification and an update all name an event the same way.
 */
export const EVENT_READ_PREFERENCES = 'outlook.timezone="UTC", IdType="ImmutableId"';

export interface GraphLoaders {
  user: DataLoader<string, GraphUser | null>;
  calendars: DataLoader<CalendarsKey, GraphCalendar[], string>;
  calendarView: DataLoader<CalendarViewKey, GraphEvent[], string>;
  schedule: DataLoader<ScheduleKey, GraphSchedule, string>;
  /** by room list email */
  roomsOfList: DataLoader<string, GraphRoom[]>;
}

/**
 * Per GraphQL request and tenant: every user, calendars or events field resolved in the same
 * tick is collected, de-duplicated and sent as `$batch` calls, so a page of 100 users with
 * their calendars costs 5 round trips. A key that Graph refuses (no permission, no mailbox)
 * rejects alone with a contract error; the other keys still resolve.
 */
export function createGraphLoaders(graph: GraphClient, access: TenantAccess): GraphLoaders {
  return {
    user: new DataLoader((userIds) => loadUsers(graph, access, userIds)),
    calendars: new DataLoader(
      async (keys) => {
        const merged = mergeSelections(keys, (key) => key.userId);
        const reads = merged.map(({ key, select }) => ({
          key: key.userId,
          userId: key.userId,
          route: 'GET /users/{id}/calendars',
          url: `/users/${encodeURIComponent(key.userId)}/calendars?$select=${select}&$top=${OUTLOOK_PAGE_SIZE}`,
        }));
        return spreadToPositions(merged, await loadCollections(graph, access, reads, toGraphCalendar), keys.length);
      },
      { cacheKeyFn: (key) => `${key.userId}|${key.select}` },
    ),
    calendarView: new DataLoader(
      async (keys) => {
        const merged = mergeSelections(keys, calendarViewResource);
        const reads = merged.map(({ key, select }) => ({
          key: calendarViewResource(key),
          userId: key.userId,
          route: key.calendarId === undefined ? 'GET /users/{id}/calendarView' : 'GET /users/{id}/calendars/{id}/calendarView',
          url:
            `/users/${encodeURIComponent(key.userId)}${key.calendarId === undefined ? '' : `/calendars/${encodeURIComponent(key.calendarId)}`}/calendarView` +
            `?startDateTime=${key.start.toISOString()}&endDateTime=${key.end.toISOString()}` +
            `&$select=${select}&$top=${OUTLOOK_PAGE_SIZE}`,
          headers: { Prefer: EVENT_READ_PREFERENCES },
        }));
        return spreadToPositions(merged, await loadCollections(graph, access, reads, toGraphEvent), keys.length);
      },
      { cacheKeyFn: (key) => `${calendarViewResource(key)}|${key.select}` },
    ),
    schedule: createScheduleLoader(graph, access),
    roomsOfList: new DataLoader((listEmails) =>
      loadCollections(
        graph,
        access,
        listEmails.map((email) => ({
          key: email,
          route: 'GET /places/{id}/microsoft.graph.roomList/rooms',
          url: `/places/${encodeURIComponent(email)}/microsoft.graph.roomList/rooms?$select=${ROOM_SELECT}&$top=${OUTLOOK_PAGE_SIZE}`,
        })),
        toGraphRoom,
      ),
    ),
  };
}

/** Which calendar view a key reads, whatever fields it selects. */
function calendarViewResource(key: CalendarViewKey): string {
  return `${key.userId}|${key.calendarId ?? ''}|${key.start.toISOString()}|${key.end.toISOString()}`;
}

async function loadUsers(
  graph: GraphClient,
  access: TenantAccess,
  userIds: readonly string[],
): Promise<Array<GraphUser | null | Error>> {
  const route = 'GET /users/{id}';
  const requests = userIds.map((userId, index) => ({
    id: String(index),
    url: `/users/${encodeURIComponent(userId)}?$select=${USER_SELECT}`,
    route,
  }));
  let answers;
  try {
    answers = await graph.batch(access, requests);
  } catch (error) {
    throw toGatewayError(error);
  }
  return requests.map((request, index) => {
    const userId = userIds[index]!;
    const answer = answers.get(request.id)!;
    // An unknown id is an answer ("no such user"), not a failure.
    if (answer.status === 404) return null;
    if (answer.status < 200 || answer.status >= 300) {
      return toGatewayError(graphRequestErrorFrom(answer, route), { userId });
    }
    return mapped(() => toGraphUser(answer.body), route, userId);
  });
}

async function loadCollections<T>(
  graph: GraphClient,
  access: TenantAccess,
  reads: Array<PagedRead & { userId?: string }>,
  toItem: (raw: Record<string, unknown>) => T,
): Promise<Array<T[] | Error>> {
  let results;
  try {
    results = await readPagesInBatches(graph, access, reads);
  } catch (error) {
    throw toGatewayError(error);
  }
  return reads.map((read) => {
    const result = results.get(read.key)!;
    if ('error' in result) return toGatewayError(result.error, { userId: read.userId });
    return mapped(() => result.items.map(toItem), read.route, read.userId);
  });
}

/** An answer we cannot read (a missing id, a date in another zone) fails its own key with the reason; a bug still throws. */
function mapped<T>(map: () => T, route: string, userId: string | undefined): T | Error {
  try {
    return map();
  } catch (error) {
    if (!(error instanceof UnexpectedPayloadError)) throw error;
    return toGatewayError(new GraphRequestError(502, 'UnreadableResponse', error.message, route), { userId });
  }
}
