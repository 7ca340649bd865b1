import { randomUUID } from 'node:crypto';
import type { FakeContext } from './context';
import { outlookId } from './event-ids';
import { applyEventInput, readEventInput } from './event-input';
import { emailAddressOf, eventResource, iCalUIdFor, type EventRecord } from './event-record';
import { findEvent } from './graph-calendar-handlers';
import { GraphError } from './graph-envelope';
import { onlineMeetingsAllowed } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import { cancelAttendeeCopies, deliverToAttendees, isoTime, tellOrganizer, withRoomAcceptances } from './meeting-invitations';

/**
 * Event writes as Exchange performs them, shared by the Graph routes and the test controls:
 * create (with transactionId de-duplication), update, delete, cancel, and the three responses.
 * `calendarId` as in findEvent: undefined any calendar, null the default one.
 */

export type EventResponse = 'accept' | 'tentativelyAccept' | 'decline';
const RESPONSES: Record<EventResponse, { response: string; showAs?: string }> = {
  accept: { response: 'accepted' },
  tentativelyAccept: { response: 'tentativelyAccepted', showAs: 'tentative' },
  decline: { response: 'declined' },
};

/** `created` false: the transactionId was seen before and Graph returns the event it created then. */
export function createEvent(context: FakeContext, owner: MailboxOwner, calendarIndex: number, body: unknown): { event: EventRecord; created: boolean } {
  const input = readEventInput(body);
  const transactionId = typeof input.transactionId === 'string' && input.transactionId !== '' ? input.transactionId : undefined;
  const earlierId = transactionId && context.mailboxes.transactionEventId(owner, transactionId);
  const earlier = earlierId ? context.mailboxes.find(owner, earlierId) : undefined;
  if (earlier) return { event: earlier, created: false };
  if (input.start === undefined || input.end === undefined) throw new GraphError(400, 'ErrorPropertyValidationFailure', 'At least one property failed validation.');
  const nowMs = Date.now();
  const id = outlookId(`created:${owner.mailbox.id}:${randomUUID()}`);
  const core = { id, subject: '', startMs: 0, endMs: 0, isAllDay: false, organizer: emailAddressOf(owner.mailbox), isOrganizer: true, createdMs: nowMs };
  const blank: EventRecord = { id, calendarIndex, startMs: 0, endMs: 0, resource: eventResource(core, { iCalUId: iCalUIdFor(id), responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' } }) };
  const event = withRoomAcceptances(owner, applyEventInput(blank, input, { owner, nowMs, onlineMeetingsAllowed: onlineMeetingsAllowed(context, owner) }), nowMs);
  context.mailboxes.save(owner, event, 'created');
  if (transactionId) context.mailboxes.rememberTransaction(owner, transactionId, id);
  deliverToAttendees(context, owner, event, nowMs);
  context.counters.createdEvents++;
  return { event, created: true };
}

/** Only the given properties change; an organizer's change reaches the attendees' copies, an attendee's stays in their copy. */
export function updateEvent(context: FakeContext, owner: MailboxOwner, eventId: string, calendarId: string | null | undefined, body: unknown): EventRecord {
  const existing = findEvent(context, owner, eventId, calendarId);
  const nowMs = Date.now();
  let event = applyEventInput(existing, readEventInput(body), { owner, nowMs, onlineMeetingsAllowed: onlineMeetingsAllowed(context, owner) });
  if (event.resource.type === 'occurrence') event = { ...event, resource: { ...event.resource, type: 'exception' } };
  if (event.resource.isOrganizer) event = withRoomAcceptances(owner, event, nowMs);
  context.mailboxes.save(owner, event, 'updated');
  if (event.resource.isOrganizer) deliverToAttendees(context, owner, event, nowMs);
  return event;
}

/** Deleting a meeting as its organizer cancels it for the attendees (api-reference/v1.0/api/event-delete.md). */
export function deleteEvent(context: FakeContext, owner: MailboxOwner, eventId: string, calendarId?: string | null): void {
  const event = findEvent(context, owner, eventId, calendarId);
  context.mailboxes.remove(owner, event);
  if (event.resource.isOrganizer) cancelAttendeeCopies(context, owner, event, Date.now());
}

/** api-reference/v1.0/api/event-cancel.md: organizer only; the event leaves the organizer's calendar and the attendees' copies are cancelled. */
export function cancelEvent(context: FakeContext, owner: MailboxOwner, eventId: string, calendarId: string | null | undefined): void {
  const event = findEvent(context, owner, eventId, calendarId);
  if (!event.resource.isOrganizer) throw new GraphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You need to be an organizer to cancel a meeting.");
  deleteEvent(context, owner, eventId, calendarId);
}

export function respondToEvent(context: FakeContext, owner: MailboxOwner, eventId: string, calendarId: string | null | undefined, action: EventResponse, body: unknown): void {
  const event = findEvent(context, owner, eventId, calendarId);
  const { sendResponse = true, proposedNewTime } = (body ?? {}) as { sendResponse?: boolean; proposedNewTime?: unknown };
  // Not documented; third-party live observation of Graph's answer to an organizer responding.
  if (event.resource.isOrganizer) throw new GraphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.");
  // api-reference/v1.0/api/event-decline.md: proposedNewTime needs sendResponse and an event that allows proposals.
  if (proposedNewTime !== undefined && (action === 'accept' || sendResponse === false || event.resource.allowNewTimeProposals === false)) {
    throw new GraphError(400, 'ErrorInvalidParameter', 'proposedNewTime requires sendResponse true and an event whose allowNewTimeProposals is true.');
  }
  const nowMs = Date.now();
  const answer = RESPONSES[action];
  const resource = { ...event.resource, responseStatus: { response: answer.response, time: isoTime(nowMs) }, ...(answer.showAs ? { showAs: answer.showAs } : {}) };
  // Declining moves the event to Deleted Items, so it leaves the calendar (and calendarView, and delta as @removed).
  if (action === 'decline') context.mailboxes.remove(owner, event);
  else context.mailboxes.save(owner, { ...event, resource }, 'updated');
  if (sendResponse !== false) tellOrganizer(context, owner, event, answer.response, nowMs);
}
