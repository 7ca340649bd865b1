import type { MailboxChange, MailboxChangeType } from './mailbox-changes';
import { base64From } from './seeded-random';
import { eventResourcePath } from './subscription-resource';
import { notificationDateTime, type StoredSubscription } from './subscription-store';

/**
 * The payloads Graph POSTs: a change notification per changed event (without resource data:
 * the app reads the event itself), and lifecycle notifications about the subscription.
 * Field names, order and casing follow captured Outlook event notifications and
 * concepts/change-notifications-delivery-webhooks.md / change-notifications-lifecycle-events.md.
 */

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** Does this subscription watch this change? The same mailbox and calendar, and one of its change types. */
export function watches(subscription: StoredSubscription, change: MailboxChange, changeType: MailboxChangeType): boolean {
  return (
    subscription.tenantId === change.tenantId.toLowerCase() &&
    subscription.userId.toLowerCase() === change.userId.toLowerCase() &&
    subscription.calendarId === change.calendarId &&
    subscription.changeTypes.has(changeType)
  );
}

export function changeNotification(subscription: StoredSubscription, change: MailboxChange, changeType: MailboxChangeType): Record<string, unknown> {
  const path = eventResourcePath(subscription.userId, change.eventId);
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: notificationDateTime(subscription.expiresAt),
    changeType,
    resource: path,
    resourceData: {
      '@odata.type': '#Microsoft.Graph.Event',
      '@odata.id': path,
      // The change announcement carries no change key; one derived from the change is as opaque as Exchange's.
      '@odata.etag': `W/"${base64From(`${change.eventId}:${change.at}:${changeType}`, 16)}"`,
      id: change.eventId,
    },
    clientState: subscription.clientState,
    tenantId: subscription.tenantId,
  };
}

export function lifecycleNotification(subscription: StoredSubscription, lifecycleEvent: LifecycleEvent): Record<string, unknown> {
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: notificationDateTime(subscription.expiresAt),
    tenantId: subscription.tenantId,
    clientState: subscription.clientState,
    lifecycleEvent,
  };
}
