import { Webhook } from 'standardwebhooks';
import { firstAttemptAt, nextAttemptAt, outcomeOf } from '../../../src/webhooks/delivery-schedule';
import { newWebhookSecret, webhookHeaders } from '../../../src/webhooks/webhook-signing';
import { WebhookEventType, wireName } from '../../../src/webhooks/webhook-event-type';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const SCHEDULE = [0, 5, 300];

describe('what an answer means', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [410, 'gone'],
    [404, 'retry'],
    [500, 'retry'],
    [301, 'retry'],
    [null, 'retry'],
  ] as const)('%s → %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});

describe('the retry schedule', () => {
  it('waits the first entry before the first attempt', () => {
    expect(firstAttemptAt(SCHEDULE, NOW)).toEqual(NOW);
    expect(firstAttemptAt([60], NOW)).toEqual(new Date('2026-03-01T12:01:00.000Z'));
  });

  it.each([
    [1, '2026-03-01T12:00:05.000Z'],
    [2, '2026-03-01T12:05:00.000Z'],
    [3, null],
    [4, null],
  ])('after %i failed attempts the next is due at %s', (attemptsMade, due) => {
    expect(nextAttemptAt(SCHEDULE, attemptsMade, NOW)?.toISOString() ?? null).toBe(due);
  });
});

describe('Standard Webhooks signing', () => {
  it('makes a whsec_ secret of 32 bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs "id.timestamp.body" so the standardwebhooks package verifies it, and only with the same secret and body', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'tenant.consented', data: { tenantId: 't1' } });
    const headers = webhookHeaders(secret, 'msg_1', new Date(), body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(secret).verify(body.replace('t1', 't2'), headers)).toThrow(/No matching signature/);
  });

  it('puts the attempt time in webhook-timestamp, in seconds, so old messages can be refused', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders(secret, 'msg_2', new Date(Date.now() - 10 * 60_000), '{}');
    expect(() => new Webhook(secret).verify('{}', headers)).toThrow(/too old/);
    expect(webhookHeaders(secret, 'msg_2', NOW, '{}')['webhook-timestamp']).toBe(String(NOW.getTime() / 1000));
  });
});

describe('wire names', () => {
  it.each([
    [WebhookEventType.TENANT_CONSENTED, 'tenant.consented'],
    [WebhookEventType.TENANT_PERMISSIONS_CHANGED, 'tenant.permissions.changed'],
    [WebhookEventType.CALENDAR_EVENT_DELETED, 'calendar.event.deleted'],
    [WebhookEventType.WEBHOOK_TEST, 'webhook.test'],
  ])('%s is %s', (type, wire) => {
    expect(wireName(type)).toBe(wire);
  });
});
