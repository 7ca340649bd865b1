import { graphBaseUrl, type FakeContext } from './context';
import type { EventRecord } from './event-record';
import { GraphError, selectedProperties, type GraphRequest, type GraphResult } from './graph-envelope';
import { mailboxByAddress, openMailbox, unknownProperty } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import { preferenceApplied, readPreferences } from './request-preferences';
import { instantOf, instantOfDateTimeTimeZone, wallClockIn, type TimeZone } from './time-zones';
import { mailboxTimeZoneOf, workingHoursOf } from './working-hours';

/** POST /users/{id}/calendar/getSchedule (free/busy of people and rooms) and GET /users/{id}/mailboxSettings. */

// Documented as 20; Graph accepts 100 and refuses 101 with ErrorMailboxDataArrayTooBig (microsoftgraph/microsoft-graph-docs#7047).
const MAX_SCHEDULES = 100;
// concepts/outlook-get-free-busy-schedule.md: "less than 62 days"; live, 62 passes and 63 is ErrorTimeIntervalTooBig (third-party notes).
const MAX_WINDOW_MS = 62 * 86_400_000;
const MIN_INTERVAL = 5;
const MAX_INTERVAL = 1440;
const DEFAULT_INTERVAL = 30;
// concepts/outlook-get-free-busy-schedule.md: 0 free or working elsewhere, 1 tentative, 2 busy, 3 out of office.
const VIEW_CODES: Record<string, number> = { free: 0, workingElsewhere: 0, tentative: 1, busy: 2, unknown: 2, oof: 3 };
const MAILBOX_SETTINGS_ROLES = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const MAILBOX_SETTINGS_PROPERTIES = [
  'archiveFolder', 'automaticRepliesSetting', 'dateFormat', 'delegateMeetingMessageDeliveryOptions', 'language', 'timeFormat', 'timeZone', 'workingHours', 'userPurpose',
];

export function getSchedule(context: FakeContext, request: GraphRequest, userKey: string): GraphResult {
  openMailbox(context, request, userKey);
  const body = lowerCasedKeys(request.body);
  const schedules = body.schedules;
  if (!Array.isArray(schedules) || schedules.some((address) => typeof address !== 'string')) throw invalidParameter("The parameter 'Schedules' must be a collection of SMTP addresses.");
  if (body.starttime === undefined || body.endtime === undefined) throw invalidParameter("The parameters 'StartTime' and 'EndTime' are required.");
  const start = instantOfDateTimeTimeZone(body.starttime, 'startTime');
  const end = instantOfDateTimeTimeZone(body.endtime, 'endTime');
  const interval = body.availabilityviewinterval ?? DEFAULT_INTERVAL;
  // Not documented: Graph answers a bad interval with a 400; the code chosen here is Exchange's usual one.
  if (!Number.isInteger(Number(interval)) || Number(interval) < MIN_INTERVAL || Number(interval) > MAX_INTERVAL) {
    throw invalidParameter(`The value '${interval}' of 'AvailabilityViewInterval' is invalid: it must be between ${MIN_INTERVAL} and ${MAX_INTERVAL} minutes.`);
  }
  if (schedules.length > MAX_SCHEDULES) {
    throw new GraphError(400, 'ErrorMailboxDataArrayTooBig', `There are too many target users in the EmailAddress array. The allowed size = ${MAX_SCHEDULES}; the actual size = ${schedules.length}.`);
  }
  if (end.epochMs <= start.epochMs) throw new GraphError(400, 'ErrorInvalidTimeInterval', 'The time interval is invalid: the end time must be later than the start time.');
  if (end.epochMs - start.epochMs > MAX_WINDOW_MS) throw new GraphError(400, 'ErrorTimeIntervalTooBig', 'The time interval specified is larger than the allowed limit of 62 days.');
  const preferences = readPreferences(request);
  const window = { startMs: start.epochMs, endMs: end.epochMs, intervalMs: Number(interval) * 60_000, requestZone: start.zone };
  return {
    status: 200,
    headers: preferenceApplied(preferences),
    body: {
      '@odata.context': `${graphBaseUrl(context)}/$metadata#Collection(microsoft.graph.scheduleInformation)`,
      value: (schedules as string[]).map((address) => scheduleOf(context, request, address, window, preferences.timeZone)),
    },
  };
}

interface ScheduleWindow {
  startMs: number;
  endMs: number;
  intervalMs: number;
  requestZone: TimeZone;
}

function scheduleOf(context: FakeContext, request: GraphRequest, address: string, window: ScheduleWindow, zone: TimeZone): Record<string, unknown> {
  const owner = mailboxByAddress(request.tenant, address);
  if (!owner) {
    // Unknown and external addresses alike (microsoftgraph/microsoft-graph-docs#11225): only scheduleId and error.
    return { scheduleId: address, error: { message: `Unable to resolve e-mail address ${address} to an Active Directory object.`, responseCode: '5009' } };
  }
  const items = busyItems(context, owner, window);
  return {
    scheduleId: address,
    availabilityView: availabilityView(items, window),
    scheduleItems: items.map(({ event, startMs, endMs }) => scheduleItem(event, startMs, endMs, zone)),
    workingHours: workingHoursOf(owner.mailbox),
  };
}

/** The default calendar's events in the window, cancelled ones left out; all-day events cover the requested zone's days. */
function busyItems(context: FakeContext, owner: MailboxOwner, window: ScheduleWindow): Array<{ event: EventRecord; startMs: number; endMs: number }> {
  const widened = 86_400_000;
  return context.mailboxes
    .eventsBetween(owner, 0, window.startMs - widened, window.endMs + widened)
    .filter((event) => !event.resource.isCancelled)
    .map((event) => (event.resource.isAllDay ? { event, startMs: zonedMidnight(event.startMs, window.requestZone), endMs: zonedMidnight(event.endMs, window.requestZone) } : { event, startMs: event.startMs, endMs: event.endMs }))
    .filter((item) => item.startMs < window.endMs && item.endMs > window.startMs);
}

function zonedMidnight(utcMidnightMs: number, zone: TimeZone): number {
  const date = new Date(utcMidnightMs);
  return instantOf({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone);
}

/** Private items keep only their status and times (the subject and location of others' private events are never shown). */
function scheduleItem(event: EventRecord, startMs: number, endMs: number, zone: TimeZone): Record<string, unknown> {
  const isPrivate = event.resource.sensitivity === 'private';
  const location = (event.resource.location as { displayName?: string } | null)?.displayName ?? '';
  return {
    isPrivate,
    status: event.resource.showAs,
    ...(isPrivate ? {} : { subject: event.resource.subject, location }),
    start: { dateTime: wallClockIn(startMs, zone), timeZone: zone.label },
    end: { dateTime: wallClockIn(endMs, zone), timeZone: zone.label },
  };
}

function availabilityView(items: Array<{ event: EventRecord; startMs: number; endMs: number }>, window: ScheduleWindow): string {
  const slots = Math.ceil((window.endMs - window.startMs) / window.intervalMs);
  let view = '';
  for (let slot = 0; slot < slots; slot++) {
    const slotStart = window.startMs + slot * window.intervalMs;
    const slotEnd = Math.min(slotStart + window.intervalMs, window.endMs);
    let code = 0;
    for (const item of items) if (item.startMs < slotEnd && item.endMs > slotStart) code = Math.max(code, VIEW_CODES[String(item.event.resource.showAs)] ?? 2);
    view += String(code);
  }
  return view;
}

export function getMailboxSettings(context: FakeContext, request: GraphRequest, userKey: string): GraphResult {
  const owner = openMailbox(context, request, userKey, MAILBOX_SETTINGS_ROLES);
  const selected = selectedProperties(request.query, MAILBOX_SETTINGS_PROPERTIES, unknownProperty('mailboxSettings'));
  const never = { dateTime: '2020-01-01T00:00:00.0000000', timeZone: 'UTC' };
  const settings = {
    archiveFolder: 'AAMkAGArchive=',
    timeZone: mailboxTimeZoneOf(owner.mailbox),
    automaticRepliesSetting: { status: 'disabled', externalAudience: 'all', internalReplyMessage: '', externalReplyMessage: '', scheduledStartDateTime: never, scheduledEndDateTime: never },
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: workingHoursOf(owner.mailbox),
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: owner.isRoom ? 'room' : 'user',
  };
  const view = selected ? Object.fromEntries(Object.entries(settings).filter(([name]) => selected.includes(name))) : settings;
  return { status: 200, body: { '@odata.context': `${graphBaseUrl(context)}/$metadata#users('${userKey}')/mailboxSettings`, ...view } };
}

function lowerCasedKeys(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidParameter('The request body must be a JSON object.');
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name.toLowerCase(), value]));
}

function invalidParameter(message: string): GraphError {
  return new GraphError(400, 'ErrorInvalidParameter', message);
}
