import { GraphError } from './graph-envelope';

/**
 * The `resource` of an event subscription, as Graph reads it. Documented for events:
 * `/users/{id}/events` and `/me/events` (concepts/includes/change-notifications-supported-resources-expanded.md);
 * `/users/{id}/calendars/{id}/events` is undocumented but accepted (microsoft-graph-docs-contrib#51).
 * `/users/{id}/events` only reports the default calendar (#51, #6150), so that is what the fake does.
 * A single event cannot be watched: Graph refuses `/users/{id}/events/{id}` (#3233).
 */

export interface EventSubscriptionTarget {
  /** The user id or userPrincipalName as written in the resource. */
  userKey: string;
  /** null: the default calendar (`/events`, `/calendar/events`). */
  calendarId: string | null;
}

/** The outer wrapper Graph's subscription service puts around an error from Exchange: 'Operation: Create; Exception: [Status Code: …; Reason: …]'. */
export function extensionError(status: number, operation: 'Create' | 'Update' | 'Delete' | 'Get' | 'Reauthorize', reason: string): GraphError {
  return new GraphError(status, 'ExtensionError', `Operation: ${operation}; Exception: [Status Code: ${STATUS_NAMES[status] ?? status}; Reason: ${reason}]`);
}

const STATUS_NAMES: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' };

/** Literal segments match case-insensitively ('Users', 'Events'), as Graph's routes do; `users('{id}')` is the same as `users/{id}`. */
export function parseEventResource(resource: string): EventSubscriptionTarget {
  const notSupported = extensionError(400, 'Create', `The value '${resource}' of parameter 'Resource' is not supported.`);
  if (resource.includes('?')) throw notSupported;
  const segments = resource
    .replace(/^\/+/, '')
    .split('/')
    .flatMap((segment) => {
      const keyed = segment.match(/^([A-Za-z]+)\('([^']*)'\)$/);
      return keyed ? [keyed[1], decodeSegment(keyed[2])] : [decodeSegment(segment)];
    });
  const lower = segments.map((segment) => segment.toLowerCase());
  if (lower[0] === 'me') throw extensionError(400, 'Create', '/me request is only valid with delegated authentication flow.');
  if (lower[0] !== 'users' || !segments[1]) throw notSupported;
  const rest = lower.slice(2).map((segment, index) => (index === 1 && lower[2] === 'calendars' ? '{id}' : segment)).join('/');
  switch (rest) {
    case 'events':
    case 'calendar/events':
      return { userKey: segments[1], calendarId: null };
    case 'calendars/{id}/events':
      if (!segments[3]) throw notSupported;
      return { userKey: segments[1], calendarId: segments[3] };
    default:
      throw notSupported;
  }
}

/** How a change notification names the event: always by user object id, with Graph's capitalised segments. */
export function eventResourcePath(userId: string, eventId: string): string {
  return `Users/${userId}/Events/${eventId}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
