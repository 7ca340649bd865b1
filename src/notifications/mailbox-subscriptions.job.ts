import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { graphPermissions } from '../microsoft/graph-permissions';
import { GraphRequestError } from '../microsoft/graph-request-error';
import { toGatewayError } from '../microsoft/to-gateway-error';
import type { Logger } from '../observability/logger';
import { TenantStatus, TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import type { BackgroundJob, JobRound } from '../workers/background-workers';
import { LeasedClaims } from '../workers/leased-claims';
import { doublingPause, jittered } from '../workers/retry-pause';
import { GraphNotificationEntity } from './change-notification-tables';
import { MailboxSubscriptionEntity } from './mailbox-subscription.entity';
import type { MailboxSync } from './mailbox-sync';
import { retireSubscriptions } from './subscription-retirement';

export const MAILBOX_JOB = 'mailbox-subscriptions';
const BATCH = 50;
/** Longer than a round can take (a first delta over a busy mailbox included). */
const LEASE_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

/** Whether a tenant's subscriptions are wanted: it is consented and its grant allows them. */
export function mayWatch(tenant: TenantEntity): boolean {
  return tenant.status === TenantStatus.CONSENTED && graphPermissions.subscribeToEvents.allowedBy.some((role) => tenant.grantedScopes.includes(role));
}

/**
 * The mailboxes that are due: a notification to process, a subscription to create, renew or
 * reauthorize, a delta round (resync or the periodic sweep), or a retry after a failure. Each
 * mailbox is claimed by one replica, so its steps never run twice at once.
 */
export class MailboxSubscriptionsJob implements BackgroundJob {
  readonly name = MAILBOX_JOB;
  private readonly claims: LeasedClaims<MailboxSubscriptionEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantService,
    private readonly sync: MailboxSync,
    private readonly options: { sweepIntervalMs: number; calendarWanted: () => Promise<boolean>; wakeRetirements: () => void; logger: Logger },
  ) {
    this.claims = new LeasedClaims(dataSource, { entity: MailboxSubscriptionEntity, alias: 'mailbox', key: 'id', leaseMs: LEASE_MS });
  }

  async runDue({ now, signal }: JobRound): Promise<boolean> {
    const claimed = await this.claims.claim(now, BATCH, (query) => query.where('mailbox.due_at <= :now', { now }).orderBy('mailbox.due_at', 'ASC'));
    if (claimed.length === 0) return false;
    try {
      const mailboxes = await this.dataSource.manager.findBy(MailboxSubscriptionEntity, { id: In(claimed) });
      const tenants = await this.dataSource.manager.findBy(TenantEntity, { id: In([...new Set(mailboxes.map((mailbox) => mailbox.tenantId))]) });
      const wanted = await this.options.calendarWanted();
      await Promise.all(tenants.map((tenant) => this.tenantRound(tenant, mailboxes.filter((mailbox) => mailbox.tenantId === tenant.id), wanted, now, signal)));
    } finally {
      // Cut short by a stop: the claims stay held until stop() gives them back, with nothing recorded as a failure.
      if (!signal.aborted) for (const key of claimed) this.claims.finish(key);
    }
    return claimed.length === BATCH;
  }

  async stop(): Promise<void> {
    await this.claims.releaseAll();
  }

  private async tenantRound(tenant: TenantEntity, mailboxes: MailboxSubscriptionEntity[], wanted: boolean, now: Date, signal: AbortSignal): Promise<void> {
    const access = this.tenants.access(tenant, { signal });
    let inboxFailure: unknown = null;
    await this.sync.processInbox(tenant, access, mailboxes).catch((error: unknown) => {
      inboxFailure = error;
    });
    const watching = wanted && mayWatch(tenant);
    const busy = inboxFailure ? mailboxes : mailboxes.filter((mailbox) => watching && needsUpkeep(mailbox, now));
    if (signal.aborted) return;
    await Promise.all(busy.map((mailbox) => this.mailboxRound(tenant, mailbox, access, watching, now, inboxFailure, signal)));
    if (signal.aborted) return;
    await this.release(mailboxes.filter((mailbox) => !busy.includes(mailbox)), now, watching);
  }

  /**
   * Mailboxes that only had notifications to process (the common case) are given back in one
   * statement: due again at once if more notifications or a request came meanwhile, else at their
   * renewal or next sweep.
   */
  private async release(mailboxes: MailboxSubscriptionEntity[], now: Date, watching: boolean): Promise<void> {
    if (mailboxes.length === 0) return;
    const urgent = watching
      ? 'EXISTS (SELECT 1 FROM graph_notifications WHERE graph_notifications.mailbox_id = mailbox_subscriptions.id) OR resync_requested_at IS NOT NULL OR reauthorize_requested_at IS NOT NULL OR subscription_id IS NULL'
      : 'EXISTS (SELECT 1 FROM graph_notifications WHERE graph_notifications.mailbox_id = mailbox_subscriptions.id)';
    // Not watching: nothing to do here until the tenant sweep deletes them.
    const next = watching ? 'CASE WHEN renew_at IS NOT NULL AND renew_at < sweep_at THEN renew_at ELSE sweep_at END' : ':later';
    await runInTransaction(this.dataSource, ({ manager }) =>
      manager
        .createQueryBuilder()
        .update(MailboxSubscriptionEntity)
        .set({ claimedUntil: null, dueAt: () => `CASE WHEN ${urgent} THEN :now ELSE ${next} END` })
        .where('id IN (:...ids)', { ids: mailboxes.map((mailbox) => mailbox.id), now, later: new Date(now.getTime() + this.options.sweepIntervalMs) })
        .execute(),
    );
  }

  private async mailboxRound(
    tenant: TenantEntity,
    mailbox: MailboxSubscriptionEntity,
    access: ReturnType<TenantService['access']>,
    watching: boolean,
    now: Date,
    inboxFailure: unknown,
    signal: AbortSignal,
  ): Promise<void> {
    const changes: Partial<MailboxSubscriptionEntity> = {};
    let failure: unknown = inboxFailure;
    // Not watching (no endpoint wants calendar events, or the grant lost them): the tenant sweep deletes the subscriptions.
    if (watching && !failure) {
      try {
        await this.sync.keepSubscription(mailbox, access, now, changes);
        const resync = mailbox.resyncRequestedAt ?? changes.resyncRequestedAt ?? null;
        if (!mailbox.deltaLink || resync || mailbox.sweepAt <= now) {
          await this.sync.deltaRound(tenant, mailbox, access, now, changes);
          changes.resyncRequestedAt = null;
          changes.sweepAt = new Date(now.getTime() + jittered(this.options.sweepIntervalMs));
        }
      } catch (error) {
        failure = error;
      }
    }
    if (signal.aborted) return;
    if (failure) {
      const reason = describeFailure(failure);
      this.options.logger.warn({ tenantId: tenant.id, mailboxId: mailbox.id, reason }, 'mailbox change notifications failed; trying again later');
      Object.assign(changes, { failures: mailbox.failures + 1, lastError: reason });
    } else {
      Object.assign(changes, { failures: 0, lastError: null });
    }
    const saved = await this.save(mailbox, changes, now, watching);
    if (!saved && changes.subscriptionId) {
      // The tenant was removed while this subscription was being made: nothing holds it now.
      const subscriptions = [{ subscriptionId: changes.subscriptionId, expiresAt: changes.expiresAt ?? null }];
      await runInTransaction(this.dataSource, (transaction) =>
        retireSubscriptions(transaction, { connectorId: tenant.connectorId, microsoftTenantId: tenant.microsoftTenantId, subscriptions }, now, this.options.wakeRetirements),
      );
    }
  }

  /**
   * Writes the round's results onto the row as it is now: a request (resync, reauthorize) or a
   * notification that arrived during the round stays, and makes the mailbox due again at once.
   */
  private async save(mailbox: MailboxSubscriptionEntity, changes: Partial<MailboxSubscriptionEntity>, roundStart: Date, watching: boolean): Promise<boolean> {
    return runInTransaction(this.dataSource, async ({ manager, locksRows }) => {
      const query = manager.createQueryBuilder(MailboxSubscriptionEntity, 'mailbox').where({ id: mailbox.id });
      const current = await (locksRows ? query.setLock('pessimistic_write') : query).getOne();
      if (!current) return false;
      const keepRequest = (requested: Date | null, handled: boolean) => (requested && (!handled || requested > roundStart) ? requested : null);
      const renewHandled = changes.renewAt !== undefined || changes.subscriptionId !== undefined;
      const merged = {
        ...current,
        ...changes,
        resyncRequestedAt: keepRequest(current.resyncRequestedAt, changes.resyncRequestedAt === null),
        reauthorizeRequestedAt: keepRequest(current.reauthorizeRequestedAt, renewHandled || (changes.failures === 0 && watching)),
      };
      const pendingInbox = await manager.existsBy(GraphNotificationEntity, { mailboxId: mailbox.id });
      const urgent = pendingInbox || (watching && (merged.resyncRequestedAt || merged.reauthorizeRequestedAt));
      const dueAt = merged.failures > 0 ? new Date(roundStart.getTime() + backoff(merged.failures)) : urgent ? roundStart : watching ? nextDue(merged) : new Date(roundStart.getTime() + this.options.sweepIntervalMs);
      await manager.update(MailboxSubscriptionEntity, { id: mailbox.id }, { ...changes, resyncRequestedAt: merged.resyncRequestedAt, reauthorizeRequestedAt: merged.reauthorizeRequestedAt, dueAt, claimedUntil: null });
      return true;
    });
  }
}

/** Whether the mailbox needs more than its notifications processed: a subscription to make or renew, a request, a delta round, a retry. */
function needsUpkeep(mailbox: MailboxSubscriptionEntity, now: Date): boolean {
  return (
    !mailbox.subscriptionId ||
    (mailbox.renewAt !== null && mailbox.renewAt <= now) ||
    mailbox.reauthorizeRequestedAt !== null ||
    mailbox.resyncRequestedAt !== null ||
    !mailbox.deltaLink ||
    mailbox.sweepAt <= now ||
    mailbox.failures > 0
  );
}

/** The next thing due: the renewal, or the next sweep. */
function nextDue(mailbox: MailboxSubscriptionEntity): Date {
  const times = [mailbox.sweepAt.getTime(), ...(mailbox.renewAt ? [mailbox.renewAt.getTime()] : [])];
  return new Date(Math.min(...times));
}

/** One minute, doubling to six hours, with jitter so failing mailboxes of one tenant do not retry in lockstep. */
function backoff(failures: number): number {
  return doublingPause(failures, MAX_BACKOFF_MS);
}

/** Graph's own words for a refused call (they name the mailbox problem), else the contract's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof GraphRequestError && error.status > 0) return `Microsoft Graph answered ${error.status} ${error.graphCode} to ${error.route}: ${error.message}`.slice(0, 1000);
  return toGatewayError(error).message || 'unexpected failure';
}
