import type { LifecycleEvent } from './change-notifications';
import type { NotificationDelivery } from './notification-delivery';
import type { DroppedNotification, SubscriptionService } from './subscription-service';
import { graphDateTime, type StoredSubscription } from './subscription-store';
import type { ValidationRecord } from './subscription-validation';

/** What a test may see and do to Graph's subscriptions: the things only Microsoft's side could do (expire, age, challenge). */

export interface FakeSubscription {
  id: string;
  tenantId: string;
  applicationId: string;
  resource: string;
  userId: string;
  calendarId: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  /** What Graph granted, as it returns it. */
  expirationDateTime: string;
  latestSupportedTlsVersion: string;
  immutableIds: boolean;
  deliveryPaused: boolean;
}

export interface FakeSubscriptions {
  /** Live subscriptions of every tenant and app, oldest first. */
  list(): FakeSubscription[];
  get(id: string): FakeSubscription | undefined;
  /** As if its expiry passed: the subscription is gone and reads as 404. Graph sends nothing when a subscription expires. */
  expire(id: string): void;
  /** Moves the expiry, e.g. into the gateway's renewal window; a date in the past expires it. */
  setExpiration(id: string, at: Date): void;
  /**
   * Posts a lifecycle notification to the subscription's lifecycleNotificationUrl; false when it has none.
   * `subscriptionRemoved` also deletes the subscription. `reauthorizationRequired` with pauseDelivery
   * stops notifications (lost, as Graph loses them) until the app reauthorizes or renews.
   */
  sendLifecycle(id: string, lifecycleEvent: LifecycleEvent, options?: { pauseDelivery?: boolean }): boolean;
  /** Every POST body sent to a receiver, with each attempt's status and the outcome. */
  readonly deliveries: readonly NotificationDelivery[];
  /** Every validation handshake and whether the receiver passed it. */
  readonly validations: readonly ValidationRecord[];
  /** Notifications Graph never sent (dropNotifications fault, paused delivery). */
  readonly dropped: readonly DroppedNotification[];
  /** Resolves once no notification is queued, in flight or waiting for a resend. */
  settled(): Promise<void>;
  /** Forgets deliveries, validations and dropped notifications; subscriptions stay. */
  clearLog(): void;
}

export function subscriptionControls(service: SubscriptionService): FakeSubscriptions {
  const existing = (id: string): StoredSubscription => {
    const subscription = service.store.find(id);
    if (!subscription) throw new Error(`no live subscription ${id}`);
    return subscription;
  };
  return {
    list: () => service.store.all().map(describe),
    get: (id) => {
      const subscription = service.store.find(id);
      return subscription && describe(subscription);
    },
    expire: (id) => {
      existing(id).expiresAt = 0;
      service.store.find(id);
    },
    setExpiration: (id, at) => {
      existing(id).expiresAt = at.getTime();
      service.store.find(id);
    },
    sendLifecycle: (id, lifecycleEvent, options = {}) => {
      const subscription = existing(id);
      if (lifecycleEvent === 'reauthorizationRequired' && options.pauseDelivery) subscription.deliveryPaused = true;
      return service.sendLifecycle(subscription, lifecycleEvent);
    },
    deliveries: service.deliverer.deliveries,
    validations: service.validations,
    dropped: service.dropped,
    settled: () => service.settled(),
    clearLog: () => {
      service.deliverer.deliveries.length = 0;
      service.validations.length = 0;
      service.dropped.length = 0;
    },
  };
}

function describe(subscription: StoredSubscription): FakeSubscription {
  return {
    id: subscription.id,
    tenantId: subscription.tenantId,
    applicationId: subscription.applicationId,
    resource: subscription.resource,
    userId: subscription.userId,
    calendarId: subscription.calendarId,
    changeType: subscription.changeType,
    clientState: subscription.clientState,
    notificationUrl: subscription.notificationUrl,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: graphDateTime(subscription.expiresAt),
    latestSupportedTlsVersion: subscription.latestSupportedTlsVersion,
    immutableIds: subscription.immutableIds,
    deliveryPaused: subscription.deliveryPaused,
  };
}
