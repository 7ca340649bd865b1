import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import type { GraphEvent } from '../microsoft/graph-events';
import { calendarChangesCollapsed } from '../observability/metrics';
import type { TenantEntity } from '../tenants/tenant.entity';
import { WebhookEventType } from '../webhooks/webhook-event-type';
import type { WebhookEvent, WebhookOutbox } from '../webhooks/webhook-outbox';
import type { Clock } from '../workers/background-workers';
import { changeToTell, type CalendarChange, type Observation } from './calendar-change-rules';
import { CalendarEventVersionEntity, GraphNotificationEntity } from './change-notification-tables';
import type { MailboxSubscriptionEntity } from './mailbox-subscription.entity';

/** One event as seen now, with the mapped event when it exists. */
export interface SeenEvent {
  eventId: string;
  observation: Observation;
  event: GraphEvent | null;
}

const TYPES: Record<CalendarChange, WebhookEventType> = {
  created: WebhookEventType.CALENDAR_EVENT_CREATED,
  updated: WebhookEventType.CALENDAR_EVENT_UPDATED,
  deleted: WebhookEventType.CALENDAR_EVENT_DELETED,
};

/** SQLite accepts at most a few thousand parameters per statement. */
const IN_CHUNK = 500;

/**
 * Turns what was seen in one mailbox into webhooks, in one transaction: each version not told
 * before goes to the outbox, the versions told are remembered, and the inbox rows that led here are
 * removed. A crash before the commit leaves the inbox as it was; after it, nothing is told twice.
 */
export class CalendarChangeRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: WebhookOutbox,
    private readonly clock: Clock,
  ) {}

  /** For several mailboxes of one tenant at once: one transaction, one round trip per kind of row. */
  async record(tenant: TenantEntity, batches: ReadonlyArray<{ mailbox: MailboxSubscriptionEntity; seen: readonly SeenEvent[]; processedInbox?: readonly number[] }>): Promise<number> {
    const processed = batches.flatMap((batch) => batch.processedInbox ?? []);
    if (batches.every((batch) => batch.seen.length === 0) && processed.length === 0) return 0;
    const now = this.clock.now();
    return runInTransaction(this.dataSource, async (transaction) => {
      const { manager } = transaction;
      const keyOf = (mailboxId: string, eventId: string) => `${mailboxId}\u0000${eventId}`;
      const told = new Map<string, string | null>();
      const mailboxIds = [...new Set(batches.map((batch) => batch.mailbox.id))];
      const eventIds = [...new Set(batches.flatMap((batch) => batch.seen.map((each) => each.eventId)))];
      for (let start = 0; start < eventIds.length; start += IN_CHUNK) {
        const rows = await manager.findBy(CalendarEventVersionEntity, { mailboxId: In(mailboxIds), eventId: In(eventIds.slice(start, start + IN_CHUNK)) });
        for (const row of rows) told.set(keyOf(row.mailboxId, row.eventId), row.version);
      }
      const known = new Set(told.keys());
      const changed = new Map<string, { mailboxId: string; eventId: string; version: string | null }>();
      const events: WebhookEvent[] = [];
      for (const { mailbox, seen } of batches) {
        for (const each of seen) {
          const key = keyOf(mailbox.id, each.eventId);
          const change = changeToTell(told.get(key), each.observation, now);
          if (!change) {
            calendarChangesCollapsed.inc();
            continue;
          }
          const version = each.observation.present ? each.observation.version : null;
          told.set(key, version);
          changed.set(key, { mailboxId: mailbox.id, eventId: each.eventId, version });
          events.push(calendarWebhook(tenant, mailbox, each, change));
        }
      }
      for (const [key, row] of changed) {
        if (known.has(key)) await manager.update(CalendarEventVersionEntity, { mailboxId: row.mailboxId, eventId: row.eventId }, { version: row.version, seenAt: now });
        else await manager.insert(CalendarEventVersionEntity, { ...row, seenAt: now });
      }
      await this.outbox.record(transaction, events);
      for (let start = 0; start < processed.length; start += IN_CHUNK) {
        await manager.delete(GraphNotificationEntity, { sequence: In(processed.slice(start, start + IN_CHUNK)) });
      }
      return events.length;
    });
  }
}

function calendarWebhook(tenant: TenantEntity, mailbox: MailboxSubscriptionEntity, seen: SeenEvent, change: CalendarChange): WebhookEvent {
  return {
    type: TYPES[change],
    subject: `event:${tenant.id}:${mailbox.userId}:${seen.eventId}`,
    data: {
      tenantId: tenant.id,
      microsoftTenantId: tenant.microsoftTenantId,
      connectorId: tenant.connectorId,
      userId: mailbox.userId,
      eventId: seen.eventId,
      event: change === 'deleted' ? null : seen.event,
    },
  };
}
