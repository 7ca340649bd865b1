import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/config';
import type { GatewayKeys } from '../crypto/keys';
import type { Logger } from '../observability/logger';
import { tenantWebhookEvents, type TenantChangeListener } from '../tenants/tenant-changes';
import type { BackgroundWorkers } from '../workers/background-workers';
import { WEBHOOK_DELIVERY_JOB, WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookEndpointService } from './webhook-endpoint.service';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookResolver } from './webhook.resolver';
import { WebhookSender } from './webhook-sender';

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
  const tenantWebhooks: TenantChangeListener = {
    changed: async (transaction, change) => void (await outbox.record(transaction, tenantWebhookEvents(change))),
  };
  return { outbox, endpoints, resolver: new WebhookResolver(endpoints), tenantWebhooks };
}
