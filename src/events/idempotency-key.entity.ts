import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';

/**
 * A createEvent's idempotencyKey, written before the create is sent: unique per tenant, user and
 * key in the database, so a retry through any replica finds it. `fingerprint` says what was asked,
 * `eventId` what Graph booked, once its answer came back.
 */
@Entity({ name: 'event_idempotency_keys' })
@Index('uq_event_idempotency_keys_tenant_user_key', ['tenantId', 'userId', 'idempotencyKey'], { unique: true })
export class EventIdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  /** The user id as the caller gave it, in lower case (Graph ids and user principal names ignore case). */
  @Column({ name: 'user_id', type: 'varchar', length: 400 })
  userId!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  /** SHA-256 of the calendar and the Graph body asked for. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 512, nullable: true })
  eventId!: string | null;

  @Index('ix_event_idempotency_keys_created_at')
  @Column({ name: 'created_at' })
  createdAt!: Date;
}
