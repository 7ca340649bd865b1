import { Arg, Authorized, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointService, validDeliveriesPage, validEvents } from './webhook-endpoint.service';
import { WebhookEventType } from './webhook-event-type';
import { CreatedWebhookEndpoint, WebhookEndpointInput } from './webhook.types';

@Authorized()
@Resolver(() => WebhookEndpointEntity)
export class WebhookResolver {
  constructor(private readonly endpoints: WebhookEndpointService) {}

  @Query(() => [WebhookEndpointEntity])
  webhookEndpoints(): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.list();
  }

  @Mutation(() => CreatedWebhookEndpoint, { description: 'The signing secret is in the answer, once' })
  createWebhookEndpoint(@Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput): Promise<CreatedWebhookEndpoint> {
    return this.endpoints.create(input);
  }

  @Mutation(() => WebhookEndpointEntity, { description: 'Only the given fields change; enabled: true also resumes its pending deliveries' })
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('url', () => String, { nullable: true }) url?: string | null,
    @Arg('events', () => [WebhookEventType], { nullable: true }) events?: WebhookEventType[] | null,
    @Arg('enabled', () => Boolean, { nullable: true }) enabled?: boolean | null,
  ): Promise<WebhookEndpointEntity> {
    return this.endpoints.update(id, { url, events, enabled });
  }

  @Mutation(() => Boolean, { description: 'With its delivery log; pending deliveries are not sent' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string): Promise<boolean> {
    return this.endpoints.delete(id);
  }

  @Mutation(() => WebhookDeliveryEntity, { description: 'Sends the same message (same webhook-id) to the same endpoint again, as a new delivery' })
  redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDeliveryEntity> {
    return this.endpoints.redeliver(deliveryId);
  }

  @Mutation(() => WebhookDeliveryEntity, { description: 'A webhook.test event to this endpoint only' })
  sendTestWebhook(@Arg('endpointId', () => ID) endpointId: string): Promise<WebhookDeliveryEntity> {
    return this.endpoints.sendTest(endpointId);
  }

  @FieldResolver(() => [WebhookDeliveryEntity], { description: 'The newest first; 1 <= first <= 100' })
  deliveries(
    @Root() endpoint: WebhookEndpointEntity,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
  ): Promise<WebhookDeliveryEntity[]> {
    return this.endpoints.deliveries(endpoint, first, status);
  }
}

/** Checked before execution (see argument-preflight): bad input is refused with nothing done. */
export const webhookArgumentChecks = {
  'Mutation.createWebhookEndpoint': (args: { input: { events: WebhookEventType[] } }) => void validEvents(args.input.events),
  'Mutation.updateWebhookEndpoint': (args: { events?: WebhookEventType[] | null }) => void (args.events == null ? undefined : validEvents(args.events)),
  'WebhookEndpoint.deliveries': (args: { first: number }) => validDeliveriesPage(args.first),
};
