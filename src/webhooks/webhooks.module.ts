import { In, LessThan, type DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/config';
import type { GatewayKeys } from '../crypto/keys';
import { runInTransaction } from '../db/transaction';
import type { Logger } from '../observability/logger';
import { tenantWebhookEvents, type TenantChangeListener } from '../tenants/tenant-changes';
import type { BackgroundWorkers } from '../workers/background-workers';
import { PeriodicJob } from '../workers/periodic-job';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WEBHOOK_DELIVERY_JOB, WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookEndpointService } from './webhook-endpoint.service';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookResolver } from './webhook.resolver';
import { WebhookSender } from './webhook-sender';

const DELIVERY_LOG_DAYS = 30;

/** The webhook side of the gateway, wired once: the outbox, the endpoints' API and the delivery job. */
export function createWebhooks(options: {
  config: GatewayConfig;
  dataSource: DataSource;
  keys: GatewayKeys;
  workers: BackgroundWorkers;
  logger: Logger;
  /** the endpoints' interest in calendar events may have changed */
  calendarInterestChanged: () => Promise<void>;
}) {
  const { config, dataSource, keys, workers, logger } = options;
  const clock = workers.clock;
  const outbox = new WebhookOutbox({ retryScheduleSeconds: config.webhookRetryScheduleSeconds, clock, wakeDelivery: () => workers.wake(WEBHOOK_DELIVERY_JOB) });
  const endpoints = new WebhookEndpointService(dataSource, keys, outbox, {
    allowLocal: config.webhookAllowLocal,
    clock,
    calendarInterestChanged: () => options.calendarInterestChanged(),
  });
  const sender = new WebhookSender({ timeoutMs: config.webhookTimeoutMs, allowLocal: config.webhookAllowLocal });
  workers.add(
    new WebhookDeliveryJob(dataSource, keys, sender, {
      retryScheduleSeconds: config.webhookRetryScheduleSeconds,
      timeoutMs: config.webhookTimeoutMs,
      clock,
      logger,
      wake: () => workers.wake(WEBHOOK_DELIVERY_JOB),
    }),
  );
  // The delivery log is kept a month: long enough to look into a complaint, short enough not to grow forever.
  workers.add(
    new PeriodicJob('webhook-log-retention', 3600_000, async ({ now }) => {
      const before = new Date(now.getTime() - DELIVERY_LOG_DAYS * 24 * 3600_000);
      await runInTransaction(dataSource, ({ manager }) =>
        manager.delete(WebhookDeliveryEntity, { status: In([WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.FAILED]), createdAt: LessThan(before) }),
      );
    }),
  );
  const tenantWebhooks: TenantChangeListener = {
    changed: async (transaction, change) => void (await outbox.record(transaction, tenantWebhookEvents(change))),
  };
  return { outbox, endpoints, resolver: new WebhookResolver(endpoints), tenantWebhooks };
}
