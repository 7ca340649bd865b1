import { randomUUID } from 'node:crypto';
import type { Transaction } from '../db/transaction';
import type { Clock } from '../workers/background-workers';
import { firstAttemptAt } from './delivery-schedule';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventType, wireName } from './webhook-event-type';

/** A change worth telling: its type, what it is about (deliveries about one subject keep their order), and the payload's data. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** `tenant:<id>`, `event:<tenant>:<user>:<event id>` */
  subject: string;
  data: Record<string, unknown>;
}

/**
 * The transactional outbox: a change and the deliveries it causes are committed together, so a
 * webhook is never sent for a change that rolled back, nor lost for one that committed. The
 * delivery worker sends them after the commit (woken at once on this replica).
 */
export class WebhookOutbox {
  constructor(
    private readonly options: {
      retryScheduleSeconds: readonly number[];
      clock: Clock;
      /** wakes this replica's delivery worker */
      wakeDelivery: () => void;
    },
  ) {}

  /** One delivery per event and enabled endpoint that asked for its type (or only to `endpoint`, for a test). */
  async record(transaction: Transaction, events: readonly WebhookEvent[], endpoint?: WebhookEndpointEntity): Promise<WebhookDeliveryEntity[]> {
    if (events.length === 0) return [];
    const endpoints = endpoint ? [endpoint] : await transaction.manager.findBy(WebhookEndpointEntity, { enabled: true });
    const now = this.options.clock.now();
    const deliveries: WebhookDeliveryEntity[] = [];
    for (const event of events) {
      const webhookId = randomUUID();
      const payload = JSON.stringify({ type: wireName(event.type), timestamp: now.toISOString(), data: event.data });
      for (const target of endpoints) {
        if (!endpoint && !target.events.includes(event.type)) continue;
        deliveries.push(
          Object.assign(new WebhookDeliveryEntity(), {
            id: randomUUID(),
            endpointId: target.id,
            webhookId,
            eventType: event.type,
            orderingKey: event.subject,
            payload,
            status: WebhookDeliveryStatus.PENDING,
            attempts: 0,
            lastStatusCode: null,
            lastError: null,
            nextAttemptAt: firstAttemptAt(this.options.retryScheduleSeconds, now),
            claimedUntil: null,
            createdAt: now,
            deliveredAt: null,
          }),
        );
      }
    }
    if (deliveries.length === 0) return [];
    // One at a time, in order: the generated sequence is what keeps deliveries of one subject in order.
    for (const delivery of deliveries) await transaction.manager.insert(WebhookDeliveryEntity, delivery);
    transaction.afterCommit(this.options.wakeDelivery);
    return deliveries;
  }

  /** New deliveries were written (after the commit) or became sendable again. */
  wakeDelivery(): void {
    this.options.wakeDelivery();
  }
}
