import { LessThan, type DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/config';
import { runInTransaction } from '../db/transaction';
import type { GraphClient } from '../microsoft/graph-client';
import type { Logger } from '../observability/logger';
import type { TenantService } from '../tenants/tenant.service';
import type { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { BackgroundWorkers } from '../workers/background-workers';
import { PeriodicJob } from '../workers/periodic-job';
import { CalendarChangeRecorder } from './calendar-change-recorder';
import { VERSIONS_KEPT_MS } from './calendar-change-rules';
import { CalendarEventVersionEntity } from './change-notification-tables';
import { ChangeNotificationResolver } from './change-notification.resolver';
import type { ChangeNotificationService } from './change-notification.service';
import { MAILBOX_JOB, MailboxSubscriptionsJob } from './mailbox-subscriptions.job';
import { MailboxSync } from './mailbox-sync';
import { NotificationInbox } from './notification-inbox';
import { notificationRoutes } from './notification-routes';
import { RETIRED_SUBSCRIPTIONS_JOB, RetiredSubscriptionsJob } from './retired-subscriptions.job';
import { TENANT_SWEEP_JOB, TenantSweepJob } from './tenant-sweep.job';

/** Graph change notifications, wired once: the public routes, the inbox, and the mailbox and tenant jobs. */
export function createChangeNotifications(options: {
  config: GatewayConfig;
  dataSource: DataSource;
  graph: GraphClient;
  tenants: TenantService;
  outbox: WebhookOutbox;
  service: ChangeNotificationService;
  workers: BackgroundWorkers;
  logger: Logger;
}) {
  const { config, dataSource, graph, tenants, outbox, service, workers, logger } = options;
  const urls = { notificationUrl: `${config.publicUrl}/notifications/graph`, lifecycleNotificationUrl: `${config.publicUrl}/notifications/graph/lifecycle` };
  const wakeMailboxes = () => workers.wake(MAILBOX_JOB);
  const wakeRetirements = () => workers.wake(RETIRED_SUBSCRIPTIONS_JOB);
  const calendarWanted = () => service.calendarWanted();
  const sync = new MailboxSync(dataSource, graph, new CalendarChangeRecorder(dataSource, outbox, workers.clock), urls, logger);
  workers.add(new MailboxSubscriptionsJob(dataSource, tenants, sync, { sweepIntervalMs: config.changeSweepMs, calendarWanted, wakeRetirements, logger }));
  workers.add(new TenantSweepJob(dataSource, tenants, graph, { sweepIntervalMs: config.changeSweepMs, notificationUrl: urls.notificationUrl, calendarWanted, wakeMailboxes, wakeRetirements, logger }));
  workers.add(new RetiredSubscriptionsJob(dataSource, tenants, graph, logger));
  workers.add(
    new PeriodicJob('event-version-retention', 3600_000, async ({ now }) => {
      const before = new Date(now.getTime() - VERSIONS_KEPT_MS);
      await runInTransaction(dataSource, ({ manager }) => manager.delete(CalendarEventVersionEntity, { seenAt: LessThan(before) }));
    }),
  );
  const inbox = new NotificationInbox(dataSource, { clock: workers.clock, logger, wakeMailboxes });
  return { routes: notificationRoutes(inbox, logger), resolver: new ChangeNotificationResolver(service) };
}

export { RETIRED_SUBSCRIPTIONS_JOB, TENANT_SWEEP_JOB };
