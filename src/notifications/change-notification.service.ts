import { In, IsNull, Not, type DataSource } from 'typeorm';
import { runInTransaction, type Transaction } from '../db/transaction';
import type { TenantChange, TenantChangeListener } from '../tenants/tenant-changes';
import { sameRoles } from '../tenants/tenant-changes';
import { TenantEntity } from '../tenants/tenant.entity';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';
import { wantsCalendarEvents } from '../webhooks/webhook-event-type';
import type { Clock } from '../workers/background-workers';
import { ChangeNotificationStatus } from './change-notification-status';
import { ChangeSweepEntity } from './change-notification-tables';
import { MailboxSubscriptionEntity } from './mailbox-subscription.entity';
import { retireSubscriptions } from './subscription-retirement';

const WANTED_TTL_MS = 5_000;

/**
 * When the tenants' calendars need watching, and how that stands. A consent (or a change of its
 * roles) and a change of the endpoints' calendar interest make the tenants' sweeps due at once.
 */
export class ChangeNotificationService implements TenantChangeListener {
  private wanted: { at: number; answer: Promise<boolean> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { clock: Clock; wakeSweeps: () => void; wakeRetirements: () => void },
  ) {}

  /**
   * Whether any enabled endpoint asks for calendar.event.* webhooks; read again at most every few
   * seconds (every mailbox round asks). A change here is seen at once; another replica's change
   * also makes every tenant's sweep due, which asks afresh.
   */
  async calendarWanted(): Promise<boolean> {
    const now = Date.now();
    if (!this.wanted || now - this.wanted.at > WANTED_TTL_MS) {
      const read = this.dataSource.manager
        .find(WebhookEndpointEntity, { where: { enabled: true }, select: { id: true, events: true } })
        .then((endpoints) => endpoints.some((endpoint) => wantsCalendarEvents(endpoint.events)));
      this.wanted = { at: now, answer: read };
      read.catch(() => (this.wanted = null));
    }
    return this.wanted.answer;
  }

  /**
   * In the tenant change's transaction: a consent, or different roles, sweeps the tenant at once;
   * a removal retires its Graph subscriptions, to be deleted at Graph once it commits.
   */
  async changed(transaction: Transaction, { before, after }: TenantChange): Promise<void> {
    if (!after) {
      if (before) await this.retireAll(transaction, before);
      return;
    }
    if (before && before.status === after.status && sameRoles(before.grantedScopes, after.grantedScopes)) return;
    await this.sweepSoon(transaction, [after.id]);
  }

  /** The endpoints changed: every tenant is swept at once, to start or stop watching. */
  async interestChanged(): Promise<void> {
    this.wanted = null;
    await runInTransaction(this.dataSource, async (transaction) => {
      const tenants = await transaction.manager.find(TenantEntity, { select: { id: true } });
      await this.sweepSoon(transaction, tenants.map((tenant) => tenant.id));
    });
  }

  async status(tenant: TenantEntity): Promise<ChangeNotificationStatus> {
    const now = this.options.clock.now();
    const counts = await this.dataSource.manager
      .createQueryBuilder(MailboxSubscriptionEntity, 'mailbox')
      .select('COUNT(*)', 'users')
      .addSelect('SUM(CASE WHEN mailbox.subscription_id IS NOT NULL AND mailbox.expires_at > :now AND mailbox.last_error IS NULL THEN 1 ELSE 0 END)', 'active')
      .addSelect('SUM(CASE WHEN mailbox.last_error IS NOT NULL THEN 1 ELSE 0 END)', 'failing')
      .where('mailbox.tenant_id = :tenantId', { tenantId: tenant.id, now })
      .getRawOne<{ users: string | number; active: string | number | null; failing: string | number | null }>();
    const next = await this.dataSource.manager.findOne(MailboxSubscriptionEntity, {
      where: { tenantId: tenant.id, subscriptionId: Not(IsNull()), renewAt: Not(IsNull()) },
      order: { renewAt: 'ASC' },
      select: { id: true, renewAt: true },
    });
    const failing = await this.dataSource.manager.find(MailboxSubscriptionEntity, {
      where: { tenantId: tenant.id, lastError: Not(IsNull()) },
      order: { userId: 'ASC' },
      take: 10,
      select: { id: true, userId: true, lastError: true },
    });
    const sweep = await this.dataSource.manager.findOne(ChangeSweepEntity, { where: { tenantId: tenant.id }, select: { tenantId: true, lastError: true } });
    return {
      users: Number(counts?.users ?? 0),
      active: Number(counts?.active ?? 0),
      failing: Number(counts?.failing ?? 0),
      nextRenewalAt: next?.renewAt ?? null,
      failures: failing.map((mailbox) => ({ userId: mailbox.userId, reason: mailbox.lastError! })),
      sweepError: sweep?.lastError ?? null,
    };
  }

  private async retireAll(transaction: Transaction, tenant: TenantEntity): Promise<void> {
    const mailboxes = await transaction.manager.find(MailboxSubscriptionEntity, {
      where: { tenantId: tenant.id, subscriptionId: Not(IsNull()) },
      select: { id: true, subscriptionId: true, expiresAt: true },
    });
    const subscriptions = mailboxes.map((mailbox) => ({ subscriptionId: mailbox.subscriptionId!, expiresAt: mailbox.expiresAt }));
    await retireSubscriptions(transaction, { connectorId: tenant.connectorId, microsoftTenantId: tenant.microsoftTenantId, subscriptions }, this.options.clock.now(), this.options.wakeRetirements);
  }

  private async sweepSoon(transaction: Transaction, tenantIds: string[]): Promise<void> {
    if (tenantIds.length === 0) return;
    const now = this.options.clock.now();
    const { manager } = transaction;
    for (let start = 0; start < tenantIds.length; start += 500) {
      const chunk = tenantIds.slice(start, start + 500);
      await manager.createQueryBuilder().insert().into(ChangeSweepEntity).values(chunk.map((tenantId) => ({ tenantId, dueAt: now, lastError: null, claimedUntil: null }))).orIgnore().execute();
      await manager.update(ChangeSweepEntity, { tenantId: In(chunk) }, { dueAt: now });
    }
    transaction.afterCommit(this.options.wakeSweeps);
  }
}
