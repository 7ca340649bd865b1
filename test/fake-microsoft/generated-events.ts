import type { FakeUser } from './directory';
import { generatedEventId, readGeneratedEventId } from './event-ids';
import { DAY_MS, NEVER, emailAddressOf, emptyLocation, eventRecordOf, iCalUIdFor, joinUrlFor, teamsMeetingLocation, type EmailAddress, type EventRecord } from './event-record';
import { SECONDARY_CALENDAR_NAMES } from './mailbox-content';
import { masterOf, seriesOccurrence, SERIES_START_DAY, type SeriesName } from './generated-series';
import { colleagueOf, roomLocation, type MailboxOwner } from './mailbox-owner';
import { SeededRandom } from './seeded-random';

/**
 * The events a mailbox holds before anyone writes to it, generated per (calendar, day) from
 * seeds, never stored: a 50,000-user tenant costs nothing until a mailbox is read.
 *
 * A person's default calendar holds `eventsPerDay` events every UTC day, spread over 09:00–19:00:
 * the first is an occurrence of a daily series ("Daily standup"); on Tuesdays the second is an
 * occurrence of a weekly series organised by a colleague (every fourth one moved an hour, an
 * exception, and every fourth+2 cancelled); on Fridays the second is an all-day
 * "Working from home" (workingElsewhere); the others are meetings with varied attendees,
 * responses, sensitivity, categories, rooms and free/busy. Other calendars hold a holiday every
 * second week or a short event every other day. A room's calendar holds up to `eventsPerDay`
 * bookings each weekday, the organizer's name as subject, as Exchange rooms do by default.
 */

const WORKDAY_START_MINUTE = 9 * 60;
const WORKDAY_MINUTES = 10 * 60;
const MEETING_SUBJECTS = [
  'Quarterly business review', 'Design review', 'Customer call: Fabrikam', '1:1', 'Budget planning', 'Sprint planning',
  'Lunch with the team', 'Interview', 'Product roadmap', 'Security training',
];
const SHOW_AS: Array<[number, string]> = [[0.7, 'busy'], [0.8, 'tentative'], [0.88, 'free'], [0.94, 'oof'], [1, 'workingElsewhere']];
const CATEGORIES = [[], [], ['Blue category'], ['Red category', 'Customer']];
const TUESDAY = 2;
const FRIDAY = 5;

export function weekdayOf(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
}

/** One calendar's generated events of one UTC day. */
export function generatedEventsOnDay(owner: MailboxOwner, calendarIndex: number, day: number): EventRecord[] {
  if (owner.isRoom) return calendarIndex === 0 ? roomBookings(owner, day) : [];
  if (calendarIndex > 0) return secondaryCalendarEvents(owner, calendarIndex, day);
  const perDay = Math.max(0, Math.floor(owner.mailbox.eventsPerDay));
  const events: EventRecord[] = [];
  for (let slot = 0; slot < perDay; slot++) events.push(defaultCalendarEvent(owner, day, slot, perDay));
  return events;
}

/** A generated event or series master by id; undefined for an id this mailbox never generated. */
export function generatedEventById(owner: MailboxOwner, id: string): EventRecord | undefined {
  const address = readGeneratedEventId(owner.mailbox.id, id);
  if (!address) return undefined;
  if (address.kind === 'seriesMaster') return masterOf(owner, (['standup', 'review'] as SeriesName[])[address.slot], slotTiming(owner.mailbox, address.slot === 0 ? 0 : 1));
  return generatedEventsOnDay(owner, address.calendarIndex, address.day).find((event) => event.id === id);
}

function defaultCalendarEvent(owner: MailboxOwner, day: number, slot: number, perDay: number): EventRecord {
  const id = generatedEventId(owner.mailbox.id, { kind: 'instance', calendarIndex: 0, day, slot });
  const timing = slotTiming(owner.mailbox, slot, perDay);
  if (day >= SERIES_START_DAY && slot === 0) return seriesOccurrence(owner, 'standup', id, day, timing);
  if (day >= SERIES_START_DAY && slot === 1 && weekdayOf(day) === TUESDAY) return seriesOccurrence(owner, 'review', id, day, timing);
  if (slot === 1 && weekdayOf(day) === FRIDAY) return workingFromHome(owner, id, day);
  return meeting(owner, id, day, slot, timing);
}

/** Start minute and duration of a slot, the spacing the original fake used (so its windows still hold the same events). */
export function slotTiming(mailbox: FakeUser, slot: number, perDay = Math.max(2, Math.floor(mailbox.eventsPerDay))): { startMinute: number; durationMinutes: number } {
  const spacing = WORKDAY_MINUTES / Math.max(1, perDay);
  const random = new SeededRandom(`${mailbox.id}:slot:${slot}`);
  return { startMinute: WORKDAY_START_MINUTE + Math.floor((slot * spacing) / 15) * 15, durationMinutes: Math.min(random.pick([30, 45, 60]), Math.max(15, Math.floor(spacing))) };
}

function meeting(owner: MailboxOwner, id: string, day: number, slot: number, timing: { startMinute: number; durationMinutes: number }): EventRecord {
  const { tenant, mailbox } = owner;
  const random = new SeededRandom(`${mailbox.id}:event:${day}:${slot}`);
  const startMs = day * DAY_MS + timing.startMinute * 60_000;
  const endMs = startMs + timing.durationMinutes * 60_000;
  const organizer = random.next() < 0.5 ? mailbox : colleagueOf(tenant, mailbox, random);
  const isOrganizer = organizer === mailbox;
  const room = tenant.rooms.length > 0 && random.next() < 0.25 ? random.pick(tenant.rooms) : undefined;
  const subject = random.pick(MEETING_SUBJECTS);
  const isOnlineMeeting = random.next() < 0.6;
  const showAsDraw = random.next();
  const sensitivityDraw = random.next();
  const response = (type: string) => (isOrganizer ? random.pick(['accepted', 'tentativelyAccepted', 'declined', 'none']) : type === 'resource' ? 'accepted' : 'none');
  const invited: Array<[EmailAddress, string]> = [
    [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'required'],
    [emailAddressOf(colleagueOf(tenant, mailbox, random)), 'optional'],
    ...(isOrganizer ? [] : ([[emailAddressOf(mailbox), 'required']] as Array<[EmailAddress, string]>)),
    ...(room ? ([[{ name: room.displayName, address: room.emailAddress }, 'resource']] as Array<[EmailAddress, string]>) : []),
  ];
  return eventRecordOf(
    0,
    { id, subject, startMs, endMs, isAllDay: false, organizer: emailAddressOf(organizer), isOrganizer, createdMs: startMs - 14 * DAY_MS },
    {
      categories: random.pick(CATEGORIES),
      sensitivity: sensitivityDraw < 0.12 ? 'private' : sensitivityDraw < 0.17 ? 'personal' : 'normal',
      showAs: SHOW_AS.find(([threshold]) => showAsDraw < threshold)![1],
      isOnlineMeeting,
      onlineMeetingProvider: isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
      onlineMeeting: isOnlineMeeting ? { joinUrl: joinUrlFor(id) } : null,
      responseStatus: { response: isOrganizer ? 'organizer' : random.pick(['accepted', 'tentativelyAccepted', 'notResponded']), time: NEVER },
      body: { contentType: 'html', content: `<html><body><p>${subject}: agenda to follow.</p></body></html>` },
      location: room ? roomLocation(room) : isOnlineMeeting ? teamsMeetingLocation() : emptyLocation(),
      attendees: invited.map(([emailAddress, type]) => ({ type, status: { response: response(type), time: NEVER }, emailAddress })),
    },
  );
}

function workingFromHome(owner: MailboxOwner, id: string, day: number): EventRecord {
  const startMs = day * DAY_MS;
  const endMs = startMs + DAY_MS;
  return eventRecordOf(
    0,
    { id, subject: 'Working from home', startMs, endMs, isAllDay: true, organizer: emailAddressOf(owner.mailbox), isOrganizer: true, createdMs: startMs - 7 * DAY_MS },
    { showAs: 'workingElsewhere', isReminderOn: false, responseRequested: false, categories: ['Personal'], sensitivity: 'personal' },
  );
}

function secondaryCalendarEvents(owner: MailboxOwner, calendarIndex: number, day: number): EventRecord[] {
  const calendarName = SECONDARY_CALENDAR_NAMES[(calendarIndex - 1) % SECONDARY_CALENDAR_NAMES.length];
  const isHolidays = (calendarIndex - 1) % SECONDARY_CALENDAR_NAMES.length === 0;
  if (isHolidays ? day % 14 !== 0 : (day + calendarIndex) % 2 !== 0) return [];
  const id = generatedEventId(owner.mailbox.id, { kind: 'instance', calendarIndex, day, slot: 0 });
  const startMs = isHolidays ? day * DAY_MS : day * DAY_MS + (16 * 60 + 30) * 60_000;
  const endMs = isHolidays ? startMs + DAY_MS : startMs + 30 * 60_000;
  const subject = isHolidays ? 'Company holiday' : `${calendarName} check-in`;
  const core = { id, subject, startMs, endMs, isAllDay: isHolidays, organizer: emailAddressOf(owner.mailbox), isOrganizer: true, createdMs: startMs - 30 * DAY_MS };
  return [eventRecordOf(calendarIndex, core, isHolidays ? { showAs: 'free', isReminderOn: false, responseRequested: false } : {})];
}

function roomBookings(owner: MailboxOwner, day: number): EventRecord[] {
  const weekday = weekdayOf(day);
  if (weekday === 0 || weekday === 6) return [];
  const bookings: EventRecord[] = [];
  for (let slot = 0; slot < Math.min(4, Math.floor(owner.mailbox.eventsPerDay)); slot++) {
    const random = new SeededRandom(`${owner.mailbox.id}:booking:${day}:${slot}`);
    if (random.next() >= 0.75 || owner.tenant.users.length === 0) continue;
    const id = generatedEventId(owner.mailbox.id, { kind: 'instance', calendarIndex: 0, day, slot });
    const startMs = day * DAY_MS + (WORKDAY_START_MINUTE + slot * 120) * 60_000;
    const endMs = startMs + random.pick([30, 60, 90]) * 60_000;
    const organizer = random.pick(owner.tenant.users);
    const core = { id, subject: organizer.displayName, startMs, endMs, isAllDay: false, organizer: emailAddressOf(organizer), isOrganizer: false, createdMs: startMs - 3 * DAY_MS };
    bookings.push(
      eventRecordOf(0, core, {
        iCalUId: iCalUIdFor(`${id}:meeting`),
        sensitivity: random.next() < 0.1 ? 'private' : 'normal',
        responseStatus: { response: 'accepted', time: NEVER },
        location: roomLocation({ displayName: owner.mailbox.displayName, emailAddress: owner.mailbox.mail ?? '' }),
        attendees: [
          { type: 'required', status: { response: 'none', time: NEVER }, emailAddress: emailAddressOf(organizer) },
          { type: 'resource', status: { response: 'accepted', time: NEVER }, emailAddress: emailAddressOf(owner.mailbox) },
        ],
      }),
    );
  }
  return bookings;
}
