import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One mailbox whose default calendar the gateway watches: its Graph subscription (the clientState
 * only as a hash), when to renew it, the calendar delta link for resyncs, and when the mailbox job
 * should next look at it (`due_at`: a renewal, a sweep, a notification to process, a retry).
 */
@Entity({ name: 'mailbox_subscriptions' })
@Index('uq_mailbox_subscriptions_user', ['tenantId', 'userId'], { unique: true })
@Index('ix_mailbox_subscriptions_due', ['dueAt'])
@Index('ix_mailbox_subscriptions_subscription', ['subscriptionId'])
@Index('ix_mailbox_subscriptions_client_state', ['clientStateHash'])
export class MailboxSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** the Graph user (object) id */
  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** null until created, and after Graph removed it */
  @Column({ name: 'subscription_id', type: 'varchar', length: 100, nullable: true })
  subscriptionId!: string | null;

  /** SHA-256 (hex) of the subscription's random clientState; Graph echoes the clientState in every notification */
  @Column({ name: 'client_state_hash', type: 'varchar', length: 64, nullable: true })
  clientStateHash!: string | null;

  /** what Graph granted */
  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'renew_at', type: Date, nullable: true })
  renewAt!: Date | null;

  /**
   * When Graph asked for reauthorization (lifecycle reauthorizationRequired). Requests are times,
   * not flags: the mailbox job clears only those older than its round, so one that arrives while it
   * works is not lost.
   */
  @Column({ name: 'reauthorize_requested_at', type: Date, nullable: true })
  reauthorizeRequestedAt!: Date | null;

  /** when a delta round was asked for (missed notifications, a subscription Graph removed) */
  @Column({ name: 'resync_requested_at', type: Date, nullable: true })
  resyncRequestedAt!: Date | null;

  @Column({ name: 'delta_link', type: 'text', nullable: true })
  deltaLink!: string | null;

  /** when the delta's window was set: it is moved forward after a while */
  @Column({ name: 'delta_started_at', type: Date, nullable: true })
  deltaStartedAt!: Date | null;

  /** the last delta round: events created after it are new */
  @Column({ name: 'synced_at', type: Date, nullable: true })
  syncedAt!: Date | null;

  /** the next periodic delta sweep (Graph has lost notifications for hours) */
  @Column({ name: 'sweep_at', type: Date })
  sweepAt!: Date;

  @Column({ name: 'due_at', type: Date })
  dueAt!: Date;

  @Column({ type: 'integer' })
  failures!: number;

  /** why the last attempt at this mailbox failed, in Microsoft's words */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
