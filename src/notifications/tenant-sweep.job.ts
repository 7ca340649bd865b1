import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import type { GraphClient } from '../microsoft/graph-client';
import { listUsers } from '../microsoft/graph-directory';
import { MAX_USERS_PAGE } from '../microsoft/graph-limits';
import { deleteSubscription, expiryShortened, listSubscriptions, requestedExpiry } from '../microsoft/graph-subscriptions';
import type { Logger } from '../observability/logger';
import { graphSubscriptionOperations } from '../observability/metrics';
import type { TenantGraphAccess } from '../tenants/tenant-access';
import { TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import type { BackgroundJob, JobRound } from '../workers/background-workers';
import { LeasedClaims } from '../workers/leased-claims';
import { jittered } from '../workers/retry-pause';
import { ChangeSweepEntity } from './change-notification-tables';
import { MailboxSubscriptionEntity } from './mailbox-subscription.entity';
import { retireSubscriptions } from './subscription-retirement';
import { describeFailure, mayWatch } from './mailbox-subscriptions.job';

export const TENANT_SWEEP_JOB = 'tenant-sweeps';
const BATCH = 4;
const LEASE_MS = 10 * 60_000;
const RECENT_MS = 10 * 60_000;

/**
 * Per tenant, every XKIT_CHANGE_SWEEP_SECONDS (and at once when it is consented or an endpoint's
 * events change): the mailboxes to watch (users added to the directory get a subscription, users
 * gone lose theirs), and Graph's own list of subscriptions, so one that died silently is created
 * again and resynced, and one Graph shortened is renewed. Without an endpoint asking for calendar
 * events, or without the grant, the tenant's subscriptions are deleted.
 */
export class TenantSweepJob implements BackgroundJob {
  readonly name = TENANT_SWEEP_JOB;
  private readonly claims: LeasedClaims<ChangeSweepEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly options: { sweepIntervalMs: number; notificationUrl: string; calendarWanted: () => Promise<boolean>; wakeMailboxes: () => void; wakeRetirements: () => void; logger: Logger },
  ) {
    this.claims = new LeasedClaims(dataSource, { entity: ChangeSweepEntity, alias: 'sweep', key: 'tenantId', leaseMs: LEASE_MS });
  }

  async runDue({ now, signal }: JobRound): Promise<boolean> {
    const claimed = await this.claims.claim(now, BATCH, (query) => query.where('sweep.due_at <= :now', { now }).orderBy('sweep.due_at', 'ASC'));
    const wanted = claimed.length > 0 && (await this.options.calendarWanted());
    await Promise.all(claimed.map((tenantId) => this.sweepOne(tenantId, wanted, now, signal)));
    return claimed.length === BATCH;
  }

  async stop(): Promise<void> {
    await this.claims.releaseAll();
  }

  private async sweepOne(tenantId: string, wanted: boolean, now: Date, signal: AbortSignal): Promise<void> {
    let lastError: string | null = null;
    try {
      const tenant = await this.dataSource.manager.findOneBy(TenantEntity, { id: tenantId });
      if (tenant) await this.sweep(tenant, wanted && mayWatch(tenant), now, signal);
    } catch (error) {
      lastError = describeFailure(error);
    }
    // Cut short by a stop: the claim is given back at stop, and the sweep is not postponed.
    if (signal.aborted) return;
    if (lastError) this.options.logger.warn({ tenantId, reason: lastError }, 'tenant change-notification sweep failed; trying again at the next sweep');
    const dueAt = new Date(now.getTime() + jittered(this.options.sweepIntervalMs));
    await runInTransaction(this.dataSource, ({ manager }) => manager.update(ChangeSweepEntity, { tenantId }, { dueAt, lastError, claimedUntil: null }));
    this.claims.finish(tenantId);
  }

  private async sweep(tenant: TenantEntity, watching: boolean, now: Date, signal: AbortSignal): Promise<void> {
    const known = await this.dataSource.manager.findBy(MailboxSubscriptionEntity, { tenantId: tenant.id });
    const access = this.tenants.access(tenant, { signal });
    if (!watching) {
      await this.forget(tenant, known, now);
      return;
    }
    const users = await mailboxUsers(this.graph, access);
    const gone = known.filter((mailbox) => !users.has(mailbox.userId));
    const added = [...users].filter((userId) => !known.some((mailbox) => mailbox.userId === userId));
    await this.forget(tenant, gone, now);
    if (added.length > 0) {
      const rows = added.map((userId) => newMailbox(tenant.id, userId, now));
      await runInTransaction(this.dataSource, ({ manager }) => manager.createQueryBuilder().insert().into(MailboxSubscriptionEntity).values(rows).orIgnore().execute());
    }
    await this.checkAtGraph(access, known.filter((mailbox) => users.has(mailbox.userId)), now);
    if (added.length > 0) this.options.wakeMailboxes();
  }

  /** Graph's list against ours: what died is created again and resynced, what Graph shortened is renewed, what we do not know is deleted. */
  private async checkAtGraph(access: TenantGraphAccess, mailboxes: MailboxSubscriptionEntity[], now: Date): Promise<void> {
    const listed = (await listSubscriptions(this.graph, access)).filter((subscription) => subscription.notificationUrl === this.options.notificationUrl);
    const atGraph = new Map(listed.map((subscription) => [subscription.id.toLowerCase(), subscription]));
    const ours = new Set(mailboxes.flatMap((mailbox) => (mailbox.subscriptionId ? [mailbox.subscriptionId] : [])));
    let woken = false;
    for (const mailbox of mailboxes) {
      if (!mailbox.subscriptionId) continue;
      const subscription = atGraph.get(mailbox.subscriptionId);
      const changes: Partial<MailboxSubscriptionEntity> | null = !subscription
        ? { subscriptionId: null, clientStateHash: null, expiresAt: null, renewAt: null, resyncRequestedAt: now }
        : expiryShortened(mailbox.expiresAt, subscription.expiresAt)
          ? { expiresAt: subscription.expiresAt, renewAt: now }
          : null;
      if (!changes) continue;
      this.options.logger.info({ mailboxId: mailbox.id, missing: !subscription }, 'Graph subscription differs from what the gateway holds; mending it');
      // Only if the mailbox job has not replaced the subscription meanwhile.
      await runInTransaction(this.dataSource, ({ manager }) => manager.update(MailboxSubscriptionEntity, { id: mailbox.id, subscriptionId: mailbox.subscriptionId }, { ...changes, dueAt: now }));
      woken = true;
    }
    // A subscription made in the last minutes may be one a mailbox job is saving right now: not a stray yet.
    const madeRecently = requestedExpiry(new Date(now.getTime() - RECENT_MS));
    for (const stray of listed.filter((subscription) => !ours.has(subscription.id.toLowerCase()) && subscription.expiresAt < madeRecently)) {
      if (await this.dataSource.manager.existsBy(MailboxSubscriptionEntity, { subscriptionId: stray.id.toLowerCase() })) continue;
      await this.deleteAtGraph(access, stray.id);
    }
    if (woken) this.options.wakeMailboxes();
  }

  /** Forgets these mailboxes; their subscriptions are retired, to be deleted at Graph (with retries) by the retirement job. */
  private async forget(tenant: TenantEntity, mailboxes: MailboxSubscriptionEntity[], now: Date): Promise<void> {
    if (mailboxes.length === 0) return;
    const subscriptions = mailboxes.flatMap((mailbox) => (mailbox.subscriptionId ? [{ subscriptionId: mailbox.subscriptionId, expiresAt: mailbox.expiresAt }] : []));
    await runInTransaction(this.dataSource, async (transaction) => {
      await retireSubscriptions(transaction, { connectorId: tenant.connectorId, microsoftTenantId: tenant.microsoftTenantId, subscriptions }, now, this.options.wakeRetirements);
      await transaction.manager.delete(MailboxSubscriptionEntity, { id: In(mailboxes.map((mailbox) => mailbox.id)) });
    });
    this.options.logger.info({ tenantId: tenant.id, mailboxes: mailboxes.length }, 'stopped watching mailboxes');
  }

  private async deleteAtGraph(access: TenantGraphAccess, subscriptionId: string): Promise<void> {
    try {
      await deleteSubscription(this.graph, access, subscriptionId);
      graphSubscriptionOperations.inc({ operation: 'delete', outcome: 'ok' });
    } catch (error) {
      graphSubscriptionOperations.inc({ operation: 'delete', outcome: 'failed' });
      throw error;
    }
  }
}

/** The directory's users that have a mailbox address (the others have no calendar to watch). */
async function mailboxUsers(graph: GraphClient, access: TenantGraphAccess): Promise<Set<string>> {
  const users = new Set<string>();
  let skipToken: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await listUsers(graph, access, { top: MAX_USERS_PAGE, skipToken });
    for (const user of result.users) if (user.mail) users.add(user.id);
    if (!result.nextSkipToken) break;
    skipToken = result.nextSkipToken;
  }
  return users;
}

export function newMailbox(tenantId: string, userId: string, now: Date): MailboxSubscriptionEntity {
  return Object.assign(new MailboxSubscriptionEntity(), {
    id: randomUUID(),
    tenantId,
    userId,
    subscriptionId: null,
    clientStateHash: null,
    expiresAt: null,
    renewAt: null,
    reauthorizeRequestedAt: null,
    resyncRequestedAt: null,
    deltaLink: null,
    deltaStartedAt: null,
    syncedAt: null,
    sweepAt: now,
    dueAt: now,
    failures: 0,
    lastError: null,
    claimedUntil: null,
    createdAt: now,
  });
}
