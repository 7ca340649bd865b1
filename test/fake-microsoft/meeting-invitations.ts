import type { FakeContext } from './context';
import { outlookId } from './event-ids';
import type { Attendee } from './event-input';
import { webLinkFor, type EventRecord } from './event-record';
import { mailboxByAddress } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import type { Meeting } from './mailbox-store';
import { base64From } from './seeded-random';

/**
 * What Exchange does for a meeting organised in the fake: every attendee in the same tenant gets
 * a copy in their default calendar (same iCalUId, isOrganizer false, not yet responded); rooms
 * accept at once and show the organizer's name as subject; the organizer's later changes reach
 * the copies; cancelling cancels the copies (rooms drop theirs); responses reach the organizer.
 */

/** Rooms among the attendees accept at once, so the organizer sees them accepted. */
export function withRoomAcceptances(organizer: MailboxOwner, event: EventRecord, nowMs: number): EventRecord {
  const attendees = (event.resource.attendees as Attendee[]).map((attendee) =>
    mailboxByAddress(organizer.tenant, attendee.emailAddress.address)?.isRoom && attendee.status.response === 'none' ? { ...attendee, status: { response: 'accepted', time: isoTime(nowMs) } } : attendee,
  );
  return { ...event, resource: { ...event.resource, attendees } };
}

/** Creates or refreshes each attendee's copy of the organizer's (already stored) event; attendees no longer invited get a cancellation. */
export function deliverToAttendees(context: FakeContext, organizer: MailboxOwner, event: EventRecord, nowMs: number): void {
  const iCalUId = String(event.resource.iCalUId);
  const meeting: Meeting = context.mailboxes.meeting(organizer, iCalUId) ?? { organizer, organizerEventId: event.id, copies: new Map() };
  const invited = new Map<string, MailboxOwner>();
  for (const attendee of event.resource.attendees as Attendee[]) {
    const owner = mailboxByAddress(organizer.tenant, attendee.emailAddress.address);
    if (owner && owner.mailbox.id !== organizer.mailbox.id) invited.set(owner.mailbox.id.toLowerCase(), owner);
  }
  for (const [key, copy] of [...meeting.copies]) {
    if (invited.has(key)) continue;
    cancelCopy(context, copy.owner, copy.eventId, nowMs);
    meeting.copies.delete(key);
  }
  for (const [key, owner] of invited) {
    const previous = meeting.copies.has(key) ? context.mailboxes.find(owner, meeting.copies.get(key)!.eventId) : undefined;
    const copy = copyFor(owner, event, previous, nowMs);
    context.mailboxes.save(owner, copy, previous ? 'updated' : 'created');
    meeting.copies.set(key, { owner, eventId: copy.id });
  }
  context.mailboxes.setMeeting(organizer, iCalUId, meeting.copies.size > 0 ? meeting : undefined);
}

/** The organizer cancelled or deleted the meeting. */
export function cancelAttendeeCopies(context: FakeContext, organizer: MailboxOwner, event: EventRecord, nowMs: number): void {
  const iCalUId = String(event.resource.iCalUId);
  const meeting = context.mailboxes.meeting(organizer, iCalUId);
  if (!meeting || meeting.organizerEventId !== event.id) return;
  for (const copy of meeting.copies.values()) cancelCopy(context, copy.owner, copy.eventId, nowMs);
  context.mailboxes.setMeeting(organizer, iCalUId, undefined);
}

/** An attendee answered: with sendResponse the organizer's event records the answer. */
export function tellOrganizer(context: FakeContext, attendee: MailboxOwner, copy: EventRecord, response: string, nowMs: number): void {
  const meeting = context.mailboxes.meeting(attendee, String(copy.resource.iCalUId));
  const organizerEvent = meeting && context.mailboxes.find(meeting.organizer, meeting.organizerEventId);
  if (!meeting || !organizerEvent) return;
  const address = (attendee.mailbox.mail ?? attendee.mailbox.userPrincipalName).toLowerCase();
  const attendees = (organizerEvent.resource.attendees as Attendee[]).map((each) => (each.emailAddress.address.toLowerCase() === address ? { ...each, status: { response, time: isoTime(nowMs) } } : each));
  context.mailboxes.save(meeting.organizer, { ...organizerEvent, resource: { ...organizerEvent.resource, attendees } }, 'updated');
}

function copyFor(owner: MailboxOwner, event: EventRecord, previous: EventRecord | undefined, nowMs: number): EventRecord {
  const id = previous?.id ?? outlookId(`copy:${owner.mailbox.id}:${event.id}`);
  const changeKey = base64From(`${id}:changeKey:${nowMs}:${String(event.resource.changeKey)}`, 16);
  const organizerName = (event.resource.organizer as { emailAddress: { name: string } }).emailAddress.name;
  const resource: Record<string, unknown> = {
    ...event.resource,
    '@odata.etag': `W/"${changeKey}"`,
    id,
    changeKey,
    createdDateTime: previous?.resource.createdDateTime ?? event.resource.lastModifiedDateTime,
    transactionId: null,
    categories: previous?.resource.categories ?? [],
    subject: owner.isRoom ? organizerName : event.resource.subject,
    isOrganizer: false,
    webLink: webLinkFor(id),
    responseStatus: previous?.resource.responseStatus ?? (owner.isRoom ? { response: 'accepted', time: isoTime(nowMs) } : { response: 'notResponded', time: '0001-01-01T00:00:00Z' }),
  };
  return { id, calendarIndex: 0, startMs: event.startMs, endMs: event.endMs, resource };
}

function cancelCopy(context: FakeContext, owner: MailboxOwner, eventId: string, nowMs: number): void {
  const copy = context.mailboxes.find(owner, eventId);
  if (!copy) return;
  if (owner.isRoom) return context.mailboxes.remove(owner, copy);
  const changeKey = base64From(`${copy.id}:changeKey:cancelled:${nowMs}`, 16);
  const subject = String(copy.resource.subject);
  const resource = { ...copy.resource, '@odata.etag': `W/"${changeKey}"`, changeKey, isCancelled: true, subject: subject.startsWith('Canceled: ') ? subject : `Canceled: ${subject}`, lastModifiedDateTime: isoTime(nowMs) };
  context.mailboxes.save(owner, { ...copy, resource }, 'updated');
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
}
