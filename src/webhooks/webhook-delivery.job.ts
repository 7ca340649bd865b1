import { In, type DataSource } from 'typeorm';
import type { GatewayKeys } from '../crypto/keys';
import { runInTransaction } from '../db/transaction';
import type { Logger } from '../observability/logger';
import { webhookDeliveries } from '../observability/metrics';
import type { BackgroundJob, Clock, JobRound } from '../workers/background-workers';
import { LeasedClaims } from '../workers/leased-claims';
import { nextAttemptAt, outcomeOf } from './delivery-schedule';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import type { WebhookSender } from './webhook-sender';
import { webhookHeaders } from './webhook-signing';

/** Attempts in flight per replica; a slow endpoint holds one slot per attempt until its time-out. */
const MAX_IN_FLIGHT = 32;

export const WEBHOOK_DELIVERY_JOB = 'webhook-deliveries';

/** The associated data a secret is sealed with: a sealed secret copied to another endpoint's row does not open. */
export const endpointSecretContext = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/**
 * Sends due deliveries: oldest first, never one while an earlier delivery of the same subject to
 * the same endpoint is pending (that is the order), each claimed by one replica. A 2xx answer
 * delivers; 410 Gone disables the endpoint; anything else schedules the next attempt, until the
 * retry schedule is used up.
 */
export class WebhookDeliveryJob implements BackgroundJob {
  readonly name = WEBHOOK_DELIVERY_JOB;
  private readonly claims: LeasedClaims<WebhookDeliveryEntity>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly secrets = new Map<string, { sealed: string; secret: string }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: GatewayKeys,
    private readonly sender: WebhookSender,
    private readonly options: { retryScheduleSeconds: readonly number[]; timeoutMs: number; clock: Clock; logger: Logger; wake: () => void },
  ) {
    // The lease outlives an attempt's time-out, so only a replica that died loses its claim.
    this.claims = new LeasedClaims(dataSource, { entity: WebhookDeliveryEntity, alias: 'delivery', key: 'sequence', leaseMs: options.timeoutMs + 30_000 });
  }

  async runDue({ now, signal }: JobRound): Promise<boolean> {
    const capacity = MAX_IN_FLIGHT - this.inFlight.size;
    const claimed = await this.claims.claim(now, capacity, (query) =>
      query
        .innerJoin(WebhookEndpointEntity, 'endpoint', 'endpoint.id = delivery.endpoint_id AND endpoint.enabled = :enabled', { enabled: true })
        .where('delivery.status = :pending', { pending: WebhookDeliveryStatus.PENDING })
        .andWhere('delivery.next_attempt_at <= :now', { now })
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier WHERE earlier.endpoint_id = delivery.endpoint_id
            AND earlier.ordering_key = delivery.ordering_key AND earlier.status = :pending AND earlier.sequence < delivery.sequence)`,
        )
        .orderBy('delivery.next_attempt_at', 'ASC')
        .addOrderBy('delivery.sequence', 'ASC'),
    );
    const deliveries = claimed.length === 0 ? [] : await this.dataSource.manager.findBy(WebhookDeliveryEntity, { sequence: In(claimed.map(Number)) });
    const endpoints = new Map(
      (deliveries.length === 0 ? [] : await this.dataSource.manager.findBy(WebhookEndpointEntity, { id: In([...new Set(deliveries.map((delivery) => delivery.endpointId))]) })).map((endpoint) => [endpoint.id, endpoint]),
    );
    for (const key of claimed) {
      const delivery = deliveries.find((each) => String(each.sequence) === key);
      const endpoint = delivery && endpoints.get(delivery.endpointId);
      if (!delivery || !endpoint) {
        this.claims.finish(key);
        continue;
      }
      const attempt = this.attempt(delivery, endpoint, signal)
        .catch((error: unknown) => {
          if (!signal.aborted) this.options.logger.error({ err: error }, 'webhook delivery attempt failed unexpectedly');
        })
        .finally(() => {
          this.inFlight.delete(attempt);
          // A finished attempt frees a slot, and may unblock the next delivery of its subject.
          if (!signal.aborted) this.options.wake();
        });
      this.inFlight.add(attempt);
    }
    return capacity > 0 && claimed.length === capacity;
  }

  /** Opened once per endpoint and sealed value (a changed row seals a new one), not once per attempt. */
  private secretOf(endpoint: WebhookEndpointEntity): string {
    const cached = this.secrets.get(endpoint.id);
    if (cached?.sealed === endpoint.secretSealed) return cached.secret;
    const secret = this.keys.decrypt(endpoint.secretSealed, endpointSecretContext(endpoint.id));
    this.secrets.set(endpoint.id, { sealed: endpoint.secretSealed, secret });
    return secret;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.claims.releaseAll();
    await this.sender.close();
  }

  private async attempt(delivery: WebhookDeliveryEntity, endpoint: WebhookEndpointEntity, signal: AbortSignal): Promise<void> {
    const { sequence } = delivery;
    const key = String(sequence);
    const secret = this.secretOf(endpoint);
    const sentAt = this.options.clock.now();
    // An attempt cut short by the gateway stopping is not counted: the claim is given back at stop.
    const answer = await this.sender.post(endpoint.url, webhookHeaders(secret, delivery.webhookId, sentAt, delivery.payload), delivery.payload, signal);
    const outcome = outcomeOf(answer.statusCode);
    const now = this.options.clock.now();
    const attempts = delivery.attempts + 1;
    const next = outcome === 'retry' ? nextAttemptAt(this.options.retryScheduleSeconds, attempts, now) : null;
    const status =
      outcome === 'delivered' ? WebhookDeliveryStatus.DELIVERED : outcome === 'retry' && next ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED;
    await runInTransaction(this.dataSource, async ({ manager }) => {
      await manager.update(WebhookDeliveryEntity, { sequence }, {
        status,
        attempts,
        lastStatusCode: answer.statusCode,
        lastError: answer.error,
        nextAttemptAt: next,
        deliveredAt: outcome === 'delivered' ? now : null,
        claimedUntil: null,
      });
      if (outcome === 'gone') {
        const disabledReason = `The endpoint answered 410 Gone at ${now.toISOString()}, so the gateway disabled it; its pending deliveries wait. Enable it again with updateWebhookEndpoint(id, enabled: true).`;
        await manager.update(WebhookEndpointEntity, { id: endpoint.id }, { enabled: false, disabledReason, updatedAt: now });
      }
    });
    this.claims.finish(key);
    webhookDeliveries.inc({ outcome: outcome === 'gone' ? 'disabled' : status === WebhookDeliveryStatus.FAILED ? 'failed' : outcome === 'delivered' ? 'delivered' : 'retrying' });
    if (outcome !== 'delivered') {
      this.options.logger.info({ endpointId: endpoint.id, deliveryId: delivery.id, attempts, statusCode: answer.statusCode, reason: answer.error, status }, 'webhook delivery attempt failed');
    }
  }
}
