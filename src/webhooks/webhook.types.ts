import { Field, InputType, ObjectType } from 'type-graphql';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventType } from './webhook-event-type';

@InputType()
export class WebhookEndpointInput {
  @Field({ description: 'An https URL on the public internet (http and local addresses only with XKIT_WEBHOOK_ALLOW_LOCAL)' })
  url!: string;
  @Field(() => [WebhookEventType], { description: 'At least one' })
  events!: WebhookEventType[];
}

@ObjectType('CreatedWebhookEndpoint')
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpointEntity) endpoint!: WebhookEndpointEntity;
  @Field({ description: 'The whsec_… signing secret: shown once, store it now; only a sealed copy is kept' })
  secret!: string;
}
