import DataLoader from 'dataloader';
import type { GraphClient, TenantAccess } from './graph-client';
import { GraphRequestError, graphRequestErrorFrom } from './graph-request-error';
import { readPagesInBatches, type PagedRead } from './graph-paged-batch';
import {
  CALENDAR_SELECT,
  EVENT_SELECT,
  USER_SELECT,
  toGraphCalendar,
  toGraphEvent,
  toGraphUser,
  UnexpectedPayloadError,
  type GraphCalendar,
  type GraphEvent,
  type GraphUser,
} from './graph-resources';
import { OUTLOOK_PAGE_SIZE } from './graph-limits';
import { toGatewayError } from './to-gateway-error';


export interface CalendarViewKey {
  userId: string;
  start: Date;
  end: Date;
}

export interface GraphLoaders {
  user: DataLoader<string, GraphUser | null>;
  calendars: DataLoader<string, GraphCalendar[]>;
  calendarView: DataLoader<CalendarViewKey, GraphEvent[], string>;
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
    calendars: new DataLoader((userIds) =>
      loadCollections(
        graph,
        access,
        userIds.map((userId) => ({
          key: userId,
          userId,
          route: 'GET /users/{id}/calendars',
          url: `/users/${encodeURIComponent(userId)}/calendars?$select=${CALENDAR_SELECT}&$top=${OUTLOOK_PAGE_SIZE}`,
        })),
        toGraphCalendar,
      ),
    ),
    calendarView: new DataLoader(
      (keys) =>
        loadCollections(
          graph,
          access,
          keys.map((key) => ({
            key: calendarViewCacheKey(key),
            userId: key.userId,
            route: 'GET /users/{id}/calendarView',
            url:
              `/users/${encodeURIComponent(key.userId)}/calendarView` +
              `?startDateTime=${key.start.toISOString()}&endDateTime=${key.end.toISOString()}` +
              `&$select=${EVENT_SELECT}&$top=${OUTLOOK_PAGE_SIZE}`,
            // UTC is already Graph's default; saying so keeps a mailbox setting from changing it.
            headers: { Prefer: 'outlook.timezone="UTC"' },
          })),
          toGraphEvent,
        ),
      { cacheKeyFn: calendarViewCacheKey },
    ),
  };
}

export function calendarViewCacheKey(key: CalendarViewKey): string {
  return `${key.userId}|${key.start.toISOString()}|${key.end.toISOString()}`;
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
  reads: Array<PagedRead & { userId: string }>,
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
function mapped<T>(map: () => T, route: string, userId: string): T | Error {
  try {
    return map();
  } catch (error) {
    if (!(error instanceof UnexpectedPayloadError)) throw error;
    return toGatewayError(new GraphRequestError(502, 'UnreadableResponse', error.message, route), { userId });
  }
}
