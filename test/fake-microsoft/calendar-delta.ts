import { createHmac } from 'node:crypto';
import { graphBaseUrl, type FakeContext } from './context';
import { renderEvent, type EventRecord } from './event-record';
import { timeWindow } from './graph-calendar-handlers';
import { GraphError, type GraphRequest, type GraphResult } from './graph-envelope';
import { findCalendar, openMailbox } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import { preferenceApplied, readPreferences, type RequestPreferences } from './request-preferences';

/**
 * GET …/calendarView/delta (api-reference/v1.0/api/event-delta.md, concepts/delta-query-events.md):
 * a first round pages through the window's events, then each round returns what changed since
 * the previous deltaLink: changed events in full, deleted ones (or ones that left the window)
 * as @removed. Tokens are positions in the store's change log, signed; they carry the window
 * and every option, so nextLink and deltaLink hold only the token.
 */

// Not documented for event delta; Outlook's usual page size. Prefer: odata.maxpagesize overrides it.
const DEFAULT_DELTA_PAGE = 10;
// event-delta.md: $select, $expand, $filter, $orderby and $search are not supported. $top is not mentioned; page with odata.maxpagesize.
const REFUSED_OPTIONS = ['$select', '$expand', '$filter', '$orderby', '$search', '$top', '$skip', '$count'];

interface DeltaState {
  tenantId: string;
  mailboxId: string;
  calendarIndex: number;
  windowStart: number;
  windowEnd: number;
  generation: string;
  /** 'snapshot': the first round, listing the window; 'changes': a later round; 'done': a deltaLink. */
  phase: 'snapshot' | 'changes' | 'done';
  /** snapshot: changes after this are the next round's; changes: the round covers (from, upTo]; done: the next round starts after it. */
  from: number;
  upTo: number;
  /** changes: how many of the round's items earlier pages returned. */
  offset: number;
  /** snapshot: the last event earlier pages returned, so deletions between pages shift nothing. */
  after?: { startMs: number; endMs: number; id: string };
}

export function calendarDelta(context: FakeContext, request: GraphRequest, userKey: string, calendarId?: string | null): GraphResult {
  const owner = openMailbox(context, request, userKey);
  const { index } = findCalendar(context, owner, calendarId ?? undefined);
  const refused = REFUSED_OPTIONS.filter((option) => request.query.has(option));
  // Not documented: the message; Outlook refuses query options it cannot track with a 400 ErrorInvalidUrlQuery.
  if (refused.length > 0) throw new GraphError(400, 'ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the 'CalendarView' resource: '${refused.join(', ')}'.`);
  const preferences = readPreferences(request);
  const state = startingState(context, request, owner, index);
  const pageSize = preferences.maxPageSize ?? DEFAULT_DELTA_PAGE;
  const items = state.phase === 'snapshot' ? snapshotItems(context, owner, state) : changedItems(context, owner, state).slice(state.offset);
  const page = items.slice(0, pageSize);
  const more = items.length > pageSize;
  const link = `${graphBaseUrl(context)}${request.path}`;
  const last = page[page.length - 1];
  const next: DeltaState = !more
    ? { ...state, phase: 'done', from: state.phase === 'snapshot' ? state.from : state.upTo, offset: 0, after: undefined }
    : state.phase === 'snapshot' && 'event' in last
      ? { ...state, after: { startMs: last.event.startMs, endMs: last.event.endMs, id: last.event.id } }
      : { ...state, offset: state.offset + pageSize };
  return {
    status: 200,
    headers: preferenceApplied(preferences, preferences.maxPageSize !== undefined),
    body: {
      '@odata.context': `${graphBaseUrl(context)}/$metadata#Collection(event)`,
      ...(more ? { '@odata.nextLink': `${link}?$skiptoken=${writeToken(context, next)}` } : { '@odata.deltaLink': `${link}?$deltatoken=${writeToken(context, next)}` }),
      value: page.map((item) => deltaItem(item, preferences)),
    },
  };
}

/** A first call (window from the query), a nextLink ($skiptoken) or a deltaLink ($deltatoken, which starts a new round of changes). */
function startingState(context: FakeContext, request: GraphRequest, owner: MailboxOwner, calendarIndex: number): DeltaState {
  const token = request.query.get('$skiptoken') ?? request.query.get('$deltatoken');
  if (token === null || token === '') {
    const { windowStart, windowEnd } = timeWindow(request.query);
    const base = { tenantId: owner.tenant.tenantId, mailboxId: owner.mailbox.id, calendarIndex, windowStart: windowStart.getTime(), windowEnd: windowEnd.getTime() };
    const now = context.mailboxes.currentSequence();
    return { ...base, generation: context.mailboxes.syncGeneration(owner), phase: 'snapshot', from: now, upTo: now, offset: 0 };
  }
  const state = readToken(context, token);
  const valid = state && state.tenantId === owner.tenant.tenantId && state.mailboxId === owner.mailbox.id && state.calendarIndex === calendarIndex;
  if (!valid || state.generation !== context.mailboxes.syncGeneration(owner)) throw syncStateNotFound(context, request, valid ? state : undefined);
  if (state.phase !== 'done') return state;
  return { ...state, phase: 'changes', upTo: context.mailboxes.currentSequence(), offset: 0 };
}

type DeltaItem = { event: EventRecord } | { removedId: string };

/** The window's events after the cursor, in calendarView order (start, end, id). */
function snapshotItems(context: FakeContext, owner: MailboxOwner, state: DeltaState): DeltaItem[] {
  const after = state.after;
  const isAfter = (event: EventRecord) => !after || event.startMs > after.startMs || (event.startMs === after.startMs && (event.endMs > after.endMs || (event.endMs === after.endMs && event.id > after.id)));
  return context.mailboxes.eventsBetween(owner, state.calendarIndex, state.windowStart, state.windowEnd).filter(isAfter).map((event) => ({ event }));
}

/** Each event changed in (from, upTo] once, in the order of its last change. */
function changedItems(context: FakeContext, owner: MailboxOwner, state: DeltaState): DeltaItem[] {
  const lastChange = new Map<string, number>();
  for (const entry of context.mailboxes.changesSince(owner, state.calendarIndex, state.from)) if (entry.sequence <= state.upTo) lastChange.set(entry.eventId, entry.sequence);
  const inWindow = new Set(context.mailboxes.eventsBetween(owner, state.calendarIndex, state.windowStart, state.windowEnd).map((event) => event.id));
  return [...lastChange.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([eventId]) => {
      const event = inWindow.has(eventId) ? context.mailboxes.find(owner, eventId) : undefined;
      return event ? { event } : { removedId: eventId };
    });
}

function deltaItem(item: DeltaItem, preferences: RequestPreferences): Record<string, unknown> {
  if ('removedId' in item) return { '@odata.type': '#microsoft.graph.event', id: item.removedId, '@removed': { reason: 'deleted' } };
  return { '@odata.type': '#microsoft.graph.event', ...renderEvent(item.event, preferences.timeZone) };
}

/**
 * concepts/delta-query-overview.md: an expired token is a 40X with code syncStateNotFound, and a
 * reset is a 410 whose Location restarts the round. The fake answers both ways at once: 410, that
 * code, and a Location for a fresh first round of the same window when the token still reads.
 */
function syncStateNotFound(context: FakeContext, request: GraphRequest, state: DeltaState | undefined): GraphError {
  const restart = state && `${graphBaseUrl(context)}${request.path}?startDateTime=${new Date(state.windowStart).toISOString()}&endDateTime=${new Date(state.windowEnd).toISOString()}&$deltatoken=`;
  return new GraphError(410, 'syncStateNotFound', 'The sync state for this delta token is no longer available. Restart synchronization without a token.', restart ? { Location: restart } : {});
}

function writeToken(context: FakeContext, state: DeltaState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${sign(context, payload)}`;
}

function readToken(context: FakeContext, token: string): DeltaState | undefined {
  const [payload, signature] = token.split('.');
  if (!payload || signature !== sign(context, payload)) return undefined;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DeltaState;
}

function sign(context: FakeContext, payload: string): string {
  return createHmac('sha256', context.pageTokenKey).update(`delta:${payload}`).digest('base64url').slice(0, 22);
}
