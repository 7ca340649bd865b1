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

export interface GraphEvent {
  id: string;
  subject: string | null;
  start: Date;
  end: Date;
  isAllDay: boolean;
  showAs: string | null;
}

export const USER_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle';
export const CALENDAR_SELECT = 'id,name,color,hexColor,isDefaultCalendar,canEdit,owner';
export const EVENT_SELECT = 'id,subject,start,end,isAllDay,showAs';

type Json = Record<string, unknown>;

export function toGraphUser(raw: Json): GraphUser {
  return {
    id: String(raw.id),
    displayName: stringOrNull(raw.displayName),
    mail: stringOrNull(raw.mail),
    userPrincipalName: stringOrNull(raw.userPrincipalName),
    jobTitle: stringOrNull(raw.jobTitle),
  };
}

export function toGraphCalendar(raw: Json): GraphCalendar {
  const owner = typeof raw.owner === 'object' && raw.owner !== null ? (raw.owner as Json) : null;
  return {
    id: String(raw.id),
    name: typeof raw.name === 'string' ? raw.name : '',
    color: stringOrNull(raw.color),
    // Graph sends "" for a colour never set; null says that better.
    hexColor: stringOrNull(raw.hexColor) || null,
    isDefaultCalendar: booleanOrNull(raw.isDefaultCalendar),
    canEdit: booleanOrNull(raw.canEdit),
    owner: owner && { name: stringOrNull(owner.name), address: stringOrNull(owner.address) },
  };
}

export function toGraphEvent(raw: Json): GraphEvent {
  return {
    id: String(raw.id),
    subject: stringOrNull(raw.subject),
    start: graphDateTimeToDate(raw.start),
    end: graphDateTimeToDate(raw.end),
    isAllDay: raw.isAllDay === true,
    showAs: stringOrNull(raw.showAs),
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
    throw new Error(`unexpected Graph dateTimeTimeZone ${JSON.stringify(value)}; the gateway asks for UTC`);
  }
  const [, year, month, day, hour, minute, second, fraction] = match.map((part) => part ?? '');
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  return new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds),
  );
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}
