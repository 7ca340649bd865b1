import type { Transaction } from '../db/transaction';
import { RetiredSubscriptionEntity } from './retired-subscription.entity';

/** What to retire: subscriptions in one directory, made with one connector's app. */
export interface Retirement {
  connectorId: string;
  microsoftTenantId: string;
  subscriptions: Array<{ subscriptionId: string; expiresAt: Date | null }>;
}

/** Records subscriptions to delete at Graph, in the caller's transaction (the one that removes their tenant or mailbox). */
export async function retireSubscriptions(transaction: Transaction, retirement: Retirement, now: Date, wake: () => void): Promise<void> {
  if (retirement.subscriptions.length === 0) return;
  const rows = retirement.subscriptions.map(({ subscriptionId, expiresAt }) => ({
    subscriptionId: subscriptionId.toLowerCase(),
    connectorId: retirement.connectorId,
    microsoftTenantId: retirement.microsoftTenantId,
    expiresAt,
    dueAt: now,
    attempts: 0,
    lastError: null,
    claimedUntil: null,
    createdAt: now,
  }));
  for (let start = 0; start < rows.length; start += 200) {
    await transaction.manager.createQueryBuilder().insert().into(RetiredSubscriptionEntity).values(rows.slice(start, start + 200)).orIgnore().execute();
  }
  transaction.afterCommit(wake);
}
