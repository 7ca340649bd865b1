import { changeNotification, lifecycleNotification, watches, type LifecycleEvent } from './change-notifications';
import type { FakeCounters } from './counters';
import { consumeCountedFault, type FakeFaults } from './faults';
import type { MailboxChange, MailboxChangeType, MailboxChanges } from './mailbox-changes';
import { NotificationDeliverer, type DeliveryTiming } from './notification-delivery';
import { SubscriptionStore, type StoredSubscription } from './subscription-store';
import { validateEndpoint, type ValidationRecord } from './subscription-validation';

/**
 * Graph's change-notification service for Outlook events: it keeps the subscriptions, hears
 * every stored change to a mailbox, and sends what each subscription asked for to its
 * receiver, with the faults Graph is known for (repeats, a create that is also an update,
 * notifications lost for good).
 */

export interface DroppedNotification {
  subscriptionId: string;
  notification: Record<string, unknown>;
  reason: 'dropNotifications fault' | 'paused until reauthorized';
}

export class SubscriptionService {
  readonly store = new SubscriptionStore(() => Date.now());
  readonly deliverer: NotificationDeliverer;
  readonly validations: ValidationRecord[] = [];
  readonly dropped: DroppedNotification[] = [];
  private readonly stopListening: () => void;

  constructor(
    private readonly counters: FakeCounters,
    private readonly faults: FakeFaults,
    mailboxChanges: MailboxChanges,
    timing: DeliveryTiming,
  ) {
    this.deliverer = new NotificationDeliverer(counters, timing);
    this.stopListening = mailboxChanges.onChange((change) => this.notify(change));
  }

  /** The handshake for a new notificationUrl or lifecycleNotificationUrl; throws Graph's 400 when the receiver fails it. */
  validate(url: string, requestId: string): Promise<void> {
    return validateEndpoint(this.deliverer, this.counters, this.validations, url, requestId);
  }

  /** False when the subscription has no lifecycleNotificationUrl: Graph then has nowhere to send it. `subscriptionRemoved` deletes the subscription either way. */
  sendLifecycle(subscription: StoredSubscription, lifecycleEvent: LifecycleEvent): boolean {
    if (lifecycleEvent === 'subscriptionRemoved') this.store.remove(subscription.id);
    if (!subscription.lifecycleNotificationUrl) return false;
    this.deliverer.enqueue('lifecycle', subscription.lifecycleNotificationUrl, lifecycleNotification(subscription, lifecycleEvent));
    return true;
  }

  settled(): Promise<void> {
    return this.deliverer.settled();
  }

  stop(): void {
    this.stopListening();
    this.deliverer.stop();
    this.store.clear();
  }

  private notify(change: MailboxChange): void {
    // Graph often reports a new event twice, created then updated (microsoft-graph-docs#7598).
    const changeTypes: MailboxChangeType[] = change.changeType === 'created' && this.faults.updatedAfterCreate ? ['created', 'updated'] : [change.changeType];
    for (const subscription of this.store.all()) {
      changeTypes.forEach((changeType, index) => {
        if (!watches(subscription, change, changeType)) return;
        const notification = changeNotification(subscription, change, changeType);
        const reason = subscription.deliveryPaused ? 'paused until reauthorized' : consumeCountedFault(this.faults.dropNotifications) ? 'dropNotifications fault' : null;
        if (reason) {
          this.counters.notificationsDropped++;
          this.dropped.push({ subscriptionId: subscription.id, notification, reason });
          return;
        }
        const copies = Math.max(1, Math.floor(this.faults.notificationCopies ?? 1));
        for (let copy = 0; copy < copies; copy++) {
          this.deliverer.enqueue('change', subscription.notificationUrl, notification, { alone: index > 0 || copy > 0 });
        }
      });
    }
  }
}
