import { z } from 'zod';
import type { GraphClient, TenantAccess } from './graph-client';
import { GraphRequestError } from './graph-request-error';
import { UnexpectedPayloadError } from './graph-resources';

/**
 * Change-notification subscriptions on one mailbox's default calendar
 * (api-reference/v1.0/api/subscription-*.md): create (Graph first runs the validation handshake
 * against both URLs, so the gateway must already be listening), renew, reauthorize, delete, list.
 */

/** A little less than Graph's maximum (MAX_EVENT_SUBSCRIPTION_MINUTES), leaving room for clock skew. */
export const REQUESTED_LIFETIME_MINUTES = 10_000;
const MINUTE_MS = 60_000;
/** Renewals start this long before the expiry Graph granted at most (or half way through a shorter lifetime). */
const RENEWAL_LEAD_MS = 24 * 60 * MINUTE_MS;

export interface GraphSubscription {
  id: string;
  /** what Graph granted, which may be less than asked */
  expiresAt: Date;
}

export interface ListedSubscription extends GraphSubscription {
  resource: string;
  notificationUrl: string;
}

/** Immutable ids: an event keeps its id when it moves between folders, so a webhook's eventId stays valid. */
const IMMUTABLE_IDS = { Prefer: 'IdType="ImmutableId"' };

const subscriptionPayload = z.object({
  id: z.string().min(1),
  expirationDateTime: z.string(),
  resource: z.string().nullish(),
  notificationUrl: z.string().nullish(),
});

function readSubscription(raw: unknown): ListedSubscription {
  const parsed = subscriptionPayload.safeParse(raw);
  const expiresAt = parsed.success ? new Date(parsed.data.expirationDateTime) : null;
  if (!parsed.success || !expiresAt || Number.isNaN(expiresAt.getTime())) {
    throw new UnexpectedPayloadError('a subscription', parsed.success ? `expirationDateTime ${parsed.data.expirationDateTime} is not a date` : (parsed.error.issues[0]?.message ?? 'invalid'));
  }
  return { id: parsed.data.id, expiresAt, resource: parsed.data.resource ?? '', notificationUrl: parsed.data.notificationUrl ?? '' };
}

/** Watches created, updated and deleted events of the user's default calendar (what `/users/{id}/events` covers). */
export async function createEventSubscription(
  graph: GraphClient,
  access: TenantAccess,
  request: { userId: string; notificationUrl: string; lifecycleNotificationUrl: string; clientState: string; now: Date },
): Promise<GraphSubscription> {
  const answer = await graph.request(access, 'POST', '/subscriptions', {
    headers: IMMUTABLE_IDS,
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: request.notificationUrl,
      lifecycleNotificationUrl: request.lifecycleNotificationUrl,
      resource: `/users/${request.userId}/events`,
      expirationDateTime: requestedExpiry(request.now).toISOString(),
      clientState: request.clientState,
    },
  });
  return readSubscription(answer.body);
}

/** A PATCH of the expiry; it also reauthorizes. GraphRequestError 404 when Graph no longer has it. */
export async function renewSubscription(graph: GraphClient, access: TenantAccess, id: string, now: Date): Promise<GraphSubscription> {
  const answer = await graph.request(access, 'PATCH', `/subscriptions/${encodeURIComponent(id)}`, { body: { expirationDateTime: requestedExpiry(now).toISOString() } });
  return readSubscription(answer.body);
}

/** After reauthorizationRequired: 204, the expiry unchanged. */
export async function reauthorizeSubscription(graph: GraphClient, access: TenantAccess, id: string): Promise<void> {
  await graph.request(access, 'POST', `/subscriptions/${encodeURIComponent(id)}/reauthorize`);
}

/** Deleted, or already gone (404): either way Graph sends no more. */
export async function deleteSubscription(graph: GraphClient, access: TenantAccess, id: string): Promise<void> {
  try {
    await graph.request(access, 'DELETE', `/subscriptions/${encodeURIComponent(id)}`);
  } catch (error) {
    if (!isSubscriptionGone(error)) throw error;
  }
}

/** This app's live subscriptions in the tenant (Graph pages the list). Graph throttles this list, so it is read rarely. */
export async function listSubscriptions(graph: GraphClient, access: TenantAccess): Promise<ListedSubscription[]> {
  const found: ListedSubscription[] = [];
  let url: string | null = '/subscriptions';
  for (let page = 0; url && page < 1000; page++) {
    const body: { value?: unknown[]; '@odata.nextLink'?: string } = await graph.get(access, url);
    found.push(...(body.value ?? []).map(readSubscription));
    url = body['@odata.nextLink'] ? graph.relativeUrlOf(body['@odata.nextLink'], 'GET /subscriptions') : null;
  }
  return found;
}

export function isSubscriptionGone(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 404;
}

export function requestedExpiry(now: Date): Date {
  return new Date(now.getTime() + REQUESTED_LIFETIME_MINUTES * MINUTE_MS);
}

/**
 * When to renew a subscription Graph granted until `expiresAt`: a day ahead, or half way through a
 * shorter lifetime (Graph may grant less than asked), so a failing renewal has retries left.
 */
export function renewalTime(expiresAt: Date, grantedAt: Date): Date {
  const lifetime = expiresAt.getTime() - grantedAt.getTime();
  return new Date(expiresAt.getTime() - Math.min(RENEWAL_LEAD_MS, Math.max(0, lifetime / 2)));
}

/** Graph reports an expiry earlier than the one it granted (a notification, the list): renew now rather than trust ours. */
export function expiryShortened(held: Date | null, reported: Date | null): boolean {
  return held !== null && reported !== null && reported.getTime() < held.getTime() - 60_000;
}
