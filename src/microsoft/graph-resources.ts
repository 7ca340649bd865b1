import { z } from 'zod';
import type { PropertyTable } from './graph-selection';

/**
 * The Graph resources the gateway reads, as plain typed objects, and the `$select` lists that
 * ask Graph for exactly the fields mapped here (smaller answers, and cheaper under the
 * directory's resource-unit throttling).
 */

export interface GraphUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string | null;
  jobTitle: string | null;
}

export interface GraphCalendar {
  id: string;
  name: string;
  color: string | null;
  hexColor: string | null;
  isDefaultCalendar: boolean | null;
  canEdit: boolean | null;
  owner: { name: string | null; address: string | null } | null;
}

export const USER_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle';

/** Which Graph calendar properties carry each field of GraphCalendar, for `$select`. */
export const CALENDAR_PROPERTIES: PropertyTable = {
  id: ['id'],
  name: ['name'],
  color: ['color'],
  hexColor: ['hexColor'],
  isDefaultCalendar: ['isDefaultCalendar'],
  canEdit: ['canEdit'],
  owner: ['owner'],
};

/** Graph sent something the gateway cannot read (a missing id, a field of the wrong type): Microsoft's failure, not ours. */
export class UnexpectedPayloadError extends Error {
  constructor(what: string, issue: string) {
    super(`Graph answered with ${what} the gateway cannot read: ${issue}`);
    this.name = 'UnexpectedPayloadError';
  }
}

const text = z.string().nullish();
const flag = z.boolean().nullish();
const id = z.string().min(1);

const userPayload = z.object({ id, displayName: text, mail: text, userPrincipalName: text, jobTitle: text });
const calendarPayload = z.object({
  id,
  name: text,
  color: text,
  hexColor: text,
  isDefaultCalendar: flag,
  canEdit: flag,
  owner: z.object({ name: text, address: text }).nullish(),
});

const organizationPayload = z.object({ id, displayName: text });

export function parsePayload<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UnexpectedPayloadError(what, `${issue?.path.join('.') || 'the object'}: ${issue?.message ?? 'invalid'}`);
}

export function toGraphUser(raw: unknown): GraphUser {
  const user = parsePayload(userPayload, raw, 'a user');
  return {
    id: user.id,
    displayName: user.displayName ?? null,
    mail: user.mail ?? null,
    userPrincipalName: user.userPrincipalName ?? null,
    jobTitle: user.jobTitle ?? null,
  };
}

export function toGraphOrganization(raw: unknown): { id: string; displayName: string | null } {
  const organization = parsePayload(organizationPayload, raw, 'an organisation');
  return { id: organization.id, displayName: organization.displayName ?? null };
}

export function toGraphCalendar(raw: unknown): GraphCalendar {
  const calendar = parsePayload(calendarPayload, raw, 'a calendar');
  return {
    id: calendar.id,
    name: calendar.name ?? '',
    color: calendar.color ?? null,
    // Graph sends "" for a colour never set; null says that better.
    hexColor: calendar.hexColor || null,
    isDefaultCalendar: calendar.isDefaultCalendar ?? null,
    canEdit: calendar.canEdit ?? null,
    owner: calendar.owner ? { name: calendar.owner.name ?? null, address: calendar.owner.address ?? null } : null,
  };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/**
 * Graph's `{"dateTime":"2025-01-06T09:00:00.0000000","timeZone":"UTC"}`: a local time with
 * seven fractional digits and the zone beside it. We ask for UTC, so anything else is refused
 * rather than silently shifted by the server's own offset.
 */
export function graphDateTimeToDate(value: unknown): Date {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  const match = typeof dateTime === 'string' ? LOCAL_DATE_TIME.exec(dateTime) : null;
  if (!match || (timeZone !== undefined && timeZone !== 'UTC' && timeZone !== 'Etc/UTC')) {
    throw new UnexpectedPayloadError('a date-time', `${JSON.stringify(value)} is not in UTC, which the gateway asks for`);
  }
  const [, year, month, day, hour, minute, second, fraction] = match.map((part) => part ?? '');
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  return new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds),
  );
}
