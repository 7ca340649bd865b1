import { DAY_MS, NEVER, emptyLocation, joinUrlFor, previewOf, teamsMeetingLocation, type EventRecord } from './event-record';
import { GraphError } from './graph-envelope';
import { mailboxByAddress } from './mailbox-access';
import { EVENT_PROPERTIES } from './mailbox-content';
import type { MailboxOwner } from './mailbox-owner';
import { base64From } from './seeded-random';
import { instantOf, parseWallClock, requireTimeZone, UTC_ZONE } from './time-zones';

/**
 * The body of POST and PATCH on events: checked the way Graph checks it (unknown properties,
 * enum values, times), then applied to an event. Only the given properties change.
 */

const WRITABLE = new Set([
  'subject', 'body', 'start', 'end', 'isAllDay', 'location', 'locations', 'attendees', 'isOnlineMeeting', 'onlineMeetingProvider', 'showAs', 'sensitivity',
  'importance', 'categories', 'isReminderOn', 'reminderMinutesBeforeStart', 'allowNewTimeProposals', 'responseRequested', 'hideAttendees', 'transactionId', 'recurrence',
]);
const ENUMS: Record<string, { type: string; values: string[] }> = {
  showAs: { type: 'freeBusyStatus', values: ['unknown', 'free', 'tentative', 'busy', 'oof', 'workingElsewhere'] },
  sensitivity: { type: 'sensitivity', values: ['normal', 'personal', 'private', 'confidential'] },
  importance: { type: 'importance', values: ['low', 'normal', 'high'] },
  onlineMeetingProvider: { type: 'onlineMeetingProviderType', values: ['unknown', 'teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer'] },
};
const ATTENDEE_TYPES = ['required', 'optional', 'resource'];
const CANONICAL = new Map<string, string>(EVENT_PROPERTIES.map((name) => [name.toLowerCase(), name]));

/** The body with canonical property names (Graph reads them case-insensitively), or Graph's 400. */
export function readEventInput(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bodyReadError('The request body must be a JSON object describing a microsoft.graph.event.');
  const input: Record<string, unknown> = {};
  for (const [given, value] of Object.entries(body)) {
    if (given.startsWith('@odata.')) continue;
    const name = CANONICAL.get(given.toLowerCase());
    if (!name) throw bodyReadError(`The property '${given}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    if (!WRITABLE.has(name)) continue; // read-only properties (id, createdDateTime…) are ignored, as Graph does
    const enumeration = ENUMS[name];
    if (enumeration && !enumeration.values.includes(String(value))) throw bodyReadError(`Cannot convert the literal '${String(value)}' to the expected type 'microsoft.graph.${enumeration.type}'.`);
    input[name] = value;
  }
  if (input.recurrence !== undefined && input.recurrence !== null) {
    throw new GraphError(400, 'ErrorInvalidRequest', 'The fake Microsoft Graph does not implement creating or changing recurring series.');
  }
  return input;
}

export interface ApplyOptions {
  owner: MailboxOwner;
  nowMs: number;
  onlineMeetingsAllowed: boolean;
}

/** A new record: `base` with the input applied, a new change key and lastModifiedDateTime. */
export function applyEventInput(base: EventRecord, input: Record<string, unknown>, options: ApplyOptions): EventRecord {
  const resource = { ...base.resource };
  for (const name of ['subject', 'showAs', 'sensitivity', 'importance', 'categories', 'isReminderOn', 'reminderMinutesBeforeStart', 'allowNewTimeProposals', 'responseRequested', 'hideAttendees', 'transactionId']) {
    if (input[name] !== undefined) resource[name] = input[name];
  }
  if (input.body !== undefined) {
    const body = input.body as { contentType?: string; content?: string } | null;
    resource.body = { contentType: body?.contentType === 'text' ? 'text' : 'html', content: String(body?.content ?? '') };
    resource.bodyPreview = previewOf(resource.body);
  }
  const times = applyTimes(base, resource, input);
  if (input.location !== undefined) resource.location = locationOf(input.location);
  if (input.locations !== undefined || input.location !== undefined) {
    resource.locations = Array.isArray(input.locations) ? input.locations.map(locationOf) : (resource.location as { displayName: string }).displayName ? [resource.location] : [];
  }
  if (input.attendees !== undefined) resource.attendees = attendeesOf(input.attendees, options.owner, resource.attendees as Attendee[]);
  applyOnlineMeeting(resource, input, options);
  const changeKey = base64From(`${base.id}:changeKey:${options.nowMs}:${JSON.stringify(input)}`, 16);
  resource.changeKey = changeKey;
  resource['@odata.etag'] = `W/"${changeKey}"`;
  resource.lastModifiedDateTime = new Date(options.nowMs).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
  return { ...base, ...times, resource };
}

export interface Attendee {
  type: string;
  status: { response: string; time: string };
  emailAddress: { name: string; address: string };
}

function applyTimes(base: EventRecord, resource: Record<string, unknown>, input: Record<string, unknown>): { startMs: number; endMs: number } {
  const isAllDay = input.isAllDay === undefined ? Boolean(resource.isAllDay) : Boolean(input.isAllDay);
  const startMs = input.start === undefined ? base.startMs : instantOfInput(input.start, 'start', isAllDay);
  const endMs = input.end === undefined ? base.endMs : instantOfInput(input.end, 'end', isAllDay);
  // microsoftgraph/microsoft-graph-docs#7919: an end before the start fails validation; all-day events must also span whole days from midnight.
  const invalid = endMs < startMs || (isAllDay && (startMs % DAY_MS !== 0 || endMs % DAY_MS !== 0 || endMs === startMs));
  if (invalid) throw new GraphError(400, 'ErrorPropertyValidationFailure', 'At least one property failed validation.');
  resource.isAllDay = isAllDay;
  if (input.start !== undefined) resource.originalStartTimeZone = zoneLabelOf(input.start);
  if (input.end !== undefined) resource.originalEndTimeZone = zoneLabelOf(input.end);
  return { startMs, endMs };
}

/** An all-day event's times are floating dates (kept as UTC midnights); others are instants in their zone. */
function instantOfInput(value: unknown, name: string, isAllDay: boolean): number {
  const given = value as { dateTime?: unknown; timeZone?: unknown } | null;
  const wallClock = typeof given?.dateTime === 'string' ? parseWallClock(given.dateTime) : undefined;
  if (!wallClock) throw new GraphError(400, 'ErrorInvalidRequest', `The property '${name}' must be a dateTimeTimeZone with a valid dateTime.`);
  const zone = typeof given?.timeZone === 'string' && given.timeZone !== '' ? requireTimeZone(given.timeZone) : UTC_ZONE;
  if (!isAllDay) return instantOf(wallClock, zone);
  const isMidnight = wallClock.hour === 0 && wallClock.minute === 0 && wallClock.second === 0;
  // Off midnight by 1 ms, so applyTimes refuses it like any all-day event that does not start at midnight.
  return Date.UTC(wallClock.year, wallClock.month - 1, wallClock.day) + (isMidnight ? 0 : 1);
}

function zoneLabelOf(value: unknown): string {
  const timeZone = (value as { timeZone?: unknown }).timeZone;
  return typeof timeZone === 'string' && timeZone !== '' ? requireTimeZone(timeZone).label : 'UTC';
}

/** A free-text location becomes a "private" one with its name as uniqueId, as Outlook stores it. */
function locationOf(value: unknown): Record<string, unknown> {
  const given = (value ?? {}) as Record<string, unknown>;
  const displayName = String(given.displayName ?? '');
  if (!displayName) return emptyLocation();
  return { ...emptyLocation(), ...given, displayName, locationType: given.locationType ?? 'default', uniqueId: given.uniqueId ?? displayName, uniqueIdType: given.uniqueIdType ?? 'private' };
}

function attendeesOf(value: unknown, owner: MailboxOwner, previous: Attendee[]): Attendee[] {
  if (!Array.isArray(value)) throw bodyReadError("The property 'attendees' must be a collection of microsoft.graph.attendee.");
  return value.map((entry: { type?: string; emailAddress?: { address?: string; name?: string } }) => {
    const address = entry?.emailAddress?.address?.trim();
    if (!address || !/^[^@\s]+@[^@\s]+$/.test(address)) throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const type = entry.type ?? 'required';
    if (!ATTENDEE_TYPES.includes(type)) throw bodyReadError(`Cannot convert the literal '${type}' to the expected type 'microsoft.graph.attendeeType'.`);
    const known = mailboxByAddress(owner.tenant, address);
    const kept = previous.find((attendee) => attendee.emailAddress.address.toLowerCase() === address.toLowerCase());
    return {
      type,
      status: kept?.status ?? { response: 'none', time: NEVER },
      emailAddress: { name: entry.emailAddress?.name ?? known?.mailbox.displayName ?? address, address },
    };
  });
}

/** teamsForBusiness gets a join URL; a mailbox without an allowed provider gets none, silently (201 without a meeting). */
function applyOnlineMeeting(resource: Record<string, unknown>, input: Record<string, unknown>, options: ApplyOptions): void {
  if (input.isOnlineMeeting === undefined && input.onlineMeetingProvider === undefined) return;
  const wanted = input.isOnlineMeeting === undefined ? Boolean(resource.isOnlineMeeting) : Boolean(input.isOnlineMeeting);
  const provider = String(input.onlineMeetingProvider ?? (resource.onlineMeetingProvider !== 'unknown' ? resource.onlineMeetingProvider : 'teamsForBusiness'));
  if (!wanted || !options.onlineMeetingsAllowed || provider === 'unknown') {
    Object.assign(resource, { isOnlineMeeting: false, onlineMeetingProvider: 'unknown', onlineMeeting: null });
    return;
  }
  const onlineMeeting = (resource.onlineMeeting as { joinUrl?: string } | null) ?? { joinUrl: joinUrlFor(String(resource.id)) };
  Object.assign(resource, { isOnlineMeeting: true, onlineMeetingProvider: provider, onlineMeeting });
  if (!(resource.location as { displayName?: string }).displayName) resource.location = teamsMeetingLocation();
}

function bodyReadError(message: string): GraphError {
  return new GraphError(400, 'RequestBodyRead', message);
}
