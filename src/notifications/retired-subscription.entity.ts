import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A Graph subscription the gateway made and no longer wants, to be deleted at Graph: its
 * tenant was removed, or a mailbox row vanished while its subscription was being made. The
 * directory and connector are kept because the tenant row is gone; a deleted connector takes its
 * rows with it (no credentials are left to ask with, and Graph ends the subscriptions at expiry).
 */
@Entity({ name: 'retired_graph_subscriptions' })
@Index('ix_retired_graph_subscriptions_due', ['dueAt'])
export class RetiredSubscriptionEntity {
  /** Graph's subscription id, lower case */
  @PrimaryColumn({ name: 'subscription_id', type: 'varchar', length: 100 })
  subscriptionId!: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 36 })
  connectorId!: string;

  @Column({ name: 'microsoft_tenant_id', type: 'varchar', length: 36 })
  microsoftTenantId!: string;

  /** when Graph ends it anyway; past it, there is nothing left to delete */
  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'due_at', type: Date })
  dueAt!: Date;

  @Column({ type: 'integer' })
  attempts!: number;

  /** why the last attempt failed, in Microsoft's words */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
