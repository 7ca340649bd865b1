import { z } from 'zod';

/**
 * What Graph POSTs to a notificationUrl and a lifecycleNotificationUrl
 * (concepts/change-notifications-delivery-webhooks.md, change-notifications-lifecycle-events.md),
 * and the validation handshake it runs before creating a subscription.
 */

export type EventChangeType = 'created' | 'updated' | 'deleted';

export interface ChangeNotification {
  subscriptionId: string;
  clientState: string | null;
  changeType: EventChangeType;
  eventId: string;
  /** resourceData's @odata.etag: a resend carries the same one */
  etag: string | null;
  /** the subscription's expiry as Graph sees it now */
  subscriptionExpiresAt: Date | null;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface LifecycleNotification {
  subscriptionId: string;
  clientState: string | null;
  /** another value may come one day: it is received and ignored */
  lifecycleEvent: LifecycleEvent | string;
  subscriptionExpiresAt: Date | null;
}

const expiry = z
  .string()
  .nullish()
  .transform((value) => {
    const date = value ? new Date(value) : null;
    return date && !Number.isNaN(date.getTime()) ? date : null;
  });

const changePayload = z.object({
  subscriptionId: z.string().min(1).max(100),
  clientState: z.string().max(256).nullish(),
  changeType: z.enum(['created', 'updated', 'deleted']),
  subscriptionExpirationDateTime: expiry,
  resourceData: z.object({ id: z.string().min(1).max(512), '@odata.etag': z.string().max(256).nullish() }),
});

const lifecyclePayload = z.object({
  subscriptionId: z.string().min(1).max(100),
  clientState: z.string().max(256).nullish(),
  lifecycleEvent: z.string().min(1).max(64),
  subscriptionExpirationDateTime: expiry,
});

/** Graph puts at most a few hundred notifications in one POST; far more is not Graph. */
const envelope = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item).min(1).max(1000) });
const changeEnvelope = envelope(changePayload);
const lifecycleEnvelope = envelope(lifecyclePayload);

/** The change notifications of one POST, or null when the body is not a Graph change notification. */
export function parseChangeNotifications(body: unknown): ChangeNotification[] | null {
  const parsed = changeEnvelope.safeParse(body);
  if (!parsed.success) return null;
  return parsed.data.value.map((item) => ({
    subscriptionId: item.subscriptionId,
    clientState: item.clientState ?? null,
    changeType: item.changeType,
    eventId: item.resourceData.id,
    etag: item.resourceData['@odata.etag'] ?? null,
    subscriptionExpiresAt: item.subscriptionExpirationDateTime,
  }));
}

/** The lifecycle notifications of one POST, or null when the body is not one. */
export function parseLifecycleNotifications(body: unknown): LifecycleNotification[] | null {
  const parsed = lifecycleEnvelope.safeParse(body);
  if (!parsed.success) return null;
  return parsed.data.value.map((item) => ({
    subscriptionId: item.subscriptionId,
    clientState: item.clientState ?? null,
    lifecycleEvent: item.lifecycleEvent,
    subscriptionExpiresAt: item.subscriptionExpirationDateTime,
  }));
}

/**
 * The handshake: `?validationToken=…`, to be echoed as text/plain within 10 s. Decoded the way a
 * form is (`+` is a space: Graph encodes the token as .NET does). undefined: no handshake.
 */
export function validationTokenOf(rawQuery: string): string | undefined {
  const params = new URLSearchParams(rawQuery);
  return params.has('validationToken') ? (params.get('validationToken') ?? '') : undefined;
}

/**
 * Graph resends a notification it thinks was not received, and repeats itself: the same
 * subscription, event, change type and version is the same notification.
 */
export function notificationKey(notification: Pick<ChangeNotification, 'subscriptionId' | 'eventId' | 'changeType' | 'etag'>): string {
  return [notification.subscriptionId.toLowerCase(), notification.changeType, notification.etag ?? '', notification.eventId].join('|');
}
