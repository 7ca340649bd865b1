import { z } from 'zod';
import { toGraphEvent, EVENT_PROPERTIES, type GraphEvent } from './graph-events';
import type { GraphClient, GraphWriteMethod, GraphWriteOptions, TenantAccess } from './graph-client';
import { GraphRequestError, graphRequestErrorFrom } from './graph-request-error';
import { graphDateTimeToDate, parsePayload } from './graph-resources';
import { EVENT_READ_PREFERENCES } from './graph-loaders';
import { graphSelect } from './graph-selection';
import { toGatewayError } from './to-gateway-error';
import { ianaZoneOf, instantOfWallClock } from '../time/time-zones';

/**
 * Graph's event writes: create (POST …/events with a transactionId, so a resend never books
 * twice), update (PATCH), delete, cancel, and the three answers to an invitation. Only a create
 * and a delete are ever sent again by the client; every other write is sent once. The events
 * they answer with are read in UTC, like every read of the gateway.
 */

/** What an event id or a calendar id of Outlook looks like: base64 ("AAMkAG…=", with - and _ in immutable ids). */
const OUTLOOK_ITEM_ID = /^[A-Za-z0-9+/_=-]{16,512}$/;

export function isOutlookItemId(value: string): boolean {
  return OUTLOOK_ITEM_ID.test(value);
}

export type EventAnswer = 'accept' | 'tentativelyAccept' | 'decline';

const UTC_TIMES = { Prefer: EVENT_READ_PREFERENCES };
/** Writes answer with immutable ids too, so the id a create returns is the one reads and webhooks show. */
const IMMUTABLE_IDS = 'IdType="ImmutableId"';
const ALL_EVENT_PROPERTIES = graphSelect(EVENT_PROPERTIES, new Set(Object.keys(EVENT_PROPERTIES)));
const rolePayload = z.object({ isOrganizer: z.boolean().nullish() });

/** Each write in words, and what to do when its outcome is unknown. */
const WRITES = {
  create: { action: 'the booking of the event', ifUnknown: 'Send it again with the same idempotencyKey, which never books twice; without one, look in the calendar first.' },
  update: { action: 'the update of the event', ifUnknown: 'Read the event before changing it again.' },
  delete: { action: 'the deletion of the event', ifUnknown: 'Delete it again if it is still there.' },
  cancel: { action: 'the cancellation of the event', ifUnknown: 'Read the calendar before cancelling again: a cancelled meeting leaves it.' },
  answer: { action: 'the answer to the invitation', ifUnknown: "Read the event's response before answering again." },
};

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`;
const eventPath = (userId: string, eventId: string) => `${userPath(userId)}/events/${encodeURIComponent(eventId)}`;

/**
 * Books the event in the user's default calendar or in `calendarId`. A repeated transactionId
 * makes Graph answer with the event it created the first time, which is what makes a lost
 * answer safe to ask for again.
 */
export async function createGraphEvent(
  graph: GraphClient,
  access: TenantAccess,
  target: { userId: string; calendarId?: string | null },
  body: Record<string, unknown>,
  transactionId: string,
): Promise<GraphEvent> {
  const collection = target.calendarId ? `${userPath(target.userId)}/calendars/${encodeURIComponent(target.calendarId)}/events` : `${userPath(target.userId)}/events`;
  const answer = await send(graph, access, 'POST', collection, { body: { ...body, transactionId }, resend: true }, target.userId, WRITES.create);
  return eventOfAnswer(graph, access, target.userId, answer.body);
}

/** The event with every field the gateway maps; null when the mailbox has no such event. */
export async function readGraphEvent(graph: GraphClient, access: TenantAccess, userId: string, eventId: string): Promise<GraphEvent | null> {
  try {
    return toGraphEvent(await graph.get(access, `${eventPath(userId, eventId)}?$select=${ALL_EVENT_PROPERTIES}`, UTC_TIMES));
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 404 && error.graphCode === 'ErrorItemNotFound') return null;
    throw toGatewayError(error, { userId });
  }
}

/** Whether the user organizes the event (only the organizer may cancel it; only attendees may answer it). */
export async function isOrganizerOf(graph: GraphClient, access: TenantAccess, userId: string, eventId: string): Promise<boolean> {
  try {
    const raw = await graph.get(access, `${eventPath(userId, eventId)}?$select=isOrganizer`);
    return parsePayload(rolePayload, raw, 'an event').isOrganizer === true;
  } catch (error) {
    throw toGatewayError(error, { userId });
  }
}

/** Changes only the properties in `body`; sent once (a resent PATCH would send attendees a second update). */
export async function updateGraphEvent(graph: GraphClient, access: TenantAccess, userId: string, eventId: string, body: Record<string, unknown>): Promise<GraphEvent> {
  const answer = await send(graph, access, 'PATCH', eventPath(userId, eventId), { body, resend: false }, userId, WRITES.update);
  return eventOfAnswer(graph, access, userId, answer.body);
}

/** Deletes the event (an organizer's delete cancels the meeting for its attendees). A resend that finds nothing means the first one did it. */
export async function deleteGraphEvent(graph: GraphClient, access: TenantAccess, userId: string, eventId: string): Promise<void> {
  await send(graph, access, 'DELETE', eventPath(userId, eventId), { resend: true }, userId, WRITES.delete);
}

/** The organizer calls the meeting off: attendees get the cancellation with the comment. */
export async function cancelGraphEvent(graph: GraphClient, access: TenantAccess, userId: string, eventId: string, comment: string | null): Promise<void> {
  await send(graph, access, 'POST', `${eventPath(userId, eventId)}/cancel`, { body: comment ? { comment } : {}, resend: false }, userId, WRITES.cancel);
}

export async function answerGraphEvent(
  graph: GraphClient,
  access: TenantAccess,
  userId: string,
  eventId: string,
  answer: { action: EventAnswer; comment: string | null; sendResponse: boolean },
): Promise<void> {
  const body = { sendResponse: answer.sendResponse, ...(answer.comment ? { comment: answer.comment } : {}) };
  await send(graph, access, 'POST', `${eventPath(userId, eventId)}/${answer.action}`, { body, resend: false }, userId, WRITES.answer);
}

/**
 * The event a POST or PATCH answered with. Graph ignores Prefer: outlook.timezone there: a create
 * answers in the zones its body named, an update in UTC (microsoft-graph-docs-contrib#8645,
 * #5029), so start and end are turned into UTC instants first; all-day events are floating dates
 * and stay as they are. A zone the gateway cannot read (a custom one) is read back in UTC instead.
 */
async function eventOfAnswer(graph: GraphClient, access: TenantAccess, userId: string, raw: unknown): Promise<GraphEvent> {
  try {
    const event = { ...((raw ?? {}) as Record<string, unknown>) };
    for (const name of ['start', 'end'] as const) {
      if (!Object.hasOwn(event, name)) continue;
      const utc = inUtc(event[name], event.isAllDay === true);
      if (utc === null) return (await readGraphEvent(graph, access, userId, String(event.id))) ?? toGraphEvent(raw);
      event[name] = utc;
    }
    return toGraphEvent(event);
  } catch (error) {
    throw toGatewayError(error, { userId });
  }
}

/** A dateTimeTimeZone as the same instant in UTC; null when its zone is none the gateway knows. */
function inUtc(value: unknown, floating: boolean): unknown {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  if (typeof timeZone !== 'string' || timeZone === 'UTC' || typeof dateTime !== 'string') return value;
  if (floating) return { dateTime, timeZone: 'UTC' };
  const zone = ianaZoneOf(timeZone);
  if (zone === null) return null;
  const wall = graphDateTimeToDate({ dateTime, timeZone: 'UTC' });
  const clock = { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
  return { dateTime: new Date(instantOfWallClock(clock, zone)).toISOString().replace(/Z$/, ''), timeZone: 'UTC' };
}

/** One write, its failure as a contract error that names the write (an unanswered one may have been made). */
async function send(graph: GraphClient, access: TenantAccess, method: GraphWriteMethod, url: string, options: GraphWriteOptions, userId: string, write: (typeof WRITES)[keyof typeof WRITES]) {
  try {
    const answer = await graph.write(access, method, url, { ...options, headers: { Prefer: IMMUTABLE_IDS, ...options.headers } });
    if (answer.status >= 200 && answer.status < 300) return answer;
    const error = graphRequestErrorFrom(answer, answer.route);
    if (method === 'DELETE' && answer.resent && error.graphCode === 'ErrorItemNotFound') return answer;
    throw error;
  } catch (error) {
    throw toGatewayError(error, { userId, write });
  }
}
