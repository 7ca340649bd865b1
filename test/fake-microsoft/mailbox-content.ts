import type { FakeUser, Tenant } from './directory';
import { SeededRandom, base64From } from './seeded-random';

/**
 * Calendars and events of a mailbox, generated on request from the user's counts and a seed,
 * never stored: a 1,000-user tenant costs nothing until someone reads it, and the same request
 * always returns the same data.
 *
 * The default calendar holds `eventsPerDay` events every day (UTC), spread over 09:00–19:00;
 * the first of each day is an occurrence of a daily series. Other calendars are empty.
 */

export const CALENDAR_PROPERTIES = [
  'id', 'name', 'color', 'hexColor', 'isDefaultCalendar', 'changeKey', 'canShare', 'canViewPrivateItems', 'canEdit',
  'allowedOnlineMeetingProviders', 'defaultOnlineMeetingProvider', 'isTallyingResponses', 'isRemovable', 'owner',
] as const;

export const EVENT_PROPERTIES = [
  'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'transactionId', 'originalStartTimeZone',
  'originalEndTimeZone', 'iCalUId', 'reminderMinutesBeforeStart', 'isReminderOn', 'hasAttachments', 'subject', 'bodyPreview',
  'importance', 'sensitivity', 'isAllDay', 'isCancelled', 'isOrganizer', 'responseRequested', 'seriesMasterId', 'showAs', 'type',
  'webLink', 'onlineMeetingUrl', 'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals', 'isDraft', 'hideAttendees',
  'responseStatus', 'body', 'start', 'end', 'location', 'locations', 'recurrence', 'attendees', 'organizer', 'onlineMeeting',
  'occurrenceId', 'originalStart',
] as const;

const SECONDARY_CALENDAR_NAMES = ['United States holidays', 'Project Phoenix', 'Team offsites', 'On-call rota', 'Marketing launches'];
const CALENDAR_COLORS = ['lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed'];
const MEETING_SUBJECTS = [
  'Quarterly business review', 'Design review', 'Customer call: Fabrikam', '1:1', 'Budget planning', 'Sprint planning',
  'Lunch with the team', 'Interview', 'Product roadmap', 'Security training',
];
const DAY_MS = 86_400_000;
const WORKDAY_START_MINUTE = 9 * 60;
const WORKDAY_MINUTES = 10 * 60;

export function calendarsOf(graphBase: string, tenant: Tenant, user: FakeUser): Record<string, unknown>[] {
  return Array.from({ length: user.calendarCount }, (_, index) => {
    const isDefault = index === 0;
    const id = outlookId(`${user.id}:calendar:${index}`);
    const suffix = Math.floor((index - 1) / SECONDARY_CALENDAR_NAMES.length);
    const name = isDefault ? 'Calendar' : `${SECONDARY_CALENDAR_NAMES[(index - 1) % SECONDARY_CALENDAR_NAMES.length]}${suffix > 0 ? ` ${suffix + 1}` : ''}`;
    return {
      '@odata.id': `${graphBase}/users('${user.id}@${tenant.tenantId}')/calendars('${id}')`,
      id,
      name,
      color: isDefault ? 'auto' : CALENDAR_COLORS[(index - 1) % CALENDAR_COLORS.length],
      hexColor: isDefault ? '' : `#${hexFrom(`${id}:hex`, 3)}`,
      isDefaultCalendar: isDefault,
      changeKey: base64From(`${id}:changeKey`, 24),
      canShare: true,
      canViewPrivateItems: true,
      canEdit: true,
      allowedOnlineMeetingProviders: ['teamsForBusiness'],
      defaultOnlineMeetingProvider: 'teamsForBusiness',
      isTallyingResponses: isDefault,
      isRemovable: !isDefault,
      owner: { name: user.displayName, address: addressOf(user) },
    };
  });
}

/** The events overlapping [windowStart, windowEnd), ordered by start, generated lazily so paging costs O(skip + top). */
export function* eventsBetween(tenant: Tenant, user: FakeUser, windowStart: Date, windowEnd: Date): Generator<Record<string, unknown>> {
  const perDay = Math.max(0, Math.floor(user.eventsPerDay));
  if (perDay === 0) return;
  const lastDay = Math.floor((windowEnd.getTime() - 1) / DAY_MS);
  for (let day = Math.floor(windowStart.getTime() / DAY_MS); day <= lastDay; day++) {
    for (let slot = 0; slot < perDay; slot++) {
      const event = eventAt(tenant, user, day, slot, perDay);
      if (event.startMs < windowEnd.getTime() && event.endMs > windowStart.getTime()) yield event.resource;
    }
  }
}

function eventAt(tenant: Tenant, user: FakeUser, day: number, slot: number, perDay: number): { startMs: number; endMs: number; resource: Record<string, unknown> } {
  const random = new SeededRandom(`${user.id}:event:${day}:${slot}`);
  const spacing = WORKDAY_MINUTES / perDay;
  const startMinute = WORKDAY_START_MINUTE + Math.floor((slot * spacing) / 15) * 15;
  const durationMinutes = Math.min(random.pick([30, 45, 60]), Math.max(15, Math.floor(spacing)));
  const startMs = day * DAY_MS + startMinute * 60_000;
  const endMs = startMs + durationMinutes * 60_000;
  const isSeriesOccurrence = slot === 0;
  const seriesMasterId = outlookId(`${user.id}:series:standup`);
  const id = outlookId(`${user.id}:event:${day}:${slot}`);
  const organizer = isSeriesOccurrence || random.next() < 0.5 ? user : colleagueOf(tenant, user, random);
  const isOrganizer = organizer === user;
  const attendees = [colleagueOf(tenant, user, random), colleagueOf(tenant, user, random), ...(isOrganizer ? [] : [user])];
  const isOnlineMeeting = random.next() < 0.6;
  const subject = isSeriesOccurrence ? 'Daily standup' : random.pick(MEETING_SUBJECTS);
  const created = outlookDateTime(new Date(startMs - 14 * DAY_MS)) + 'Z';
  const changeKey = base64From(`${id}:changeKey`, 24);
  const resource: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: created,
    lastModifiedDateTime: created,
    changeKey,
    categories: [],
    transactionId: null,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: `040000008200E00074C5B7101A82E008${hexFrom(isSeriesOccurrence ? seriesMasterId : id, 24).toUpperCase()}`,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject,
    bodyPreview: `${subject}: agenda to follow.`,
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isOrganizer,
    responseRequested: true,
    seriesMasterId: isSeriesOccurrence ? seriesMasterId : null,
    showAs: random.next() < 0.85 ? 'busy' : 'tentative',
    type: isSeriesOccurrence ? 'occurrence' : 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting,
    onlineMeetingProvider: isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: isOrganizer ? 'organizer' : 'accepted', time: '0001-01-01T00:00:00Z' },
    body: { contentType: 'html', content: `<html><body><p>${subject}: agenda to follow.</p></body></html>` },
    start: { dateTime: outlookDateTime(new Date(startMs)), timeZone: 'UTC' },
    end: { dateTime: outlookDateTime(new Date(endMs)), timeZone: 'UTC' },
    location: isOnlineMeeting ? { displayName: 'Microsoft Teams Meeting', locationType: 'default', uniqueIdType: 'unknown' } : { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: [],
    recurrence: null,
    attendees: attendees.map((attendee) => ({
      type: 'required',
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: attendee.displayName, address: addressOf(attendee) },
    })),
    organizer: { emailAddress: { name: organizer.displayName, address: addressOf(organizer) } },
    onlineMeeting: isOnlineMeeting ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${base64From(id, 18).replace(/[^A-Za-z0-9]/g, 'x')}%40thread.v2/0` } : null,
  };
  return { startMs, endMs, resource };
}

function colleagueOf(tenant: Tenant, user: FakeUser, random: SeededRandom): FakeUser {
  const candidate = random.pick(tenant.users);
  if (candidate !== user || tenant.users.length === 1) return candidate;
  return tenant.users[(tenant.users.indexOf(candidate) + 1) % tenant.users.length];
}

function hexFrom(seed: string, byteCount: number): string {
  return Buffer.from(base64From(seed, byteCount), 'base64').toString('hex');
}

function addressOf(user: FakeUser): string {
  return user.mail ?? user.userPrincipalName;
}

/** Outlook's id shape: "AAMkAG" + URL-safe base64 ending in '='. */
function outlookId(seed: string): string {
  return `AAMkAG${base64From(seed, 42).replace(/\+/g, '-').replace(/\//g, '_')}=`;
}

/** "2025-01-06T09:00:00.0000000": seven fractional digits and no zone, the zone being in `timeZone`. */
export function outlookDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.0000000`;
}
