import { In, type DataSource, type EntityManager } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { notificationKey, type ChangeNotification, type LifecycleNotification } from '../microsoft/graph-change-notifications';
import { expiryShortened } from '../microsoft/graph-subscriptions';
import type { Logger } from '../observability/logger';
import { graphNotifications } from '../observability/metrics';
import type { Clock } from '../workers/background-workers';
import { clientStateHash, clientStateMatches, dedupeKeyOf } from './calendar-change-rules';
import { GraphNotificationEntity } from './change-notification-tables';
import { MailboxSubscriptionEntity } from './mailbox-subscription.entity';

/**
 * What the notification routes do before answering 202: keep each genuine notification (its
 * subscription known, its clientState right) in the inbox, once, and mark its mailbox due. The
 * mailbox job reads the events afterwards, on whichever replica claims the mailbox.
 */
export class NotificationInbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { clock: Clock; logger: Logger; wakeMailboxes: () => void },
  ) {}

  async acceptChanges(notifications: readonly ChangeNotification[]): Promise<void> {
    const now = this.options.clock.now();
    await runInTransaction(this.dataSource, async (transaction) => {
      const mailboxes = await this.genuine(transaction.manager, notifications, 'change');
      const rows = new Map<string, GraphNotificationEntity>();
      for (const { notification, mailbox } of mailboxes) {
        const dedupeKey = dedupeKeyOf(notificationKey(notification));
        if (rows.has(dedupeKey)) continue;
        rows.set(dedupeKey, Object.assign(new GraphNotificationEntity(), { mailboxId: mailbox.id, dedupeKey, changeType: notification.changeType, eventId: notification.eventId, receivedAt: now }));
      }
      const seen = rows.size === 0 ? [] : await transaction.manager.findBy(GraphNotificationEntity, { dedupeKey: In([...rows.keys()]) });
      for (const { dedupeKey } of seen) rows.delete(dedupeKey);
      const duplicates = mailboxes.length - rows.size;
      if (duplicates > 0) graphNotifications.inc({ kind: 'change', outcome: 'duplicate' }, duplicates);
      if (rows.size > 0) {
        graphNotifications.inc({ kind: 'change', outcome: 'accepted' }, rows.size);
        // The mailboxes first: a mailbox job saving one of them waits for this commit instead of
        // deadlocking with the inserts (their foreign key takes a share lock on the same rows).
        const due = [...new Set([...rows.values()].map((row) => row.mailboxId))].sort();
        await transaction.manager.update(MailboxSubscriptionEntity, { id: In(due) }, { dueAt: now });
        // A copy arriving on another replica at the same moment is the only thing left to ignore.
        await transaction.manager.createQueryBuilder().insert().into(GraphNotificationEntity).values([...rows.values()]).orIgnore().execute();
        transaction.afterCommit(this.options.wakeMailboxes);
      }
      await this.noteExpiries(transaction.manager, mailboxes, now);
    });
  }

  /** reauthorizationRequired: reauthorize; subscriptionRemoved: create it again and resync; missed: resync. */
  async acceptLifecycle(notifications: readonly LifecycleNotification[]): Promise<void> {
    const now = this.options.clock.now();
    await runInTransaction(this.dataSource, async (transaction) => {
      const { manager } = transaction;
      for (const { notification, mailbox } of await this.genuine(manager, notifications, 'lifecycle')) {
        graphNotifications.inc({ kind: 'lifecycle', outcome: 'accepted' });
        const changes = lifecycleChanges(notification.lifecycleEvent, now);
        if (!changes) {
          this.options.logger.info({ lifecycleEvent: notification.lifecycleEvent.slice(0, 64) }, 'ignored an unknown Graph lifecycle event');
          continue;
        }
        this.options.logger.info({ mailboxId: mailbox.id, lifecycleEvent: notification.lifecycleEvent }, 'Graph lifecycle notification');
        await manager.update(MailboxSubscriptionEntity, { id: mailbox.id }, { ...changes, dueAt: now });
        transaction.afterCommit(this.options.wakeMailboxes);
      }
    });
  }

  /** Notifications whose subscription is ours and whose clientState matches; the others are dropped and counted. */
  private async genuine<T extends { subscriptionId: string; clientState: string | null }>(
    manager: EntityManager,
    notifications: readonly T[],
    kind: 'change' | 'lifecycle',
  ): Promise<Array<{ notification: T; mailbox: MailboxSubscriptionEntity }>> {
    const ids = [...new Set(notifications.map((notification) => notification.subscriptionId.toLowerCase()))];
    const mailboxes = await manager.findBy(MailboxSubscriptionEntity, { subscriptionId: In(ids) });
    const bySubscription = new Map(mailboxes.map((mailbox) => [mailbox.subscriptionId!.toLowerCase(), mailbox]));
    // Graph may notify before the mailbox job has stored the new subscription's id: its clientState, kept first, tells whose it is.
    const unknown = notifications.filter((notification) => !bySubscription.has(notification.subscriptionId.toLowerCase()) && notification.clientState);
    const pending = unknown.length === 0 ? [] : await manager.findBy(MailboxSubscriptionEntity, { clientStateHash: In([...new Set(unknown.map((notification) => clientStateHash(notification.clientState!)))]) });
    const byClientState = new Map(pending.map((mailbox) => [mailbox.clientStateHash!, mailbox]));
    const accepted: Array<{ notification: T; mailbox: MailboxSubscriptionEntity }> = [];
    for (const notification of notifications) {
      const mailbox = bySubscription.get(notification.subscriptionId.toLowerCase()) ?? (notification.clientState ? byClientState.get(clientStateHash(notification.clientState)) : undefined);
      const outcome = !mailbox ? 'unknown_subscription' : clientStateMatches(mailbox.clientStateHash, notification.clientState) ? null : 'wrong_client_state';
      if (outcome) {
        graphNotifications.inc({ kind, outcome });
        this.options.logger.warn({ kind, outcome }, 'dropped a Graph notification');
        continue;
      }
      accepted.push({ notification, mailbox: mailbox! });
    }
    return accepted;
  }

  /** Notifications carry the subscription's expiry: when Graph's is earlier than ours, renew now. */
  private async noteExpiries(manager: EntityManager, accepted: Array<{ notification: ChangeNotification; mailbox: MailboxSubscriptionEntity }>, now: Date): Promise<void> {
    const shortened = new Map<string, Date>();
    for (const { notification, mailbox } of accepted) {
      if (expiryShortened(mailbox.expiresAt, notification.subscriptionExpiresAt)) shortened.set(mailbox.id, notification.subscriptionExpiresAt!);
    }
    for (const [id, expiresAt] of shortened) await manager.update(MailboxSubscriptionEntity, { id }, { expiresAt, renewAt: now, dueAt: now });
  }
}

function lifecycleChanges(event: string, now: Date): Partial<MailboxSubscriptionEntity> | null {
  switch (event) {
    case 'reauthorizationRequired':
      return { reauthorizeRequestedAt: now };
    case 'subscriptionRemoved':
      return { subscriptionId: null, clientStateHash: null, expiresAt: null, renewAt: null, resyncRequestedAt: now };
    case 'missed':
      return { resyncRequestedAt: now };
    default:
      return null;
  }
}
