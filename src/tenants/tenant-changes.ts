import type { Transaction } from '../db/transaction';
import type { WebhookEvent } from '../webhooks/webhook-outbox';
import { WebhookEventType } from '../webhooks/webhook-event-type';
import { TenantStatus, type TenantEntity } from './tenant.entity';

/** A tenant row before and after one change; null before: it was just recorded; null after: it was removed. */
export interface TenantChange {
  before: TenantEntity | null;
  after: TenantEntity | null;
}

/** Told of every tenant change inside the transaction that makes it, so what follows from it commits with it. */
export interface TenantChangeListener {
  changed(transaction: Transaction, change: TenantChange): Promise<void>;
}

const STATUS_EVENTS: Record<TenantStatus, WebhookEventType> = {
  [TenantStatus.CONSENTED]: WebhookEventType.TENANT_CONSENTED,
  [TenantStatus.REVOKED]: WebhookEventType.TENANT_REVOKED,
  [TenantStatus.ERROR]: WebhookEventType.TENANT_ERROR,
};

/**
 * The webhooks a tenant change causes. A status event when the status changes (or the tenant is
 * new), so a repeated consent or a second failing token request tells nothing new; permissions
 * changed when a consented tenant's granted roles differ from before; removed when it is gone.
 */
export function tenantWebhookEvents({ before, after }: TenantChange): WebhookEvent[] {
  if (!after) return before ? [event(WebhookEventType.TENANT_REMOVED, before, null)] : [];
  if (!before || before.status !== after.status) return [event(STATUS_EVENTS[after.status], after, before)];
  if (after.status === TenantStatus.CONSENTED && !sameRoles(before.grantedScopes, after.grantedScopes)) {
    return [event(WebhookEventType.TENANT_PERMISSIONS_CHANGED, after, before)];
  }
  return [];
}

function event(type: WebhookEventType, tenant: TenantEntity, before: TenantEntity | null): WebhookEvent {
  return {
    type,
    subject: `tenant:${tenant.id}`,
    data: {
      tenantId: tenant.id,
      microsoftTenantId: tenant.microsoftTenantId,
      connectorId: tenant.connectorId,
      displayName: tenant.displayName,
      status: tenant.status,
      statusReason: tenant.statusReason,
      grantedScopes: [...tenant.grantedScopes].sort(),
      ...(type === WebhookEventType.TENANT_PERMISSIONS_CHANGED && before ? { previousGrantedScopes: [...before.grantedScopes].sort() } : {}),
    },
  };
}

export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((role, index) => role === sortedB[index]);
}

/** Several listeners told in turn, in the same transaction. */
export function allListeners(...listeners: TenantChangeListener[]): TenantChangeListener {
  return {
    changed: async (transaction, change) => {
      for (const listener of listeners) await listener.changed(transaction, change);
    },
  };
}
