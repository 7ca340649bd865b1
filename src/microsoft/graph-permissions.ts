import { GatewayError } from '../errors';

/**
 * Which Graph application permission allows which read or write: one table for the early check (refuse
 * before calling Graph when the tenant's token lacks every role that allows it) and for
 * explaining a 403 that Graph answered anyway.
 */
export interface GraphPermission {
  /** what the gateway was asked to do, for messages: "list the users" */
  action: string;
  /** the application roles, any one of which allows it */
  allowedBy: readonly string[];
  /** the one to add when none is granted */
  suggested: string;
}

const DIRECTORY_READERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const CALENDAR_READERS = ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'];

export const graphPermissions = {
  listUsers: { action: 'list the users', allowedBy: DIRECTORY_READERS, suggested: 'User.Read.All' },
  readUser: { action: 'read users', allowedBy: DIRECTORY_READERS, suggested: 'User.Read.All' },
  readCalendars: { action: 'read calendars', allowedBy: CALENDAR_READERS, suggested: 'Calendars.Read' },
  readEvents: { action: 'read events', allowedBy: CALENDAR_READERS, suggested: 'Calendars.Read' },
  // getSchedule: free/busy with subjects; Calendars.ReadBasic.All is enough.
  readSchedules: { action: 'read free/busy schedules', allowedBy: CALENDAR_READERS, suggested: 'Calendars.Read' },
  // Create, change, delete, cancel and answer events: only Calendars.ReadWrite.
  writeEvents: { action: 'create, change or answer events', allowedBy: ['Calendars.ReadWrite'], suggested: 'Calendars.ReadWrite' },
  readPlaces: { action: 'read rooms and room lists', allowedBy: ['Place.Read.All', 'Place.ReadWrite.All'], suggested: 'Place.Read.All' },
  // Graph refuses Calendars.ReadBasic.All for event subscriptions (ExtensionError 403).
  subscribeToEvents: { action: 'subscribe to calendar changes', allowedBy: ['Calendars.Read', 'Calendars.ReadWrite'], suggested: 'Calendars.Read' },
  readOrganization: {
    action: "read the organisation's name",
    allowedBy: ['Directory.Read.All', 'Organization.Read.All', 'Directory.ReadWrite.All'],
    suggested: 'Directory.Read.All',
  },
} satisfies Record<string, GraphPermission>;

const reconsent = (role: string) =>
  `Add ${role} to the app registration's API permissions in Azure (application permission), select it on the connector, then have an administrator of the organisation consent again with a new consent link.`;

/** The permission a Graph route template needs, e.g. `GET /users/{id}/calendars`; null when unknown. */
export function permissionOfRoute(route: string): GraphPermission | null {
  const path = route.replace(/^[A-Z]+ /, '');
  if (/\/getSchedule\b/.test(path)) return graphPermissions.readSchedules;
  if (/^(POST|PATCH|DELETE) /.test(route) && /\/events\b/.test(path)) return graphPermissions.writeEvents;
  if (path.startsWith('/places')) return graphPermissions.readPlaces;
  if (path.startsWith('/subscriptions')) return graphPermissions.subscribeToEvents;
  if (/\/(calendarView|events)\b/.test(path)) return graphPermissions.readEvents;
  if (/\/calendars?\b/.test(path)) return graphPermissions.readCalendars;
  if (path.startsWith('/organization')) return graphPermissions.readOrganization;
  if (path === '/users') return graphPermissions.listUsers;
  if (path.startsWith('/users/')) return graphPermissions.readUser;
  return null;
}

/** Refuses early, with the fix, when `granted` holds none of the roles that allow the operation. */
export function requireGranted(granted: readonly string[], permission: GraphPermission): void {
  if (permission.allowedBy.some((role) => granted.includes(role))) return;
  throw new GatewayError(
    'GRAPH_FORBIDDEN',
    `The organisation has not granted a permission to ${permission.action} (one of ${permission.allowedBy.join(', ')}). ${reconsent(permission.suggested)}`,
    { missingScope: permission.suggested },
  );
}

/** Why Graph answered 403 although the early check passed, and what to do. */
export function forbiddenHint(route: string): string {
  const permission = permissionOfRoute(route);
  if (!permission) return `The app most likely lacks the application permission this request needs. ${reconsent('it')}`;
  const mailbox = permission.allowedBy === CALENDAR_READERS || permission === graphPermissions.writeEvents ? ' (or an Exchange application access policy excludes this mailbox)' : '';
  return `The app most likely lacks an application permission to ${permission.action} (${permission.allowedBy.join(' or ')})${mailbox}. ${reconsent(permission.suggested)}`;
}
