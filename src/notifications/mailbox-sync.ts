import { randomBytes } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { DeltaTokenExpired, readCalendarDelta, readEvents, type DeltaItem } from '../microsoft/graph-calendar-changes';
import type { GraphClient } from '../microsoft/graph-client';
import {
  createEventSubscription,
  isSubscriptionGone,
  reauthorizeSubscription,
  renewalTime,
  renewSubscription,
} from '../microsoft/graph-subscriptions';
import type { Logger } from '../observability/logger';
import { graphSubscriptionOperations } from '../observability/metrics';
import type { TenantGraphAccess } from '../tenants/tenant-access';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { CalendarChangeRecorder, SeenEvent } from './calendar-change-recorder';
import { clientStateHash } from './calendar-change-rules';
import { GraphNotificationEntity } from './change-notification-tables';
import { MailboxSubscriptionEntity } from './mailbox-subscription.entity';

/** The window calendar delta covers: a day back (late edits of today's meetings), two months ahead. */
const WINDOW_BACK_MS = 24 * 3600_000;
const WINDOW_AHEAD_MS = 60 * 24 * 3600_000;
/** The window is fixed when a delta starts; after a week it is moved forward with a fresh start. */
const WINDOW_ROTATION_MS = 7 * 24 * 3600_000;

export interface MailboxUrls {
  notificationUrl: string;
  lifecycleNotificationUrl: string;
}

type Changes = Partial<MailboxSubscriptionEntity>;

/**
 * What the mailbox job does for one mailbox, step by step: read the events its notifications name,
 * keep its Graph subscription alive, run a calendar delta round. Each step writes its results into
 * `changes` (saved by the job) and tells the recorder what was seen.
 */
export class MailboxSync {
  constructor(
    private readonly dataSource: DataSource,
    private readonly graph: GraphClient,
    private readonly recorder: CalendarChangeRecorder,
    private readonly urls: MailboxUrls,
    private readonly logger: Logger,
  ) {}

  /** The inbox of these mailboxes (one tenant): their events read in $batch calls, then told in arrival order. */
  async processInbox(tenant: TenantEntity, access: TenantGraphAccess, mailboxes: readonly MailboxSubscriptionEntity[]): Promise<void> {
    const inbox = await this.dataSource.manager.find(GraphNotificationEntity, { where: { mailboxId: In(mailboxes.map((mailbox) => mailbox.id)) }, order: { sequence: 'ASC' } });
    if (inbox.length === 0) return;
    const byMailbox = new Map(mailboxes.map((mailbox) => [mailbox.id, mailbox]));
    const keyOf = (mailboxId: string, eventId: string) => `${mailboxId}\u0000${eventId}`;
    const reads = [...new Map(inbox.filter((row) => row.changeType !== 'deleted').map((row) => [keyOf(row.mailboxId, row.eventId), row])).values()];
    const answers = await readEvents(this.graph, access, reads.map((row) => ({ userId: byMailbox.get(row.mailboxId)!.userId, eventId: row.eventId })));
    const current = new Map(reads.map((row, index) => [keyOf(row.mailboxId, row.eventId), answers[index]]));
    const batches = [];
    for (const mailbox of mailboxes) {
      const rows = inbox.filter((row) => row.mailboxId === mailbox.id);
      if (rows.length === 0) continue;
      const seen: SeenEvent[] = [];
      for (const row of rows) {
        if (row.changeType === 'deleted') {
          seen.push({ eventId: row.eventId, observation: { present: false }, event: null });
          continue;
        }
        const answer = current.get(keyOf(mailbox.id, row.eventId));
        // Gone already: its own deleted notification tells that. A read Graph refused is told by the next sweep.
        if (answer === null || answer === undefined) continue;
        if (answer instanceof Error) {
          this.logger.warn({ mailboxId: mailbox.id, status: answer.status, code: answer.graphCode }, 'could not read a changed event; the next sweep tells it');
          continue;
        }
        const said = row.changeType === 'created' ? 'created' : 'updated';
        seen.push({ eventId: answer.eventId, observation: { present: true, version: answer.version, said, createdAt: answer.createdAt, since: mailbox.syncedAt }, event: answer.event });
      }
      batches.push({ mailbox, seen, processedInbox: rows.map((row) => row.sequence) });
    }
    await this.recorder.record(tenant, batches);
  }

  /** Creates the subscription if there is none, renews it when due, reauthorizes it when Graph asked; 404 means Graph dropped it: a new one, and a resync. */
  async keepSubscription(mailbox: MailboxSubscriptionEntity, access: TenantGraphAccess, now: Date, changes: Changes): Promise<void> {
    if (!mailbox.subscriptionId) return this.create(mailbox, access, now, changes);
    const renewing = mailbox.renewAt !== null && mailbox.renewAt <= now;
    if (!renewing && !mailbox.reauthorizeRequestedAt) return;
    const operation = renewing ? 'renew' : 'reauthorize';
    try {
      if (renewing) {
        const renewed = await renewSubscription(this.graph, access, mailbox.subscriptionId, now);
        Object.assign(changes, { expiresAt: renewed.expiresAt, renewAt: renewalTime(renewed.expiresAt, now) });
      } else {
        await reauthorizeSubscription(this.graph, access, mailbox.subscriptionId);
      }
      graphSubscriptionOperations.inc({ operation, outcome: 'ok' });
    } catch (error) {
      graphSubscriptionOperations.inc({ operation, outcome: isSubscriptionGone(error) ? 'gone' : 'failed' });
      if (!isSubscriptionGone(error)) throw error;
      this.logger.info({ mailboxId: mailbox.id }, 'Graph no longer has the subscription; creating it again');
      await this.create(mailbox, access, now, changes);
    }
  }

  /**
   * A delta round: the changes since the last one, told; or, with no delta yet (or its window due
   * to move, or its token expired), a fresh start over the window that tells only what changed
   * since the last round, if there was one.
   */
  async deltaRound(tenant: TenantEntity, mailbox: MailboxSubscriptionEntity, access: TenantGraphAccess, now: Date, changes: Changes): Promise<void> {
    const since = mailbox.syncedAt;
    const fresh = !mailbox.deltaLink || !mailbox.deltaStartedAt || now.getTime() - mailbox.deltaStartedAt.getTime() > WINDOW_ROTATION_MS;
    let round: { items: DeltaItem[]; deltaLink: string } | null = null;
    if (!fresh) {
      try {
        round = await readCalendarDelta(this.graph, access, { userId: mailbox.userId, deltaLink: mailbox.deltaLink! });
      } catch (error) {
        if (!(error instanceof DeltaTokenExpired)) throw error;
        this.logger.info({ mailboxId: mailbox.id }, 'calendar delta token expired; starting over from the window');
      }
    }
    let seen: SeenEvent[];
    if (round) {
      seen = round.items.map((item) => seenOf(item, since));
    } else {
      // A fresh start lists the whole window: only what changed since the last round is news (deletions in between are not seen).
      const window = { start: new Date(now.getTime() - WINDOW_BACK_MS), end: new Date(now.getTime() + WINDOW_AHEAD_MS) };
      round = await readCalendarDelta(this.graph, access, { userId: mailbox.userId, window }, (modifiedAt) => since !== null && modifiedAt !== null && modifiedAt > since);
      seen = round.items.filter((item) => !item.removed).map((item) => seenOf(item, since));
      changes.deltaStartedAt = now;
    }
    await this.recorder.record(tenant, [{ mailbox, seen }]);
    Object.assign(changes, { deltaLink: round.deltaLink, syncedAt: now });
  }

  private async create(mailbox: MailboxSubscriptionEntity, access: TenantGraphAccess, now: Date, changes: Changes): Promise<void> {
    const clientState = randomBytes(32).toString('base64url');
    // Kept before Graph is asked, and the id as soon as Graph answers: a notification can arrive in between.
    await this.persist(mailbox, { clientStateHash: clientStateHash(clientState) });
    let created: { id: string; expiresAt: Date };
    try {
      created = await createEventSubscription(this.graph, access, { userId: mailbox.userId, ...this.urls, clientState, now });
      graphSubscriptionOperations.inc({ operation: 'create', outcome: 'ok' });
    } catch (error) {
      graphSubscriptionOperations.inc({ operation: 'create', outcome: 'failed' });
      throw error;
    }
    const subscription = { subscriptionId: created.id.toLowerCase(), clientStateHash: clientStateHash(clientState), expiresAt: created.expiresAt, renewAt: renewalTime(created.expiresAt, now) };
    await this.persist(mailbox, subscription);
    Object.assign(changes, subscription, { reauthorizeRequestedAt: null });
    // Changes made while there was no subscription (or before the first one) are found by a delta round.
    if (mailbox.deltaLink) changes.resyncRequestedAt = now;
  }

  private async persist(mailbox: MailboxSubscriptionEntity, changes: Changes): Promise<void> {
    await runInTransaction(this.dataSource, ({ manager }) => manager.update(MailboxSubscriptionEntity, { id: mailbox.id }, changes));
  }
}

function seenOf(item: DeltaItem, since: Date | null): SeenEvent {
  if (item.removed) return { eventId: item.eventId, observation: { present: false }, event: null };
  const { observed } = item;
  return { eventId: observed.eventId, observation: { present: true, version: observed.version, said: null, createdAt: observed.createdAt, since }, event: observed.event };
}
