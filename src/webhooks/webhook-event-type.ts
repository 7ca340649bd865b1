import { registerEnumType } from 'type-graphql';

/** What a webhook tells. Endpoints choose theirs; the wire name is the value in lower case with dots. */
export enum WebhookEventType {
  TENANT_CONSENTED = 'TENANT_CONSENTED',
  TENANT_REVOKED = 'TENANT_REVOKED',
  TENANT_ERROR = 'TENANT_ERROR',
  TENANT_PERMISSIONS_CHANGED = 'TENANT_PERMISSIONS_CHANGED',
  TENANT_REMOVED = 'TENANT_REMOVED',
  CALENDAR_EVENT_CREATED = 'CALENDAR_EVENT_CREATED',
  CALENDAR_EVENT_UPDATED = 'CALENDAR_EVENT_UPDATED',
  CALENDAR_EVENT_DELETED = 'CALENDAR_EVENT_DELETED',
  /** sent by sendTestWebhook to one endpoint, whatever events it asked for */
  WEBHOOK_TEST = 'WEBHOOK_TEST',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  valuesConfig: { WEBHOOK_TEST: { description: 'Sent only by sendTestWebhook, to the endpoint named' } },
});

/** `TENANT_PERMISSIONS_CHANGED` → `tenant.permissions.changed`. */
export function wireName(type: WebhookEventType): string {
  return type.toLowerCase().replace(/_/g, '.');
}

export const CALENDAR_EVENT_TYPES: readonly WebhookEventType[] = [
  WebhookEventType.CALENDAR_EVENT_CREATED,
  WebhookEventType.CALENDAR_EVENT_UPDATED,
  WebhookEventType.CALENDAR_EVENT_DELETED,
];

/** Whether endpoints asking for these events need Graph subscriptions on the tenants' mailboxes. */
export function wantsCalendarEvents(events: readonly WebhookEventType[]): boolean {
  return events.some((type) => CALENDAR_EVENT_TYPES.includes(type));
}
