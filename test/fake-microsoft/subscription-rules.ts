import { GraphError } from './graph-envelope';
import type { MailboxChangeType } from './mailbox-changes';
import { isLoopbackHttp } from './receiver-http';

/** What Graph checks in a subscription's properties before it calls anyone. */

/** Outlook message, event and contact subscriptions without resource data (learn.microsoft.com/graph/api/resources/subscription, "Subscription lifetime"). */
export const MAX_EVENT_SUBSCRIPTION_MINUTES = 10_080;
/** "Any value under 45 minutes after the time of the request is automatically set to 45 minutes after the request time" (same page). */
export const MIN_SUBSCRIPTION_MINUTES = 45;
/** subscription.md: clientState "The maximum length is 128 characters." */
export const MAX_CLIENT_STATE_LENGTH = 128;
/** "A maximum of 1,000 active subscriptions per mailbox for all applications is allowed" (change-notifications-supported-resources-expanded.md). */
export const SUBSCRIPTIONS_PER_MAILBOX = 1_000;
const TLS_VERSIONS = ['v1_0', 'v1_1', 'v1_2', 'v1_3'];
const CHANGE_TYPES: readonly MailboxChangeType[] = ['created', 'updated', 'deleted'];
const MINUTE_MS = 60_000;

/** The message Graph gives a body it cannot map onto a subscription, e.g. a malformed date (microsoft-graph-docs#3041). */
export function unreadablePayload(): GraphError {
  return new GraphError(400, 'InvalidRequest', 'Could not process subscription creation payload. Are all property names spelled and camelCased properly?');
}

export function changeTypesOf(raw: string): Set<MailboxChangeType> {
  const parts = raw.split(',').map((part) => part.trim());
  // Graph's message for an unknown change type is not documented; this one names the value, as its others do.
  const unknown = parts.find((part) => !(CHANGE_TYPES as readonly string[]).includes(part));
  if (unknown !== undefined) throw new GraphError(400, 'InvalidRequest', `Invalid 'changeType' attribute: '${unknown}'.`);
  return new Set(parts as MailboxChangeType[]);
}

export function checkClientState(clientState: string | null): void {
  // Documented limit, undocumented message.
  if (clientState !== null && clientState.length > MAX_CLIENT_STATE_LENGTH) {
    throw new GraphError(400, 'InvalidRequest', `The clientState property must not exceed ${MAX_CLIENT_STATE_LENGTH} characters.`);
  }
}

export function checkTlsVersion(version: string): void {
  if (!TLS_VERSIONS.includes(version)) throw new GraphError(400, 'InvalidRequest', `Invalid 'latestSupportedTlsVersion' value: '${version}'. Supported values: ${TLS_VERSIONS.join(', ')}.`);
}

/**
 * notificationUrl and lifecycleNotificationUrl must be https (microsoft-graph-docs#2751 for the
 * message). The fake also allows http on the loopback interface, where the gateway under test
 * listens; the real Graph never could reach such a URL anyway.
 */
export function checkReceiverUrl(property: 'NotificationUrl' | 'LifecycleNotificationUrl', raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GraphError(400, 'InvalidRequest', `Invalid ${property === 'NotificationUrl' ? 'notification' : 'lifecycle notification'} url='${raw}'.`);
  }
  if (url.protocol === 'https:' || isLoopbackHttp(url)) return;
  throw new GraphError(400, 'InvalidRequest', `${property} scheme='${url.protocol.replace(/:$/, '')}' is not supported.`);
}

/** ISO 8601; without an offset, UTC. */
export function parseExpiration(raw: unknown): number {
  if (typeof raw !== 'string') throw unreadablePayload();
  const match = raw.trim().match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/i);
  const parsed = match ? Date.parse(`${match[1]}${(match[2] ?? '').slice(0, 4)}${match[3] ?? 'Z'}`) : NaN;
  if (Number.isNaN(parsed)) throw unreadablePayload();
  return parsed;
}

/**
 * The expiry Graph grants for a requested one: too far is refused (the message observed in
 * microsoft-graph-docs#7726, with today's maximum), too near (past included, as the docs word it)
 * becomes 45 minutes, and the grantedLifetimeMinutes fault grants less than asked.
 */
export function grantedExpiry(requestedMs: number, nowMs: number, grantedLifetimeMinutes: number | undefined): number {
  if (requestedMs > nowMs + MAX_EVENT_SUBSCRIPTION_MINUTES * MINUTE_MS) {
    throw new GraphError(400, 'ExtensionError', `Subscription expiration can only be ${MAX_EVENT_SUBSCRIPTION_MINUTES} minutes in the future.`);
  }
  const granted = Math.max(requestedMs, nowMs + MIN_SUBSCRIPTION_MINUTES * MINUTE_MS);
  return grantedLifetimeMinutes === undefined ? granted : Math.min(granted, nowMs + grantedLifetimeMinutes * MINUTE_MS);
}
