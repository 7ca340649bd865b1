import { graphBaseUrl, type FakeContext } from './context';
import type { FakeUser, Tenant } from './directory';
import { userInSet } from './faults';
import { GraphError, type GraphRequest } from './graph-envelope';
import type { MailboxOwner } from './mailbox-owner';
import { requireRole } from './graph-permissions';
import { calendarsOf } from './mailbox-content';

/** How Exchange opens a mailbox for a request, shared by every calendar, event and schedule route. Its errors use the Error* codes. */

export const CALENDAR_READ_ROLES = ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'];
export const CALENDAR_WRITE_ROLES = ['Calendars.ReadWrite'];

/**
 * What Exchange checks before it touches a mailbox: the app's calendar role, that the user (or
 * room) exists, an application access policy (forbiddenUsers), and an Exchange Online mailbox.
 */
export function openMailbox(context: FakeContext, request: GraphRequest, userKey: string, roles: readonly string[] = CALENDAR_READ_ROLES): MailboxOwner {
  requireRole(request, roles, accessDenied);
  const owner = findMailbox(request.tenant, userKey, context);
  if (!owner) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userKey}' is invalid.`);
  if (userInSet(context.faults.forbiddenUsers, owner.mailbox.id)) throw accessDenied();
  if (owner.mailbox.mail === null || userInSet(context.faults.mailboxDisabledUsers, owner.mailbox.id)) {
    throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  return owner;
}

/** A person by object id or userPrincipalName, or a room mailbox by address or id. */
export function findMailbox(tenant: Tenant, key: string, context: FakeContext): MailboxOwner | undefined {
  const user = context.directory.findUser(tenant, key);
  if (user) return { tenant, mailbox: user, isRoom: false };
  const room = tenant.roomMailboxes.get(key.toLowerCase());
  return room ? { tenant, mailbox: room, isRoom: true } : undefined;
}

const mailIndexes = new WeakMap<Tenant, Map<string, FakeUser>>();

/** A mailbox by SMTP address (mail, else userPrincipalName), as getSchedule and invitations resolve attendees. */
export function mailboxByAddress(tenant: Tenant, address: string): MailboxOwner | undefined {
  const key = address.trim().toLowerCase();
  let index = mailIndexes.get(tenant);
  if (!index || index.size === 0) {
    index = new Map();
    for (const user of tenant.users) index.set((user.mail ?? user.userPrincipalName).toLowerCase(), user);
    mailIndexes.set(tenant, index);
  }
  const user = index.get(key);
  if (user && user.mail !== null) return { tenant, mailbox: user, isRoom: false };
  const room = tenant.roomMailboxes.get(key);
  return room ? { tenant, mailbox: room, isRoom: true } : undefined;
}

/** calendarId undefined = the default calendar. */
export function findCalendar(context: FakeContext, owner: MailboxOwner, calendarId: string | undefined): { calendar: Record<string, unknown>; index: number } {
  const calendars = calendarsOf(graphBaseUrl(context), owner.tenant, owner.mailbox, onlineMeetingsAllowed(context, owner));
  const index = calendarId === undefined ? 0 : calendars.findIndex((each) => each.id === calendarId);
  if (index < 0 || !calendars[index]) throw itemNotFound();
  return { calendar: calendars[index], index };
}

export function onlineMeetingsAllowed(context: FakeContext, owner: MailboxOwner): boolean {
  return !userInSet(context.faults.onlineMeetingsDisabledUsers, owner.mailbox.id);
}

export function accessDenied(): GraphError {
  return new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

export function itemNotFound(): GraphError {
  return new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

export function unknownProperty(typeName: string): (name: string) => GraphError {
  return (name) => new GraphError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
}
