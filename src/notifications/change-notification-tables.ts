import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The inbox: change notifications accepted from Graph (answered 202 at once), waiting for the
 * mailbox job. A resend or a copy has the same key and is not stored twice.
 */
@Entity({ name: 'graph_notifications' })
@Index('ix_graph_notifications_mailbox', ['mailboxId', 'sequence'])
export class GraphNotificationEntity {
  @PrimaryGeneratedColumn('increment')
  sequence!: number;

  @Column({ name: 'mailbox_id', type: 'varchar', length: 36 })
  mailboxId!: string;

  /** SHA-256 of notificationKey(): subscription, change type, version, event */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 64, unique: true })
  dedupeKey!: string;

  @Column({ name: 'change_type', type: 'varchar', length: 16 })
  changeType!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 512 })
  eventId!: string;

  @Column({ name: 'received_at' })
  receivedAt!: Date;
}

/**
 * The last version of each event a webhook was sent for (null: deleted), so one edit Graph
 * reports several times (created and updated, resends, a sweep finding it again) is told once.
 */
@Entity({ name: 'calendar_event_versions' })
export class CalendarEventVersionEntity {
  @PrimaryColumn({ name: 'mailbox_id', type: 'varchar', length: 36 })
  mailboxId!: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 512 })
  eventId!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  version!: string | null;

  @Column({ name: 'seen_at' })
  seenAt!: Date;
}

/** Per tenant: when its users and subscriptions are next checked against Microsoft. */
@Entity({ name: 'change_sweeps' })
@Index('ix_change_sweeps_due', ['dueAt'])
export class ChangeSweepEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'due_at', type: Date })
  dueAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil!: Date | null;
}
