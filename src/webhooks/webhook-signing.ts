import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks (standardwebhooks.com): a `whsec_`-prefixed base64 secret per endpoint, and
 * three headers per attempt. The signature covers "id.timestamp.body", so a receiver can verify
 * it with the `standardwebhooks` package (or a few lines of HMAC-SHA256) and refuse replays by
 * the timestamp.
 */

/** 32 random bytes: within the 24–64 the specification recommends. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function webhookHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}
