import type { FakeUser, Tenant } from './directory';
import { outlookId } from './event-ids';
import { base64From } from './seeded-random';

/**
 * Calendars of a mailbox, generated on request from the user's counts and a seed, never stored,
 * and the property names of calendars and events ($select checks against them). The events
 * themselves are in generated-events.ts and the mailbox store.
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

export const SECONDARY_CALENDAR_NAMES = ['United States holidays', 'Project Phoenix', 'Team offsites', 'On-call rota', 'Marketing launches'];
const CALENDAR_COLORS = ['lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed'];

/** onlineMeetingsAllowed false: an organisation whose Teams policy offers no meeting provider (Graph then creates events without a meeting). */
export function calendarsOf(graphBase: string, tenant: Tenant, user: FakeUser, onlineMeetingsAllowed = true): Record<string, unknown>[] {
  return Array.from({ length: user.calendarCount }, (_, index) => {
    const isDefault = index === 0;
    const id = calendarIdOf(user, index);
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
      allowedOnlineMeetingProviders: onlineMeetingsAllowed ? ['teamsForBusiness'] : [],
      defaultOnlineMeetingProvider: onlineMeetingsAllowed ? 'teamsForBusiness' : 'unknown',
      isTallyingResponses: isDefault,
      isRemovable: !isDefault,
      owner: { name: user.displayName, address: addressOf(user) },
    };
  });
}

function hexFrom(seed: string, byteCount: number): string {
  return Buffer.from(base64From(seed, byteCount), 'base64').toString('hex');
}

function addressOf(user: FakeUser): string {
  return user.mail ?? user.userPrincipalName;
}

/** The id of a mailbox's calendar by position; 0 is the default calendar. */
export function calendarIdOf(user: FakeUser, index: number): string {
  return outlookId(`${user.id}:calendar:${index}`);
}
