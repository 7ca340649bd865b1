import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { WebhookEventType } from './webhook-event-type';

/** Where the SaaS wants to hear about changes: a URL, the events it asked for, its signing secret. */
@ObjectType('WebhookEndpoint')
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Field(() => [WebhookEventType])
  @Column({ type: 'simple-json' })
  events!: WebhookEventType[];

  /** The `whsec_…` signing secret, AES-256-GCM sealed with the endpoint id; shown once, at creation. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Field({ description: 'Disabled endpoints get no new deliveries; their pending ones wait until enabled again' })
  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the gateway disabled the endpoint (it answered 410 Gone), and what to do' })
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Field()
  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
