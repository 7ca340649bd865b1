import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { calendarWebhooksFor, deliveriesSettled, eventBody, STATUS_QUERY, subscriptionsOf, watchedTenant } from './calendar-steps';
import { GatewayProcess, gatewaySettings, metricValue, startGateway } from './harness';
import { SignedWebhookReceiver } from './signed-webhook-receiver';
import { adminConsents, readyConnector, tenantsOf } from './scenario';
import { CALENDAR_EVENTS, WEBHOOK_TEST_ENV, createEndpoint, eventually, removeEndpoints } from './webhook-steps';

/**
 * Calendar webhooks from Graph change notifications: the gateway keeps a subscription per mailbox,
 * answers Graph's handshake and notifications, reads what changed and tells it once, signed.
 */

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

describe('Graph subscriptions', () => {
  it('keeps one per mailbox while an endpoint asks for calendar events, with the handshake answered and a clientState of its own', async () => {
    const { tenant, users } = await watchedTenant(gateway, fake, receiver, { users: 3 });
    const subscriptions = subscriptionsOf(fake, tenant.microsoftTenantId);
    expect(subscriptions.map((subscription) => subscription.resource).sort()).toEqual(users.map((user) => `/users/${user.id}/events`).sort());
    for (const subscription of subscriptions) {
      expect(subscription).toMatchObject({
        changeType: 'created,updated,deleted',
        notificationUrl: `${gateway.url}/notifications/graph`,
        lifecycleNotificationUrl: `${gateway.url}/notifications/graph/lifecycle`,
        immutableIds: true,
        clientState: expect.stringMatching(/^[\w-]{43}$/),
      });
      // Close to Graph's 10,080-minute maximum, never above it.
      const minutes = (Date.parse(subscription.expirationDateTime) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(9_990);
      expect(minutes).toBeLessThan(10_080);
    }
    expect(new Set(subscriptions.map((subscription) => subscription.clientState)).size).toBe(3);
    expect(fake.subscriptions.validations.filter((validation) => validation.url.startsWith(gateway.url)).every((validation) => validation.accepted)).toBe(true);

    const status = await eventually(async () => {
      const result = await gateway.gql(STATUS_QUERY, { id: tenant.id });
      return result.data.tenant.changeNotifications.active === 3 && result.data.tenant.changeNotifications;
    }, 'three active mailboxes');
    expect(status).toMatchObject({ users: 3, active: 3, failing: 0 });
    const renewalIn = Date.parse(status.nextRenewalAt) - Date.now();
    expect(renewalIn).toBeGreaterThan(5 * 24 * 3600_000);
  });

  it('deletes them when no endpoint asks for calendar events any more', async () => {
    const { tenant, endpoint } = await watchedTenant(gateway, fake, receiver);
    await gateway.gql('mutation($id: ID!) { updateWebhookEndpoint(id: $id, events: [TENANT_CONSENTED]) { id } }', { id: endpoint.id });
    await eventually(async () => subscriptionsOf(fake, tenant.microsoftTenantId).length === 0, 'the subscriptions to be deleted');
    const status = await eventually(async () => {
      const result = (await gateway.gql(STATUS_QUERY, { id: tenant.id })).data.tenant.changeNotifications;
      return result.users === 0 && result;
    }, 'the mailboxes to be forgotten');
    expect(status).toEqual({ users: 0, active: 0, failing: 0, nextRenewalAt: null });
  });

  it('deletes them at Graph when the tenant is removed, so its mailboxes stop notifying at once', async () => {
    const { tenant, organisation } = await watchedTenant(gateway, fake, receiver, { users: 3 });
    const watched = subscriptionsOf(fake, organisation.tenantId).map((subscription) => subscription.id.toLowerCase());
    const DELETED_OK = 'xkit_graph_subscription_operations_total{operation="delete",outcome="ok"}';
    const deletedOkBefore = await metric(DELETED_OK);
    const logStart = fake.requestLog.length;
    // One delete is refused as Graph does when busy: the gateway sends it again. (Other tests' tenants
    // may be having their subscriptions deleted meanwhile: only this tenant's are looked at.)
    fake.faults.failSubscriptionDeletes = { count: 1, status: 503, subscriptionId: watched[0] };

    const removed = await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id });
    expect(removed).toMatchObject({ status: 200, data: { removeTenant: true } });
    await eventually(async () => subscriptionsOf(fake, organisation.tenantId).length === 0, "the removed tenant's subscriptions to be deleted at Graph");
    const deleted = fake.requestLog
      .slice(logStart)
      .filter((entry) => entry.method === 'DELETE' && entry.path.startsWith('/v1.0/subscriptions/'))
      .map((entry) => decodeURIComponent(entry.path.split('/').pop()!).toLowerCase())
      .filter((id) => watched.includes(id));
    // The refused one sent twice, the others once.
    expect(deleted.sort()).toEqual([...watched, watched[0]!].sort());
    // Counted when the gateway reads Graph's answer, a moment after the fake has dropped the subscription.
    await eventually(async () => (await metric(DELETED_OK)) - deletedOkBefore >= watched.length, 'the deletes to be counted');
  });

  it('counts a mailbox Graph will not watch as failing, with Microsoft\'s reason, and watches the others', async () => {
    await createEndpoint(gateway, receiver, CALENDAR_EVENTS);
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Partly on-premises', users: 3 });
    const onPremises = organisation.users[2]!;
    fake.faults.mailboxDisabledUsers.add(onPremises.id);
    await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    const [tenant] = await tenantsOf(gateway, connector.id);
    const status = await eventually(async () => {
      const result = (await gateway.gql(`query($id: ID!) { tenant(id: $id) { changeNotifications { users active failing failures { userId reason } sweepError } } }`, { id: tenant.id })).data.tenant.changeNotifications;
      return result.active === 2 && result.failing === 1 && result;
    }, 'two active mailboxes and one failing');
    expect(status).toMatchObject({ users: 3, sweepError: null, failures: [{ userId: onPremises.id, reason: expect.stringMatching(/404 ExtensionError.*mailbox is either inactive, soft-deleted, or is hosted on-premise/) }] });
    expect(subscriptionsOf(fake, organisation.tenantId).map((subscription) => subscription.userId).sort()).toEqual([organisation.users[0]!.id, organisation.users[1]!.id].sort());
  });
});

describe('calendar events', () => {
  it('tells created, updated and deleted once each, with the event, though Graph repeats itself', async () => {
    const { tenant, organisation, users, connector, endpoint } = await watchedTenant(gateway, fake, receiver);
    // Graph's habits: a create also reported as an update, and every notification sent twice.
    fake.faults.updatedAfterCreate = true;
    fake.faults.notificationCopies = 2;
    const user = users[0]!;

    const [created] = fake.mailbox.createEvent(organisation.tenantId, user.id, eventBody('Quarterly planning'));
    const eventId = created!.id as string;
    const first = await receiver.waitFor(() => calendarWebhooksFor(receiver, eventId)[0], 'calendar.event.created');
    expect(first.type).toBe('calendar.event.created');
    expect(first.data).toMatchObject({ tenantId: tenant.id, microsoftTenantId: organisation.tenantId, connectorId: connector.id, userId: user.id, eventId });
    expect(first.data.event).toMatchObject({ id: eventId, subject: 'Quarterly planning', isAllDay: false, start: `${eventBody('').start.dateTime}.000Z` });

    fake.mailbox.updateEvent(organisation.tenantId, user.id, eventId, { subject: 'Quarterly planning (moved)' });
    const updated = await receiver.waitFor(() => calendarWebhooksFor(receiver, eventId)[1], 'calendar.event.updated');
    expect(updated).toMatchObject({ type: 'calendar.event.updated', data: { event: { subject: 'Quarterly planning (moved)' } } });

    fake.mailbox.deleteEvent(organisation.tenantId, user.id, eventId);
    const deleted = await receiver.waitFor(() => calendarWebhooksFor(receiver, eventId)[2], 'calendar.event.deleted');
    expect(deleted).toMatchObject({ type: 'calendar.event.deleted', data: { eventId, event: null } });

    // Everything Graph sent has been answered and processed: a last change in the same mailbox comes after it all.
    await fake.subscriptions.settled();
    fake.resetFaults();
    const [sentinel] = fake.mailbox.createEvent(organisation.tenantId, user.id, eventBody('Sentinel', 14));
    await receiver.waitFor(() => calendarWebhooksFor(receiver, sentinel!.id as string)[0], 'the sentinel');
    await deliveriesSettled(gateway, endpoint.id);
    expect(calendarWebhooksFor(receiver, eventId).map((entry) => entry.type)).toEqual(['calendar.event.created', 'calendar.event.updated', 'calendar.event.deleted']);
    expect(fake.subscriptions.deliveries.filter((delivery) => delivery.url.startsWith(gateway.url)).every((delivery) => delivery.attempts.every((attempt) => attempt.status === 202))).toBe(true);
  });

  it('tells a new event as created when Graph reports only its update (the created notification lost, or still on the way)', async () => {
    const { organisation, users, endpoint } = await watchedTenant(gateway, fake, receiver);
    fake.faults.updatedAfterCreate = true;
    fake.faults.dropNotifications = { count: 1 };
    const [created] = fake.mailbox.createEvent(organisation.tenantId, users[0]!.id, eventBody('Only its update reported'));
    expect(fake.subscriptions.dropped.at(-1)).toMatchObject({ notification: expect.objectContaining({ changeType: 'created' }) });
    await receiver.waitFor(() => calendarWebhooksFor(receiver, created!.id as string)[0], 'the webhook of the new event');
    await fake.subscriptions.settled();
    await deliveriesSettled(gateway, endpoint.id);
    expect(calendarWebhooksFor(receiver, created!.id as string).map((entry) => entry.type)).toEqual(['calendar.event.created']);
  });
});

describe('the notification routes', () => {
  const post = (path: string, body: string, contentType = 'application/json') => fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('answer the validation handshake with the decoded token, as text/plain', async () => {
    for (const path of ['/notifications/graph', '/notifications/graph/lifecycle']) {
      const answer = await fetch(`${gateway.url}${path}?validationToken=Validation%3a+Testing+client+application+reachability`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await answer.text()).toBe('Validation: Testing client application reachability');
    }
    const empty = await fetch(`${gateway.url}/notifications/graph?validationToken=`, { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/validationToken is empty/);
  });

  it('refuse a body that is not a notification', async () => {
    for (const body of ['not json', '{}', '{"value":[]}', '{"value":[{"subscriptionId":"x"}]}']) {
      const answer = await post('/notifications/graph', body);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/not a Microsoft Graph notification/);
    }
    expect((await post('/notifications/graph/lifecycle', '{"value":[{"lifecycleEvent":"missed"}]}')).status).toBe(400);
  });

  it('drop a forged notification (a wrong clientState, an unknown subscription), still answering 202, and count it', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    const [subscription] = subscriptionsOf(fake, organisation.tenantId);
    const [real] = fake.mailbox.createEvent(organisation.tenantId, users[0]!.id, eventBody('Real'));
    const forged = (subscriptionId: string, clientState: string) =>
      JSON.stringify({
        value: [
          {
            subscriptionId,
            clientState,
            changeType: 'created',
            resource: `Users/${users[0]!.id}/Events/${real!.id}`,
            resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': 'x', '@odata.etag': 'W/"forged"', id: real!.id },
            tenantId: organisation.tenantId,
          },
        ],
      });
    const before = await metric('xkit_graph_notifications_total{kind="change",outcome="wrong_client_state"}');
    expect((await post('/notifications/graph', forged(subscription!.id, 'guessed'))).status).toBe(202);
    expect((await post('/notifications/graph', forged('5f0e1d2c-0000-4000-8000-000000000000', 'guessed'))).status).toBe(202);
    expect(await metric('xkit_graph_notifications_total{kind="change",outcome="wrong_client_state"}')).toBe(before + 1);
    expect(await metric('xkit_graph_notifications_total{kind="change",outcome="unknown_subscription"}')).toBeGreaterThanOrEqual(1);
    // The real notification of the same create is told once; the forged ones add nothing.
    await receiver.waitFor(() => calendarWebhooksFor(receiver, real!.id as string)[0], 'the real created');
    await fake.subscriptions.settled();
    expect(calendarWebhooksFor(receiver, real!.id as string)).toHaveLength(1);
  });
});

const metric = (series: string) => metricValue(gateway, series);
