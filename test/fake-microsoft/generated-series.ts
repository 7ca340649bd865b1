import { generatedEventId } from './event-ids';
import { DAY_MS, NEVER, emailAddressOf, eventRecordOf, iCalUIdFor, joinUrlFor, teamsMeetingLocation, type EmailAddress, type EventRecord } from './event-record';
import { colleagueOf, roomLocation, type MailboxOwner } from './mailbox-owner';
import { SeededRandom } from './seeded-random';

/**
 * The two recurring series of every person's default calendar: a daily standup the owner
 * organises and a weekly Tuesday review a colleague organises (with a room). calendarView
 * expands them into occurrences, as Graph does; the master is read by id only.
 */
export type SeriesName = 'standup' | 'review';

/** Monday 2020-01-06: both series start that week and have no end. */
export const SERIES_START_DAY = Date.UTC(2020, 0, 6) / DAY_MS;
const SERIES_INDEX: Record<SeriesName, number> = { standup: 0, review: 1 };
const FIRST_DAY: Record<SeriesName, number> = { standup: SERIES_START_DAY, review: SERIES_START_DAY + 1 };
const SUBJECT: Record<SeriesName, string> = { standup: 'Daily standup', review: 'Weekly design review' };
const EXCEPTION_SHIFT_MINUTES = 60;

interface Timing {
  startMinute: number;
  durationMinutes: number;
}

export function masterIdOf(owner: MailboxOwner, series: SeriesName): string {
  return generatedEventId(owner.mailbox.id, { kind: 'seriesMaster', calendarIndex: 0, day: 0, slot: SERIES_INDEX[series] });
}

export function masterOf(owner: MailboxOwner, series: SeriesName, timing: Timing): EventRecord {
  const id = masterIdOf(owner, series);
  const startMs = FIRST_DAY[series] * DAY_MS + timing.startMinute * 60_000;
  const endMs = startMs + timing.durationMinutes * 60_000;
  const pattern =
    series === 'standup'
      ? { type: 'daily', interval: 1, month: 0, dayOfMonth: 0, firstDayOfWeek: 'sunday', index: 'first' }
      : { type: 'weekly', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: ['tuesday'], firstDayOfWeek: 'sunday', index: 'first' };
  const range = { type: 'noEnd', startDate: new Date(startMs).toISOString().slice(0, 10), endDate: '0001-01-01', recurrenceTimeZone: 'UTC', numberOfOccurrences: 0 };
  return seriesRecord(owner, series, id, startMs, endMs, { type: 'seriesMaster', recurrence: { pattern, range } });
}

/** The occurrence of `series` on `day`; every fourth review is moved (an exception) and every fourth+2 cancelled. */
export function seriesOccurrence(owner: MailboxOwner, series: SeriesName, id: string, day: number, timing: Timing): EventRecord {
  const masterId = masterIdOf(owner, series);
  const originalStartMs = day * DAY_MS + timing.startMinute * 60_000;
  const week = Math.floor((day - FIRST_DAY[series]) / 7);
  const isException = series === 'review' && week % 4 === 1;
  const isCancelled = series === 'review' && week % 4 === 3;
  const startMs = originalStartMs + (isException ? EXCEPTION_SHIFT_MINUTES * 60_000 : 0);
  const endMs = startMs + timing.durationMinutes * 60_000;
  const originalStart = new Date(originalStartMs).toISOString().replace('.000Z', 'Z');
  const fields: Record<string, unknown> = {
    type: isException ? 'exception' : 'occurrence',
    seriesMasterId: masterId,
    occurrenceId: `OID.${masterId}.${originalStart.slice(0, 10)}`,
    originalStart,
    ...(isCancelled ? { isCancelled: true, subject: `Canceled: ${SUBJECT[series]}`, showAs: 'free' } : {}),
  };
  return seriesRecord(owner, series, id, startMs, endMs, fields);
}

function seriesRecord(owner: MailboxOwner, series: SeriesName, id: string, startMs: number, endMs: number, fields: Record<string, unknown>): EventRecord {
  const { tenant, mailbox } = owner;
  const random = new SeededRandom(`${mailbox.id}:series:${series}`);
  const masterId = masterIdOf(owner, series);
  const organizer = series === 'standup' ? mailbox : colleagueOf(tenant, mailbox, random);
  const isOrganizer = organizer === mailbox;
  const room = series === 'review' ? tenant.rooms[0] : undefined;
  const invited: Array<[EmailAddress, string, string]> =
    series === 'standup'
      ? [
          [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'required', 'accepted'],
          [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'required', 'tentativelyAccepted'],
          [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'optional', 'none'],
        ]
      : [
          [emailAddressOf(mailbox), 'required', 'none'],
          [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'optional', 'none'],
          ...(room ? ([[{ name: room.displayName, address: room.emailAddress }, 'resource', 'none']] as Array<[EmailAddress, string, string]>) : []),
        ];
  const core = { id, subject: SUBJECT[series], startMs, endMs, isAllDay: false, organizer: emailAddressOf(organizer), isOrganizer, createdMs: SERIES_START_DAY * DAY_MS - 7 * DAY_MS };
  return eventRecordOf(0, core, {
    iCalUId: iCalUIdFor(masterId),
    categories: series === 'standup' ? ['Team'] : [],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    onlineMeeting: { joinUrl: joinUrlFor(masterId) },
    responseStatus: { response: isOrganizer ? 'organizer' : 'accepted', time: isOrganizer ? NEVER : '2020-01-02T10:00:00.0000000Z' },
    body: { contentType: 'html', content: `<html><body><p>${SUBJECT[series]}.</p></body></html>` },
    location: room ? roomLocation(room) : teamsMeetingLocation(),
    attendees: invited.map(([emailAddress, type, response]) => ({ type, status: { response, time: NEVER }, emailAddress })),
    ...fields,
  });
}
