import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { calendarWebhooksFor, eventBody, STATUS_QUERY, subscriptionsOf, watchedTenant } from './calendar-steps';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { SignedWebhookReceiver } from './signed-webhook-receiver';
import { WEBHOOK_TEST_ENV, eventually, removeEndpoints } from './webhook-steps';

/**
 * Keeping subscriptions alive, and not losing changes when Graph does: lifecycle notifications
 * (reauthorizationRequired, subscriptionRemoved, missed), and the periodic sweep that catches what
 * Graph never says (a subscription that silently died, an expiry it shortened, a new user, a
 * notification lost for good).
 */

let fake: FakeMicrosoft;
let receiver: SignedWebhookReceiver;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  receiver = await SignedWebhookReceiver.start();
});
afterAll(async () => {
  await receiver?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  receiver.reset();
});

describe('lifecycle notifications (the hourly sweep far away)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake), WEBHOOK_TEST_ENV);
  });
  afterAll(async () => {
    await gateway?.stop();
  });
  beforeEach(async () => {
    await removeEndpoints(gateway);
  });

  it('missed: resyncs the mailbox with calendar delta and tells the change Graph never sent', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    fake.faults.dropNotifications = { count: 1 };
    const [lost] = fake.mailbox.createEvent(organisation.tenantId, users[0]!.id, eventBody('Told by the resync'));
    expect(fake.counters.notificationsDropped).toBeGreaterThanOrEqual(1);
    const subscription = subscriptionsOf(fake, organisation.tenantId).find((each) => each.userId === users[0]!.id)!;

    expect(fake.subscriptions.sendLifecycle(subscription.id, 'missed')).toBe(true);
    const told = await receiver.waitFor(() => calendarWebhooksFor(receiver, lost!.id as string)[0], 'the resynced change');
    expect(told).toMatchObject({ type: 'calendar.event.created', data: { event: { subject: 'Told by the resync' } } });
  });

  it('reauthorizationRequired: reauthorizes, and notifications flow again', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    const subscription = subscriptionsOf(fake, organisation.tenantId).find((each) => each.userId === users[1]!.id)!;
    const before = fake.counters.subscriptionsReauthorized;
    fake.subscriptions.sendLifecycle(subscription.id, 'reauthorizationRequired', { pauseDelivery: true });
    await eventually(async () => fake.counters.subscriptionsReauthorized === before + 1 && !fake.subscriptions.get(subscription.id)!.deliveryPaused, 'the reauthorization');

    const [after] = fake.mailbox.createEvent(organisation.tenantId, users[1]!.id, eventBody('After reauthorizing'));
    await receiver.waitFor(() => calendarWebhooksFor(receiver, after!.id as string)[0], 'a change after reauthorizing');
  });

  it('subscriptionRemoved: creates a new subscription and tells what changed in between', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    const user = users[0]!;
    const removed = subscriptionsOf(fake, organisation.tenantId).find((each) => each.userId === user.id)!;
    // Graph removes it first; a change made while there is none reaches nobody.
    fake.faults.dropNotifications = { count: 1 };
    const [during] = fake.mailbox.createEvent(organisation.tenantId, user.id, eventBody('While removed'));
    fake.subscriptions.sendLifecycle(removed.id, 'subscriptionRemoved');

    const replacement = await eventually(async () => subscriptionsOf(fake, organisation.tenantId).find((each) => each.userId === user.id), 'a new subscription');
    expect(replacement.id).not.toBe(removed.id);
    await receiver.waitFor(() => calendarWebhooksFor(receiver, during!.id as string)[0], 'the change made in between');
  });

  it('drops a lifecycle notification with a wrong clientState, answering 202', async () => {
    const { organisation } = await watchedTenant(gateway, fake, receiver);
    const subscription = subscriptionsOf(fake, organisation.tenantId)[0]!;
    const created = fake.counters.subscriptionsCreated;
    const answer = await fetch(`${gateway.url}/notifications/graph/lifecycle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: subscription.id, clientState: 'forged', lifecycleEvent: 'subscriptionRemoved', tenantId: organisation.tenantId }] }),
    });
    expect(answer.status).toBe(202);
    // A genuine lifecycle notification after it is handled, so the forged one was not.
    fake.subscriptions.sendLifecycle(subscription.id, 'reauthorizationRequired');
    const reauthorized = fake.counters.subscriptionsReauthorized;
    await eventually(async () => fake.counters.subscriptionsReauthorized > reauthorized, 'the genuine one');
    expect(fake.counters.subscriptionsCreated).toBe(created);
    expect(fake.subscriptions.get(subscription.id)).toBeDefined();
  });
});

describe('the periodic sweep (every second here)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake), { ...WEBHOOK_TEST_ENV, XKIT_CHANGE_SWEEP_SECONDS: '1' });
  });
  afterAll(async () => {
    await gateway?.stop();
  });
  beforeEach(async () => {
    await removeEndpoints(gateway);
  });

  it('renews a subscription close to expiry, using the expiry Graph reports', async () => {
    const { organisation, tenant } = await watchedTenant(gateway, fake, receiver);
    const subscription = subscriptionsOf(fake, organisation.tenantId)[0]!;
    const renewed = fake.counters.subscriptionsRenewed;
    fake.subscriptions.setExpiration(subscription.id, new Date(Date.now() + 30 * 60_000));

    await eventually(async () => Date.parse(fake.subscriptions.get(subscription.id)!.expirationDateTime) > Date.now() + 9_000 * 60_000, 'the renewal');
    expect(fake.counters.subscriptionsRenewed).toBe(renewed + 1);
    const status = (await gateway.gql(STATUS_QUERY, { id: tenant.id })).data.tenant.changeNotifications;
    expect(status).toMatchObject({ users: 2, active: 2, failing: 0 });
  });

  it('creates again a subscription that silently died, and tells the change it missed', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    const user = users[1]!;
    const dead = subscriptionsOf(fake, organisation.tenantId).find((each) => each.userId === user.id)!;
    fake.subscriptions.expire(dead.id);
    const [unseen] = fake.mailbox.createEvent(organisation.tenantId, user.id, eventBody('Nobody was listening'));

    await eventually(async () => subscriptionsOf(fake, organisation.tenantId).some((each) => each.userId === user.id), 'a new subscription');
    await receiver.waitFor(() => calendarWebhooksFor(receiver, unseen!.id as string)[0], 'the change found by the resync');
  });

  it('finds a change whose notification Graph lost, without being told', async () => {
    const { organisation, users } = await watchedTenant(gateway, fake, receiver);
    fake.faults.dropNotifications = { count: 10 };
    const [lost] = fake.mailbox.createEvent(organisation.tenantId, users[0]!.id, eventBody('Lost notification'));
    const told = await receiver.waitFor(() => calendarWebhooksFor(receiver, lost!.id as string)[0], 'the change found by the sweep');
    expect(told.type).toBe('calendar.event.created');
    expect(calendarWebhooksFor(receiver, lost!.id as string)).toHaveLength(1);
  });

  it('watches a user added to the directory', async () => {
    const { organisation, tenant } = await watchedTenant(gateway, fake, receiver);
    const newcomer = fake.addUser(organisation.tenantId);
    await eventually(async () => subscriptionsOf(fake, organisation.tenantId).some((each) => each.userId === newcomer.id), 'a subscription for the new user');
    const status = await eventually(async () => {
      const result = (await gateway.gql(STATUS_QUERY, { id: tenant.id })).data.tenant.changeNotifications;
      return result.active === 3 && result;
    }, 'three active mailboxes');
    expect(status.users).toBe(3);
  });
});
