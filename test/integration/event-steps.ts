import type { FakeMicrosoft } from '../fake-microsoft';
import type { GatewayProcess } from './harness';
import { consentedTenant } from './scenario';

/** The event writes as a scheduling product calls them, written once for the event tests. */

export const EVENT_FIELDS = `id subject start end isAllDay showAs freeBusyStatus organizer { name address }
  attendees { emailAddress { name address } type response } location isOnlineMeeting onlineMeetingUrl bodyPreview
  sensitivity isCancelled type seriesMasterId iCalUId webLink categories createdAt lastModifiedAt warnings { code message }`;

export const CREATE_EVENT = `mutation($tenant: ID!, $user: ID!, $calendar: ID, $input: EventInput!, $key: String) {
  createEvent(tenantId: $tenant, userId: $user, calendarId: $calendar, input: $input, idempotencyKey: $key) { ${EVENT_FIELDS} } }`;

export const UPDATE_EVENT = `mutation($tenant: ID!, $user: ID!, $event: ID!, $input: EventPatchInput!) {
  updateEvent(tenantId: $tenant, userId: $user, eventId: $event, input: $input) { ${EVENT_FIELDS} } }`;

export const CANCEL_EVENT = `mutation($tenant: ID!, $user: ID!, $event: ID!, $comment: String) {
  cancelEvent(tenantId: $tenant, userId: $user, eventId: $event, comment: $comment) }`;

export const DELETE_EVENT = `mutation($tenant: ID!, $user: ID!, $event: ID!) { deleteEvent(tenantId: $tenant, userId: $user, eventId: $event) }`;

export const RESPOND_TO_EVENT = `mutation($tenant: ID!, $user: ID!, $event: ID!, $response: EventResponse!, $comment: String, $sendResponse: Boolean) {
  respondToEvent(tenantId: $tenant, userId: $user, eventId: $event, response: $response, comment: $comment, sendResponse: $sendResponse) }`;

export const USER_EVENTS = `query($tenant: ID!, $user: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {
  tenant(id: $tenant) { user(id: $user) { events(start: $start, end: $end) { ${EVENT_FIELDS} } } } }`;

/** A tenant that granted Calendars.ReadWrite, whose people have empty calendars (no generated events), and 4 rooms. */
export function writableTenant(gateway: GatewayProcess, fake: FakeMicrosoft, scopes = ['Directory.Read.All', 'Calendars.ReadWrite', 'Place.Read.All']) {
  return consentedTenant(gateway, fake, { users: Array.from({ length: 4 }, () => ({ eventsPerDay: 0 })), rooms: 4, scopes });
}

/** What the fake's Graph received for event writes (POST/PATCH/DELETE under /users/…/events), in order. */
export function eventWritesSent(fake: FakeMicrosoft): string[] {
  return fake.requestLog
    .filter((entry) => entry.method !== 'GET' && /^\/v1\.0\/users\/[^/]+\/(calendars\/[^/]+\/)?events/.test(entry.path))
    .map((entry) => `${entry.method} ${entry.path.replace(/^\/v1\.0/, '').replace(/\/users\/[^/]+/, '/users/{id}').replace(/\/calendars\/[^/]+/, '/calendars/{id}').replace(/\/events\/[^/]+/, '/events/{id}')}`);
}

/** The user's events in a window, as the gateway reads them. */
export async function eventsOf(gateway: GatewayProcess, tenantId: string, userId: string, window: { start: string; end: string }): Promise<any[]> {
  const answer = await gateway.gql(USER_EVENTS, { tenant: tenantId, user: userId, ...window });
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data.tenant.user.events;
}
