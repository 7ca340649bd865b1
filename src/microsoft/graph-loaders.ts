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
  type GraphCalendar,
  type GraphEvent,
  type GraphUser,
} from './graph-resources';
import { OUTLOOK_PAGE_SIZE } from './graph-limits';
import { graphRouteTemplate } from './graph-route';
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
  const requests = userIds.map((userId, index) => ({
    id: String(index),
    url: `/users/${encodeURIComponent(userId)}?$select=${USER_SELECT}`,
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
      return toGatewayError(graphRequestErrorFrom(answer, `GET ${graphRouteTemplate(request.url)}`), { userId });
    }
    return mapped(() => toGraphUser(answer.body as Record<string, unknown>), request.url, userId);
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
    return mapped(() => result.items.map(toItem), read.url, read.userId);
  });
}

/** An answer we cannot map (a date in an unexpected zone…) fails its own key with the reason. */
function mapped<T>(map: () => T, url: string, userId: string): T | Error {
  try {
    return map();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return toGatewayError(new GraphRequestError(502, 'UnreadableResponse', reason, `GET ${graphRouteTemplate(url)}`), { userId });
  }
}
