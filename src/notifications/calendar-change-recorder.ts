import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import type { GraphEvent } from '../microsoft/graph-resources';
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

  async record(tenant: TenantEntity, mailbox: MailboxSubscriptionEntity, seen: readonly SeenEvent[], processedInbox: readonly number[] = []): Promise<number> {
    if (seen.length === 0 && processedInbox.length === 0) return 0;
    const now = this.clock.now();
    return runInTransaction(this.dataSource, async (transaction) => {
      const { manager } = transaction;
      const told = new Map<string, string | null>();
      const ids = [...new Set(seen.map((each) => each.eventId))];
      for (let start = 0; start < ids.length; start += IN_CHUNK) {
        const rows = await manager.findBy(CalendarEventVersionEntity, { mailboxId: mailbox.id, eventId: In(ids.slice(start, start + IN_CHUNK)) });
        for (const row of rows) told.set(row.eventId, row.version);
      }
      const known = new Set(told.keys());
      const changed = new Map<string, string | null>();
      const events: WebhookEvent[] = [];
      for (const each of seen) {
        const change = changeToTell(told.get(each.eventId), each.observation);
        if (!change) {
          calendarChangesCollapsed.inc();
          continue;
        }
        const version = each.observation.present ? each.observation.version : null;
        told.set(each.eventId, version);
        changed.set(each.eventId, version);
        events.push({
          type: TYPES[change],
          subject: `event:${tenant.id}:${mailbox.userId}:${each.eventId}`,
          data: {
            tenantId: tenant.id,
            microsoftTenantId: tenant.microsoftTenantId,
            connectorId: tenant.connectorId,
            userId: mailbox.userId,
            eventId: each.eventId,
            event: change === 'deleted' ? null : each.event,
          },
        });
      }
      for (const [eventId, version] of changed) {
        if (known.has(eventId)) await manager.update(CalendarEventVersionEntity, { mailboxId: mailbox.id, eventId }, { version, seenAt: now });
        else await manager.insert(CalendarEventVersionEntity, { mailboxId: mailbox.id, eventId, version, seenAt: now });
      }
      await this.outbox.record(transaction, events);
      for (let start = 0; start < processedInbox.length; start += IN_CHUNK) {
        await manager.delete(GraphNotificationEntity, { sequence: In(processedInbox.slice(start, start + IN_CHUNK)) });
      }
      return events.length;
    });
  }
}
