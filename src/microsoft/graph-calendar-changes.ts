import type { GraphClient, TenantAccess } from './graph-client';
import { OUTLOOK_PAGE_SIZE } from './graph-limits';
import { EVENT_READ_PREFERENCES } from './graph-loaders';
import { GraphRequestError, graphRequestErrorFrom } from './graph-request-error';
import { EVENT_PROPERTIES, toGraphEvent, type GraphEvent } from './graph-events';
import { UnexpectedPayloadError } from './graph-resources';
import { graphSelect } from './graph-selection';

/**
 * Reading what changed in a mailbox's default calendar: events by id (after a change
 * notification, which carries no data) and calendar delta (after lost notifications), in UTC and
 * with immutable ids, as the subscriptions ask for.
 */

/** One event as it is now, with the version (changeKey) that tells one edit from a repeat of the same one. */
export interface ObservedEvent {
  eventId: string;
  version: string;
  createdAt: Date | null;
  modifiedAt: Date | null;
  event: GraphEvent;
}

export type DeltaItem = { removed: false; observed: ObservedEvent } | { removed: true; eventId: string };

const PREFER = EVENT_READ_PREFERENCES;
/** Every field of the gateway's Event: a webhook carries the whole event. */
const EVENT_SELECT = graphSelect(EVENT_PROPERTIES, new Set(Object.keys(EVENT_PROPERTIES)));
const DELTA_PREFER = `${PREFER}, odata.maxpagesize=${OUTLOOK_PAGE_SIZE}`;
/** A runaway nextLink chain stops here instead of looping. */
const MAX_DELTA_PAGES = 200;

/** The delta token expired (410, syncStateNotFound): start again from the window. */
export class DeltaTokenExpired extends Error {
  constructor() {
    super('Graph no longer has the sync state of this calendar delta (syncStateNotFound)');
    this.name = 'DeltaTokenExpired';
  }
}

/** The event's version and mapped fields, from a full event or one read with $select. Throws UnexpectedPayloadError for what cannot be read. */
export function observedEvent(raw: Record<string, unknown>): ObservedEvent {
  const event = toGraphEvent(raw);
  const etag = typeof raw['@odata.etag'] === 'string' ? raw['@odata.etag'].replace(/^W\/"(.*)"$/, '$1') : null;
  return {
    eventId: event.id,
    version: typeof raw.changeKey === 'string' ? raw.changeKey : (etag ?? ''),
    createdAt: dateOrNull(raw.createdDateTime),
    modifiedAt: dateOrNull(raw.lastModifiedDateTime),
    event,
  };
}

/** Events by id in $batch calls; an event that no longer exists is null; a failure is that key's GraphRequestError. */
export async function readEvents(
  graph: GraphClient,
  access: TenantAccess,
  keys: ReadonlyArray<{ userId: string; eventId: string }>,
): Promise<Array<ObservedEvent | null | GraphRequestError>> {
  const route = 'GET /users/{id}/events/{id}';
  const select = [...new Set([...EVENT_SELECT.split(','), 'changeKey', 'createdDateTime', 'lastModifiedDateTime'])].join(',');
  const answers = await graph.batch(
    access,
    keys.map((key, index) => ({
      id: String(index),
      url: `/users/${encodeURIComponent(key.userId)}/events/${encodeURIComponent(key.eventId)}?$select=${select}`,
      headers: { Prefer: PREFER },
      route,
    })),
  );
  return keys.map((_, index) => {
    const answer = answers.get(String(index))!;
    if (answer.status === 404) return null;
    if (answer.status < 200 || answer.status >= 300) return graphRequestErrorFrom(answer, route);
    try {
      return observedEvent(answer.body as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof UnexpectedPayloadError)) throw error;
      return new GraphRequestError(502, 'UnreadableResponse', error.message, route);
    }
  });
}

/**
 * One round of calendar delta: from `deltaLink` (the changes since the last round), or a first
 * round over `window` (every event in it). Returns the items in order and the link for the next
 * round. An event that left the window comes back as removed, as Graph reports it.
 */
export async function readCalendarDelta(
  graph: GraphClient,
  access: TenantAccess,
  from: { userId: string; deltaLink: string } | { userId: string; window: { start: Date; end: Date } },
  /** which present events to map, by their lastModifiedDateTime (a first round over a window may need none of them) */
  keep: (modifiedAt: Date | null) => boolean = () => true,
): Promise<{ items: DeltaItem[]; deltaLink: string }> {
  const route = 'GET /users/{id}/calendarView/delta';
  let url =
    'deltaLink' in from
      ? graph.relativeUrlOf(from.deltaLink, route)
      : `/users/${encodeURIComponent(from.userId)}/calendarView/delta?startDateTime=${from.window.start.toISOString()}&endDateTime=${from.window.end.toISOString()}`;
  const items: DeltaItem[] = [];
  for (let page = 0; page < MAX_DELTA_PAGES; page++) {
    let body: { value?: Array<Record<string, unknown>>; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    try {
      body = await graph.get(access, url, { Prefer: DELTA_PREFER });
    } catch (error) {
      if (error instanceof GraphRequestError && (error.status === 410 || error.graphCode === 'syncStateNotFound')) throw new DeltaTokenExpired();
      throw error;
    }
    for (const item of body.value ?? []) {
      const removed = item['@removed'] !== undefined;
      if (removed && typeof item.id === 'string') items.push({ removed: true, eventId: item.id });
      else if (!removed && keep(dateOrNull(item.lastModifiedDateTime))) items.push({ removed: false, observed: observedEvent(item) });
    }
    if (body['@odata.deltaLink']) return { items, deltaLink: body['@odata.deltaLink'] };
    if (!body['@odata.nextLink']) throw new GraphRequestError(502, 'InvalidResponse', 'Graph ended a calendar delta page with neither a nextLink nor a deltaLink', route);
    url = graph.relativeUrlOf(body['@odata.nextLink'], route);
  }
  throw new GraphRequestError(502, 'TooManyPages', `Graph kept sending calendar delta pages after ${MAX_DELTA_PAGES}; the gateway stopped reading`, route);
}

function dateOrNull(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
