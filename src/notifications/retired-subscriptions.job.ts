import { In, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { GatewayError } from '../errors';
import type { GraphClient, TenantAccess } from '../microsoft/graph-client';
import { MAX_EVENT_SUBSCRIPTION_MINUTES } from '../microsoft/graph-limits';
import { deleteSubscription } from '../microsoft/graph-subscriptions';
import { MicrosoftTokenError } from '../microsoft/microsoft-token-error';
import type { Logger } from '../observability/logger';
import { graphSubscriptionOperations } from '../observability/metrics';
import type { TenantService } from '../tenants/tenant.service';
import type { BackgroundJob, JobRound } from '../workers/background-workers';
import { LeasedClaims } from '../workers/leased-claims';
import { doublingPause } from '../workers/retry-pause';
import { describeFailure } from './mailbox-subscriptions.job';
import { RetiredSubscriptionEntity } from './retired-subscription.entity';

export const RETIRED_SUBSCRIPTIONS_JOB = 'retired-subscriptions';
const BATCH = 50;
const LEASE_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 3600_000;
/** A subscription of unknown expiry is surely gone this long after it was retired. */
const LONGEST_LIFETIME_MS = MAX_EVENT_SUBSCRIPTION_MINUTES * 60_000;

/**
 * Deletes retired subscriptions at Graph, so a removed tenant's mailboxes stop notifying the
 * gateway at once rather than until Graph expires them days later. A failure is tried again
 * (one minute, doubling to an hour) until the subscription's own expiry; a directory that no
 * longer grants the app anything has no subscriptions left to delete.
 */
export class RetiredSubscriptionsJob implements BackgroundJob {
  readonly name = RETIRED_SUBSCRIPTIONS_JOB;
  private readonly claims: LeasedClaims<RetiredSubscriptionEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly logger: Logger,
  ) {
    this.claims = new LeasedClaims(dataSource, { entity: RetiredSubscriptionEntity, alias: 'retired', key: 'subscriptionId', leaseMs: LEASE_MS });
  }

  async runDue({ now, signal }: JobRound): Promise<boolean> {
    const claimed = await this.claims.claim(now, BATCH, (query) => query.where('retired.due_at <= :now', { now }).orderBy('retired.due_at', 'ASC'));
    if (claimed.length === 0) return false;
    try {
      const rows = await this.dataSource.manager.findBy(RetiredSubscriptionEntity, { subscriptionId: In(claimed) });
      const directories = new Map<string, RetiredSubscriptionEntity[]>();
      for (const row of rows) {
        const key = `${row.connectorId} ${row.microsoftTenantId}`;
        const inDirectory = directories.get(key);
        if (inDirectory) inDirectory.push(row);
        else directories.set(key, [row]);
      }
      await Promise.all([...directories.values()].map((inDirectory) => this.retireAll(inDirectory, now, signal)));
    } finally {
      if (!signal.aborted) for (const key of claimed) this.claims.finish(key);
    }
    return claimed.length === BATCH;
  }

  async stop(): Promise<void> {
    await this.claims.releaseAll();
  }

  private async retireAll(rows: RetiredSubscriptionEntity[], now: Date, signal: AbortSignal): Promise<void> {
    const { connectorId, microsoftTenantId } = rows[0]!;
    const live = rows.filter((row) => (row.expiresAt?.getTime() ?? row.createdAt.getTime() + LONGEST_LIFETIME_MS) > now.getTime());
    const done = rows.filter((row) => !live.includes(row));
    const failed: Array<{ row: RetiredSubscriptionEntity; reason: string }> = [];
    let access: TenantAccess | null = null;
    try {
      access = await this.tenants.formerTenantAccess(connectorId, microsoftTenantId, { signal });
    } catch (error) {
      // The connector's credentials are incomplete: nothing can be asked of Graph until they are set.
      if (!(error instanceof GatewayError)) throw error;
      for (const row of live) failed.push({ row, reason: error.message });
    }
    if (access) {
      const tenantAccess = access;
      await Promise.all(
        live.map(async (row) => {
          try {
            await deleteSubscription(this.graph, tenantAccess, row.subscriptionId);
            graphSubscriptionOperations.inc({ operation: 'delete', outcome: 'ok' });
            done.push(row);
          } catch (error) {
            if (signal.aborted) return;
            if (error instanceof MicrosoftTokenError && (error.kind === 'consent_missing' || error.kind === 'tenant_not_found')) {
              // No consent, no directory: Graph serves the app nothing there, its subscriptions included.
              done.push(row);
              return;
            }
            graphSubscriptionOperations.inc({ operation: 'delete', outcome: 'failed' });
            failed.push({ row, reason: describeFailure(error) });
          }
        }),
      );
    }
    if (signal.aborted) return;
    await runInTransaction(this.dataSource, async ({ manager }) => {
      if (done.length > 0) await manager.delete(RetiredSubscriptionEntity, { subscriptionId: In(done.map((row) => row.subscriptionId)) });
      for (const { row, reason } of failed) {
        const attempts = row.attempts + 1;
        await manager.update(RetiredSubscriptionEntity, { subscriptionId: row.subscriptionId }, { attempts, lastError: reason, dueAt: new Date(now.getTime() + doublingPause(attempts, MAX_BACKOFF_MS)), claimedUntil: null });
      }
    });
    if (done.length > 0) this.logger.info({ microsoftTenantId, subscriptions: done.length }, 'deleted the Graph subscriptions of a removed tenant');
    if (failed.length > 0) this.logger.warn({ microsoftTenantId, subscriptions: failed.length, reason: failed[0]!.reason }, 'could not delete Graph subscriptions of a removed tenant; trying again later');
  }
}
