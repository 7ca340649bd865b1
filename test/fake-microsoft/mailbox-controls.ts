import type { FakeContext } from './context';
import { renderEvent } from './event-record';
import { createEvent, deleteEvent, updateEvent } from './event-writes';
import { findCalendar, findMailbox } from './mailbox-access';
import type { MailboxOwner } from './mailbox-owner';
import { UTC_ZONE } from './time-zones';

/**
 * Test controls that change a mailbox "as its user would in Outlook": the same rules as Graph's
 * write routes (validation, invitations) but no HTTP, no permission check and no faults. Each
 * stored change is announced on mailboxChanges like any other. Events come back as Graph JSON in UTC.
 */
export interface MailboxControls {
  /** A Graph event body as for POST …/events; `copies: 2` creates the same event twice, as a duplicated sync would. */
  createEvent(tenantId: string, user: string, event: Record<string, unknown>, options?: { calendarId?: string; copies?: number }): Array<Record<string, unknown>>;
  updateEvent(tenantId: string, user: string, eventId: string, patch: Record<string, unknown>): Record<string, unknown>;
  deleteEvent(tenantId: string, user: string, eventId: string): void;
  /** The event as stored now, or undefined (deleted or never there). */
  getEvent(tenantId: string, user: string, eventId: string): Record<string, unknown> | undefined;
  /** Invalidates delta tokens handed out so far, for one mailbox or the whole tenant: the next delta call with one answers 410. */
  invalidateDeltaTokens(tenantId: string, user?: string): void;
}

export function mailboxControls(context: FakeContext): MailboxControls {
  const ownerOf = (tenantId: string, user: string): MailboxOwner => {
    const tenant = context.directory.findTenant(tenantId);
    const owner = tenant && findMailbox(tenant, user, context);
    if (!owner) throw new Error(`no mailbox '${user}' in tenant ${tenantId}`);
    return owner;
  };
  return {
    createEvent: (tenantId, user, event, options = {}) => {
      const owner = ownerOf(tenantId, user);
      const { index } = findCalendar(context, owner, options.calendarId);
      return Array.from({ length: options.copies ?? 1 }, () => renderEvent(createEvent(context, owner, index, event).event, UTC_ZONE));
    },
    updateEvent: (tenantId, user, eventId, patch) => renderEvent(updateEvent(context, ownerOf(tenantId, user), eventId, undefined, patch), UTC_ZONE),
    deleteEvent: (tenantId, user, eventId) => deleteEvent(context, ownerOf(tenantId, user), eventId),
    getEvent: (tenantId, user, eventId) => {
      const event = context.mailboxes.find(ownerOf(tenantId, user), eventId);
      return event && renderEvent(event, UTC_ZONE);
    },
    invalidateDeltaTokens: (tenantId, user) => {
      if (user === undefined) context.mailboxes.invalidateTenantSync(context.directory.findTenant(tenantId)?.tenantId ?? tenantId);
      else context.mailboxes.invalidateSync(ownerOf(tenantId, user));
    },
  };
}
