import type { MailboxChangeType } from './mailbox-changes';

/** What Graph keeps of a change-notification subscription on Outlook events. */
export interface StoredSubscription {
  id: string;
  tenantId: string;
  /** The app's client id (`appid` of the creating token). */
  applicationId: string;
  /** The app's service principal in the tenant (`oid` of an app-only token), as Graph reports for application permissions. */
  creatorId: string;
  /** As the app wrote it; Graph echoes it back unchanged. */
  resource: string;
  /** The mailbox owner's object id, whatever form the resource used. */
  userId: string;
  /** The watched calendar; the default calendar's id for `/events`. */
  calendarId: string;
  /** As the app wrote it ('created,updated'). */
  changeType: string;
  changeTypes: Set<MailboxChangeType>;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expiresAt: number;
  latestSupportedTlsVersion: string;
  /** Created with `Prefer: IdType="ImmutableId"`; the fake's event ids never change, so it only records the wish. */
  immutableIds: boolean;
  /** After a reauthorizationRequired challenge the fake was told to pause on: changes are lost until reauthorize or renew. */
  deliveryPaused: boolean;
}

/**
 * The subscriptions of every tenant. An expired subscription is gone, as in Graph: it stops
 * delivering and reads as 404, so every read goes through `live()`, which drops it first.
 */
export class SubscriptionStore {
  private readonly byId = new Map<string, StoredSubscription>();

  constructor(private readonly now: () => number) {}

  add(subscription: StoredSubscription): void {
    this.byId.set(subscription.id.toLowerCase(), subscription);
  }

  /** A live subscription by id, whoever owns it; callers check the owner. */
  find(id: string): StoredSubscription | undefined {
    const subscription = this.byId.get(id.toLowerCase());
    return subscription && this.live(subscription) ? subscription : undefined;
  }

  /** The live subscriptions of one app in one tenant, oldest first. */
  ownedBy(tenantId: string, applicationId: string): StoredSubscription[] {
    return this.all().filter((each) => each.tenantId === tenantId && each.applicationId.toLowerCase() === applicationId.toLowerCase());
  }

  /** Every live subscription on one mailbox, all apps together (what Graph's per-mailbox limit counts). */
  onMailbox(tenantId: string, userId: string): StoredSubscription[] {
    return this.all().filter((each) => each.tenantId === tenantId && each.userId === userId);
  }

  all(): StoredSubscription[] {
    return [...this.byId.values()].filter((each) => this.live(each));
  }

  remove(id: string): boolean {
    return this.byId.delete(id.toLowerCase());
  }

  clear(): void {
    this.byId.clear();
  }

  private live(subscription: StoredSubscription): boolean {
    if (subscription.expiresAt > this.now()) return true;
    this.byId.delete(subscription.id.toLowerCase());
    return false;
  }
}

/** Graph's DateTimeOffset with seven fraction digits, as subscriptions carry it: 2016-11-20T18:23:45.9356913Z. */
export function graphDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** The same instant as change notifications write subscriptionExpirationDateTime: 2023-05-26T23:29:18.2277768+00:00. */
export function notificationDateTime(epochMs: number): string {
  return graphDateTime(epochMs).replace(/Z$/, '+00:00');
}
