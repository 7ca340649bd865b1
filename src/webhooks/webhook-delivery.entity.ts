import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEventType } from './webhook-event-type';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/**
 * One event for one endpoint: the outbox row written in the same transaction as the change, then
 * the delivery log. `sequence` orders deliveries of the same subject (one tenant, one calendar
 * event) to one endpoint: a later one waits while an earlier one is pending.
 */
@ObjectType('WebhookDelivery')
@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('ix_webhook_deliveries_subject', ['endpointId', 'orderingKey', 'sequence'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('increment')
  sequence!: number;

  @Field(() => ID)
  @Column({ type: 'varchar', length: 36, unique: true })
  id!: string;

  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 })
  endpointId!: string;

  @Field({ description: 'The webhook-id header: the same on every attempt and on a redelivery, so receivers can drop repeats' })
  @Column({ name: 'message_id', type: 'varchar', length: 36 })
  webhookId!: string;

  @Field(() => WebhookEventType)
  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType!: WebhookEventType;

  /** What the order is kept per: `tenant:<id>`, `event:<tenant>:<user>:<event>`. */
  @Column({ name: 'ordering_key', type: 'varchar', length: 800 })
  orderingKey!: string;

  /** The exact body sent (and signed) on every attempt. */
  @Column({ type: 'text' })
  payload!: string;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'integer' })
  attempts!: number;

  @Field(() => Int, { nullable: true })
  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed: the status, a time-out, a refused connection' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due, while PENDING' })
  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  /** The lease of the replica delivering it now (see LeasedClaims). */
  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil!: Date | null;

  @Field()
  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt!: Date | null;
}
