import type { FakeCounters } from './counters';
import { GraphError } from './graph-envelope';
import type { NotificationDeliverer } from './notification-delivery';

/**
 * The validation handshake Graph runs before it creates a subscription (and, in the fake,
 * before it moves one to a new notificationUrl): a POST to the URL with `?validationToken=…`,
 * which the receiver must answer within 10 s with 200, `text/plain` and the URL-decoded token
 * (concepts/includes/change-notifications-delivery-notificationurl-validation.md).
 */

export interface ValidationRecord {
  url: string;
  token: string;
  status?: number;
  error?: string;
  accepted: boolean;
}

/**
 * Real tokens read "Validation: Testing client application reachability for subscription
 * Request-Id: <guid>" and arrive encoded the way .NET encodes a query (`%3a`, `+` for spaces), as
 * receivers' logs show; a receiver that only percent-decodes gets '+' back and fails, as with Graph.
 */
export function validationTokenFor(requestId: string): string {
  return `Validation: Testing client application reachability for subscription Request-Id: ${requestId}`;
}

export async function validateEndpoint(deliverer: NotificationDeliverer, counters: FakeCounters, log: ValidationRecord[], url: string, requestId: string): Promise<void> {
  const token = validationTokenFor(requestId);
  const target = new URL(url);
  const query = target.search ? `${target.search}&` : '?';
  const challenge = new URL(`${target.origin}${target.pathname}${query}validationToken=${dotNetQueryEncode(token)}`);
  counters.subscriptionValidations++;
  const answer = await deliverer.post(challenge, { contentType: 'text/plain; charset=utf-8', body: '' }, deliverer.timing.validationTimeoutMs);
  const record: ValidationRecord = { url, token, status: answer.status, error: answer.error, accepted: false };
  log.push(record);
  if (answer.error === 'timeout') throw new GraphError(400, 'InvalidRequest', 'Subscription validation request timed out.');
  if (answer.status !== 200) {
    throw new GraphError(400, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
  }
  // The docs require text/plain; Graph's exact complaint about another type is not documented, so the fake reuses the body one.
  if (answer.body !== token || !/^text\/plain\b/i.test(answer.contentType ?? '')) {
    throw new GraphError(400, 'ValidationError', 'Subscription validation request failed. Response must exactly match validationToken query parameter.');
  }
  record.accepted = true;
}

function dotNetQueryEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}
