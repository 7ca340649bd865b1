import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';
import { SignedWebhookReceiver } from './signed-webhook-receiver';
import { DELIVERY_FIELDS, WEBHOOK_TEST_ENV, createEndpoint, deliveriesOf, endpointOf, eventually, removeEndpoints, sendTestWebhook } from './webhook-steps';

/** Webhook endpoints and signed deliveries of tenant events, against a receiver that verifies every signature. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let receiver: SignedWebhookReceiver;


beforeAll(async () => {
  fake = await startFakeMicrosoft();
  receiver = await SignedWebhookReceiver.start();
  gateway = await startGateway(await gatewaySettings(fake), WEBHOOK_TEST_ENV);
});
afterAll(async () => {
  await gateway?.stop();
  await receiver?.stop();
  await fake?.stop();
});
beforeEach(async () => {
  fake.resetFaults();
  receiver.reset();
  await removeEndpoints(gateway);
});

describe('webhook endpoints', () => {
  it('shows the whsec_ secret once and signs tenant.consented when an admin consents', async () => {
    const endpoint = await createEndpoint(gateway, receiver);
    expect(receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: receiver.url, enabled: true });

    const { tenant, organisation, connector } = await consentedTenant(gateway, fake);
    const consented = await receiver.waitFor(() => receiver.acknowledged('tenant.consented')[0], 'tenant.consented');
    expect(consented!.data).toMatchObject({
      tenantId: tenant.id,
      microsoftTenantId: organisation.tenantId,
      connectorId: connector.id,
      status: 'CONSENTED',
      grantedScopes: ['Calendars.Read', 'Directory.Read.All'],
    });
    expect(JSON.parse(consented!.body)).toMatchObject({ type: 'tenant.consented', timestamp: expect.any(String) });

    // The receiver has answered; the gateway records the answer a moment later.
    const delivery = await eventually(async () => (await deliveriesOf(gateway, endpoint.id)).find((each) => each.status !== 'PENDING'), 'the delivery to be recorded');
    expect(delivery).toMatchObject({ eventType: 'TENANT_CONSENTED', status: 'DELIVERED', attempts: 1, lastStatusCode: 200, webhookId: consented!.webhookId });
    // The secret is never readable again: no field of the endpoint carries it.
    const listed = await gateway.gql('{ webhookEndpoints { id url events enabled } }');
    expect(JSON.stringify(listed)).not.toContain(receiver.secret!.slice(6));
  });

  it('tells revoked, error, permissions changed and removed, in order, each once', async () => {
    const endpoint = await createEndpoint(gateway, receiver);
    const { tenant, organisation, app } = await consentedTenant(gateway, fake);
    const refresh = () => gateway.gql(`mutation($id: ID!) { refreshTenant(id: $id) { status } }`, { id: tenant.id });

    fake.revokeConsent(organisation.tenantId, app.clientId, { invalidateIssuedTokens: true });
    expect((await refresh()).data.refreshTenant.status).toBe('REVOKED');
    expect((await refresh()).data.refreshTenant.status).toBe('REVOKED');
    fake.grantConsent(organisation.tenantId, app.clientId, ['Directory.Read.All', 'Calendars.Read']);
    expect((await refresh()).data.refreshTenant.status).toBe('CONSENTED');
    fake.grantConsent(organisation.tenantId, app.clientId, ['Directory.Read.All', 'Calendars.ReadWrite']);
    await refresh();
    fake.faults.clientCredentialsFailure = { status: 401, error: 'invalid_client', aadsts: 7000215, description: 'Invalid client secret provided.' };
    expect((await refresh()).data.refreshTenant.status).toBe('ERROR');
    fake.resetFaults();
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id });

    const expected = ['tenant.consented', 'tenant.revoked', 'tenant.consented', 'tenant.permissions.changed', 'tenant.error', 'tenant.removed'];
    const types = await receiver.waitFor(() => receiver.acknowledged().length >= expected.length && receiver.acknowledged().map((entry) => entry.type), 'six tenant events');
    expect(types).toEqual(expected);
    const changed = receiver.acknowledged('tenant.permissions.changed')[0]!;
    expect(changed.data).toMatchObject({ grantedScopes: ['Calendars.ReadWrite', 'Directory.Read.All'], previousGrantedScopes: ['Calendars.Read', 'Directory.Read.All'] });
    expect(receiver.acknowledged('tenant.error')[0]!.data.statusReason).toMatch(/rejected the connector's credentials/);
    await eventually(async () => (await deliveriesOf(gateway, endpoint.id)).every((delivery) => delivery.status === 'DELIVERED'), 'every delivery to be recorded as delivered');
  });

  it('tells tenant.removed for every tenant of a deleted connector', async () => {
    await createEndpoint(gateway, receiver, ['TENANT_REMOVED']);
    const { connector, tenant } = await consentedTenant(gateway, fake);
    expect((await gateway.gql('mutation($id: ID!) { deleteConnector(id: $id) }', { id: connector.id })).data.deleteConnector).toBe(true);
    const removed = await receiver.waitFor(() => receiver.acknowledged('tenant.removed')[0], 'tenant.removed');
    expect(removed.data).toMatchObject({ tenantId: tenant.id, connectorId: connector.id });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failing receiver on the schedule: delivered on the third attempt', async () => {
    const endpoint = await createEndpoint(gateway, receiver);
    receiver.replies.push(500, 503);
    const sent = await sendTestWebhook(gateway, endpoint.id);
    await receiver.waitFor(() => receiver.acknowledged('webhook.test').length === 1, 'the third attempt');
    expect(receiver.received.map((entry) => [entry.webhookId, entry.answer])).toEqual([
      [sent.webhookId, 500],
      [sent.webhookId, 503],
      [sent.webhookId, 200],
    ]);
    const delivery = await waitForDelivery(endpoint.id, sent.id, (each) => each.status === 'DELIVERED');
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
  });

  it('gives up after the last attempt of the schedule and says why', async () => {
    const endpoint = await createEndpoint(gateway, receiver);
    receiver.replies.push(500, 500, 502);
    const sent = await sendTestWebhook(gateway, endpoint.id);
    const delivery = await waitForDelivery(endpoint.id, sent.id, (each) => each.status === 'FAILED');
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 502, lastError: 'the endpoint answered HTTP 502', nextAttemptAt: null });

    // A redelivery is the same message again: the same webhook-id, so the receiver can drop repeats.
    const again = await gateway.gql(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { ${DELIVERY_FIELDS} } }`, { id: sent.id });
    expect(again.data.redeliverWebhook).toMatchObject({ webhookId: sent.webhookId, status: 'PENDING', attempts: 0 });
    await receiver.waitFor(() => receiver.acknowledged('webhook.test').length === 1, 'the redelivery');
    expect(receiver.acknowledged()[0]!.webhookId).toBe(sent.webhookId);
  });

  it('disables an endpoint that answers 410 Gone, with the reason, and sends it nothing more', async () => {
    const endpoint = await createEndpoint(gateway, receiver);
    receiver.replies.push(410);
    const sent = await sendTestWebhook(gateway, endpoint.id);
    await waitForDelivery(endpoint.id, sent.id, (each) => each.status === 'FAILED');
    const disabled = await endpointOf(gateway, endpoint.id);
    expect(disabled).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410 Gone.*updateWebhookEndpoint/) });

    await consentedTenant(gateway, fake);
    const refused = await gateway.gql('mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }', { id: endpoint.id });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/disabled.*enabled: true/) });
    expect(receiver.received).toHaveLength(1);

    const enabled = await gateway.gql('mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: true) { enabled disabledReason } }', { id: endpoint.id });
    expect(enabled.data.updateWebhookEndpoint).toEqual({ enabled: true, disabledReason: null });
  });

  it('refuses an unknown delivery or endpoint id, and an empty event list, before doing anything', async () => {
    const unknown = await gateway.gql('mutation { redeliverWebhook(deliveryId: "5d2c1c1e-0000-4000-8000-000000000000") { id } }');
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/No webhook delivery/) });
    const notAnId = await gateway.gql('mutation { sendTestWebhook(endpointId: "nope") { id } }');
    expect(notAnId.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const empty = await gateway.gql('mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }', { input: { url: receiver.url, events: [] } });
    expect(empty.status).toBe(400);
    expect(empty.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/events cannot be empty: choose from TENANT_CONSENTED/) });
    const page = await gateway.gql('{ webhookEndpoints { deliveries(first: 1000) { id } } }');
    expect(page.status).toBe(400);
    expect((await gateway.gql('{ webhookEndpoints { id } }')).data.webhookEndpoints).toEqual([]);
  });
});

describe('endpoint URLs without XKIT_WEBHOOK_ALLOW_LOCAL', () => {
  let strict: GatewayProcess;
  beforeAll(async () => {
    strict = await startGateway(await gatewaySettings(fake));
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    ['http://hooks.example.com/xkit', /must be an absolute https URL/],
    ['https://127.0.0.1/xkit', /127\.0\.0\.1, which is not a public internet address/],
    ['https://localhost:8443/xkit', /not a public internet address/],
    ['https://10.20.30.40/xkit', /10\.20\.30\.40, which is not a public/],
    ['https://169.254.169.254/latest/meta-data', /169\.254\.169\.254, which is not a public/],
    ['https://[::1]/xkit', /::1, which is not a public/],
    ['https://[::ffff:192.168.1.1]/xkit', /not a public internet address/],
    ['https://user:pass@hooks.example.com/xkit', /must not carry a user name/],
  ])('refuses %s, and records nothing', async (url, reason) => {
    const result = await strict.gql('mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }', { input: { url, events: ['TENANT_CONSENTED'] } });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'url' }, message: expect.stringMatching(reason) });
    expect(result.errors?.[0]!.message).not.toContain('pass@');
    expect((await strict.gql('{ webhookEndpoints { id } }')).data.webhookEndpoints).toEqual([]);
  });
});

describe('a restart with deliveries pending', () => {
  it('loses none: the next process on the same database delivers them', async () => {
    const settings = await gatewaySettings(fake);
    const hanging = await SignedWebhookReceiver.start();
    let first: GatewayProcess | undefined;
    let second: GatewayProcess | undefined;
    try {
      first = await startGateway(settings, WEBHOOK_TEST_ENV);
      const endpoint = await createEndpoint(first, hanging);
      hanging.replies.push('hang', 'hang', 'hang');
      const sent = [await sendTestWebhook(first, endpoint.id), await sendTestWebhook(first, endpoint.id), await sendTestWebhook(first, endpoint.id)];
      // Every attempt is in flight, unanswered, when the gateway stops.
      await hanging.waitFor(() => hanging.received.length === 3, 'three attempts in flight');
      await first.stop();

      second = await startGateway(settings, WEBHOOK_TEST_ENV);
      const acknowledged = await hanging.waitFor(() => {
        const ids = new Set(hanging.acknowledged('webhook.test').map((entry) => entry.webhookId));
        return ids.size === 3 && ids;
      }, 'the three deliveries after the restart');
      expect([...acknowledged].sort()).toEqual(sent.map((delivery) => delivery.webhookId).sort());
      const statuses = await eventually(async () => {
        const deliveries = await deliveriesOf(second!, endpoint.id);
        return deliveries.every((delivery) => delivery.status === 'DELIVERED') && deliveries.map((delivery) => delivery.status);
      }, 'the deliveries to be marked delivered');
      expect(statuses).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
    } finally {
      await first?.stop();
      await second?.stop();
      await hanging.stop();
    }
  });
});

function waitForDelivery(endpointId: string, deliveryId: string, done: (delivery: any) => boolean) {
  return eventually(async () => (await deliveriesOf(gateway, endpointId)).find((each) => each.id === deliveryId && done(each)), `delivery ${deliveryId} to settle`);
}
