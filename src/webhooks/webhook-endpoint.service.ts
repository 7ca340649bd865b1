import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { GatewayKeys } from '../crypto/keys';
import { runInTransaction } from '../db/transaction';
import { badInput, notFound } from '../errors';
import { isGuid, shorten } from '../validation/input-rules';
import type { Clock } from '../workers/background-workers';
import { validEndpointUrl } from './endpoint-address-policy';
import { endpointSecretContext } from './webhook-delivery.job';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-event-type';
import type { WebhookOutbox } from './webhook-outbox';
import { newWebhookSecret } from './webhook-signing';

export const MAX_DELIVERIES_PAGE = 100;

export interface EndpointChanges {
  url?: string | null;
  events?: WebhookEventType[] | null;
  enabled?: boolean | null;
}

/** Webhook endpoints: registering them (the secret shown once), changing them, their delivery log, redelivery and test events. */
export class WebhookEndpointService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: GatewayKeys,
    private readonly outbox: WebhookOutbox,
    private readonly options: {
      allowLocal: boolean;
      clock: Clock;
      /** endpoints asking for calendar events changed: subscriptions may be needed, or no longer */
      calendarInterestChanged: () => Promise<void>;
    },
  ) {}

  list(): Promise<WebhookEndpointEntity[]> {
    return this.dataSource.manager.find(WebhookEndpointEntity, { order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<WebhookEndpointEntity> {
    const endpoint = isGuid(id) ? await this.dataSource.manager.findOneBy(WebhookEndpointEntity, { id }) : null;
    if (!endpoint) throw notFound(`No webhook endpoint with id "${shorten(id)}"; list them with { webhookEndpoints { id url events enabled } }`);
    return endpoint;
  }

  async create(input: { url: string; events: WebhookEventType[] }): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const events = validEvents(input.events);
    const url = await validEndpointUrl(input.url, { allowLocal: this.options.allowLocal });
    const id = randomUUID();
    const secret = newWebhookSecret();
    const now = this.options.clock.now();
    const endpoint = Object.assign(new WebhookEndpointEntity(), {
      id,
      url,
      events,
      secretSealed: this.keys.encrypt(secret, endpointSecretContext(id)),
      enabled: true,
      disabledReason: null,
      createdAt: now,
      updatedAt: now,
    });
    await runInTransaction(this.dataSource, ({ manager }) => manager.insert(WebhookEndpointEntity, endpoint));
    await this.options.calendarInterestChanged();
    return { endpoint, secret };
  }

  /** Only the given fields change; enabling clears the reason it was disabled. */
  async update(id: string, changes: EndpointChanges): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(id);
    const update: Partial<WebhookEndpointEntity> = {};
    if (changes.url != null) update.url = await validEndpointUrl(changes.url, { allowLocal: this.options.allowLocal });
    if (changes.events !== undefined) {
      if (changes.events === null) throw badInput('events cannot be null; send the full list of event types to deliver', { field: 'events' });
      update.events = validEvents(changes.events);
    }
    if (changes.enabled != null) {
      update.enabled = changes.enabled;
      if (changes.enabled) update.disabledReason = null;
    }
    if (Object.keys(update).length === 0) return endpoint;
    update.updatedAt = this.options.clock.now();
    await runInTransaction(this.dataSource, ({ manager }) => manager.update(WebhookEndpointEntity, { id: endpoint.id }, update));
    if (update.enabled) this.outbox.wakeDelivery();
    await this.options.calendarInterestChanged();
    return Object.assign(endpoint, update);
  }

  /** The endpoint and its delivery log go; pending deliveries are not sent. */
  async delete(id: string): Promise<boolean> {
    const endpoint = await this.get(id);
    // Its deliveries go with it (ON DELETE CASCADE).
    await runInTransaction(this.dataSource, ({ manager }) => manager.delete(WebhookEndpointEntity, { id: endpoint.id }));
    await this.options.calendarInterestChanged();
    return true;
  }

  /** The newest first. */
  deliveries(endpoint: WebhookEndpointEntity, first: number, status: WebhookDeliveryStatus | null | undefined): Promise<WebhookDeliveryEntity[]> {
    validDeliveriesPage(first);
    return this.dataSource.manager.find(WebhookDeliveryEntity, {
      where: { endpointId: endpoint.id, ...(status ? { status } : {}) },
      order: { sequence: 'DESC' },
      take: first,
    });
  }

  /** A new delivery of the same message (same webhook-id and body) to the same endpoint, first attempt due now. */
  async redeliver(deliveryId: string): Promise<WebhookDeliveryEntity> {
    const original = isGuid(deliveryId) ? await this.dataSource.manager.findOneBy(WebhookDeliveryEntity, { id: deliveryId }) : null;
    if (!original) throw notFound(`No webhook delivery with id "${shorten(deliveryId)}"; see an endpoint's deliveries with { webhookEndpoints { deliveries { id status } } }`);
    const endpoint = await this.get(original.endpointId);
    requireEnabled(endpoint);
    const now = this.options.clock.now();
    const copy = Object.assign(new WebhookDeliveryEntity(), {
      ...original,
      sequence: undefined,
      id: randomUUID(),
      status: WebhookDeliveryStatus.PENDING,
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      nextAttemptAt: now,
      claimedUntil: null,
      createdAt: now,
      deliveredAt: null,
    });
    await runInTransaction(this.dataSource, async (transaction) => {
      await transaction.manager.insert(WebhookDeliveryEntity, copy);
      transaction.afterCommit(() => this.outbox.wakeDelivery());
    });
    return copy;
  }

  /** A `webhook.test` event to this endpoint only, whatever events it asked for. */
  async sendTest(endpointId: string): Promise<WebhookDeliveryEntity> {
    const endpoint = await this.get(endpointId);
    requireEnabled(endpoint);
    const [delivery] = await runInTransaction(this.dataSource, (transaction) =>
      this.outbox.record(transaction, [{ type: WebhookEventType.WEBHOOK_TEST, subject: `test:${randomUUID()}`, data: { endpointId: endpoint.id } }], endpoint),
    );
    return delivery!;
  }
}

export function validEvents(events: readonly WebhookEventType[]): WebhookEventType[] {
  const choices = Object.values(WebhookEventType).filter((type) => type !== WebhookEventType.WEBHOOK_TEST);
  if (events.length === 0) throw badInput(`events cannot be empty: choose from ${choices.join(', ')}`, { field: 'events' });
  if (events.includes(WebhookEventType.WEBHOOK_TEST)) {
    throw badInput('WEBHOOK_TEST is sent only by sendTestWebhook, to the endpoint it names; leave it out of events', { field: 'events' });
  }
  return [...new Set(events)];
}

export function validDeliveriesPage(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_DELIVERIES_PAGE}; got ${first}`, { field: 'first' });
  }
}

function requireEnabled(endpoint: WebhookEndpointEntity): void {
  if (!endpoint.enabled) {
    throw badInput(`Webhook endpoint ${endpoint.id} is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; enable it with updateWebhookEndpoint(id, enabled: true) first`, { field: 'id' });
  }
}
