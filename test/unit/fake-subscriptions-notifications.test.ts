import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser, type MailboxChange } from '../fake-microsoft';
import { GraphTestClient } from '../fake-microsoft/graph-test-client';
import { WebhookReceiver } from '../fake-microsoft/webhook-receiver';

/**
 * What Graph POSTs once a subscription exists: change notifications for stored changes to the
 * mailbox (announced on fake.mailboxChanges), with Graph's repeats, losses and resends, and
 * lifecycle notifications. Tests await fake.subscriptions.settled() instead of sleeping.
 */

const CLIENT_ID = '7c2e5d3a-9f6b-4a4c-8dae-3f4a5b6c7d8e';
const NOTIFY_PATH = '/notifications/graph';
const LIFECYCLE_PATH = '/notifications/graph/lifecycle';

let fake: FakeMicrosoft;
let receiver: WebhookReceiver;
let graph: GraphTestClient;
let tenantId: string;
let users: FakeUser[];
let token: string;
let calendarIdsOf: (user: FakeUser) => Promise<string[]>;

beforeAll(async () => {
  fake = await startFakeMicrosoft({ changeNotifications: { deliveryTimeoutMs: 1_000, retryDelaysMs: [10, 20] } });
  receiver = await WebhookReceiver.start();
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: 'secret', redirectUris: [], requiredRoles: ['Calendars.Read'] });
  ({ tenantId, users } = fake.addTenant({ displayName: 'Fabrikam', users: 12 }));
  fake.grantConsent(tenantId, CLIENT_ID);
  graph = new GraphTestClient(fake, { clientId: CLIENT_ID, clientSecret: 'secret' });
  token = await graph.token(tenantId);
  calendarIdsOf = async (user) => (await graph.call(token, 'GET', `/users/${user.id}/calendars`)).json.value.map((calendar: { id: string }) => calendar.id);
});

afterAll(async () => {
  await fake.stop();
  await receiver.stop();
});

beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.subscriptions.clearLog();
  receiver.reset();
});

/** Each test watches its own mailbox, so tests are independent of each other's subscriptions. */
async function subscribe(user: FakeUser, overrides: Record<string, unknown> = {}): Promise<{ id: string; calendarId: string }> {
  const created = await graph.call(token, 'POST', '/subscriptions', {
    changeType: 'created,updated,deleted',
    notificationUrl: `${receiver.url}${NOTIFY_PATH}`,
    lifecycleNotificationUrl: `${receiver.url}${LIFECYCLE_PATH}`,
    resource: `/users/${user.id}/events`,
    expirationDateTime: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    clientState: `state-for-${user.id}`,
    ...overrides,
  });
  if (created.status !== 201) throw new Error(`subscription failed: ${created.text}`);
  receiver.reset();
  return { id: created.json.id, calendarId: fake.subscriptions.get(created.json.id)!.calendarId };
}

function change(user: FakeUser, calendarId: string, changeType: MailboxChange['changeType'], eventId = 'AAMkAGE1M2IyNGNm'): MailboxChange {
  return { tenantId, userId: user.id, calendarId, eventId, changeType, at: 1_700_000_000_000 };
}

describe('change notifications', () => {
  it('POSTs one notification per change, in Graph\'s shape, with the subscription\'s clientState', async () => {
    const user = users[0];
    const { id, calendarId } = await subscribe(user);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated'));
    await fake.subscriptions.settled();

    const [post] = receiver.posts;
    expect(post).toMatchObject({ path: NOTIFY_PATH, contentType: 'application/json; charset=utf-8' });
    expect(post.json!.value).toEqual([
      {
        subscriptionId: id,
        subscriptionExpirationDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/),
        changeType: 'updated',
        resource: `Users/${user.id}/Events/AAMkAGE1M2IyNGNm`,
        resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/${user.id}/Events/AAMkAGE1M2IyNGNm`, '@odata.etag': expect.stringMatching(/^W\/".+"$/), id: 'AAMkAGE1M2IyNGNm' },
        clientState: `state-for-${user.id}`,
        tenantId,
      },
    ]);
    expect(Date.parse(post.json!.value[0].subscriptionExpirationDateTime)).toBe(Date.parse(fake.subscriptions.get(id)!.expirationDateTime));
    expect(fake.subscriptions.deliveries).toEqual([expect.objectContaining({ kind: 'change', outcome: 'acknowledged', attempts: [expect.objectContaining({ status: 202 })] })]);
    expect(fake.counters).toMatchObject({ notificationPosts: 1, notificationDeliveriesAcknowledged: 1 });
  });

  it('watches only the subscribed calendar and change types: /events means the default calendar', async () => {
    const user = users[1];
    const [defaultCalendar, otherCalendar] = await calendarIdsOf(user);
    await subscribe(user, { changeType: 'deleted' });
    const { id: otherId } = await subscribe(user, { resource: `/users/${user.userPrincipalName}/calendars/${otherCalendar}/events`, changeType: 'created' });
    fake.mailboxChanges.emit(change(user, defaultCalendar, 'created'));
    fake.mailboxChanges.emit(change(user, defaultCalendar, 'deleted', 'AAMkDeleted'));
    fake.mailboxChanges.emit(change(user, otherCalendar, 'created', 'AAMkOther'));
    fake.mailboxChanges.emit(change(users[2], defaultCalendar, 'deleted'));
    await fake.subscriptions.settled();
    const received = receiver.notifications().map((each) => `${each.changeType} ${each.resourceData.id}`);
    expect(received.sort()).toEqual(['created AAMkOther', 'deleted AAMkDeleted']);
    expect(receiver.notifications().find((each) => each.resourceData.id === 'AAMkOther')!.subscriptionId).toBe(otherId);
  });

  it('puts changes of one moment for one URL into one POST, several subscriptions together', async () => {
    const [first, second] = [users[2], users[3]];
    const a = await subscribe(first);
    const b = await subscribe(second);
    fake.mailboxChanges.emit(change(first, a.calendarId, 'created'));
    fake.mailboxChanges.emit(change(second, b.calendarId, 'created'));
    await fake.subscriptions.settled();
    expect(receiver.posts).toHaveLength(1);
    expect(receiver.posts[0].json!.value.map((each) => each.subscriptionId)).toEqual([a.id, b.id]);
  });

  it('repeats notifications on demand, and reports a create as created then updated', async () => {
    const user = users[4];
    const { calendarId } = await subscribe(user);
    fake.faults.notificationCopies = 3;
    fake.mailboxChanges.emit(change(user, calendarId, 'deleted'));
    await fake.subscriptions.settled();
    expect(receiver.posts).toHaveLength(3);
    expect(new Set(receiver.posts.map((post) => post.body)).size).toBe(1);

    receiver.reset();
    fake.resetFaults();
    fake.faults.updatedAfterCreate = true;
    fake.mailboxChanges.emit(change(user, calendarId, 'created'));
    await fake.subscriptions.settled();
    expect(receiver.notifications().map((each) => each.changeType).sort()).toEqual(['created', 'updated']);
  });

  it('loses notifications on demand, so only a delta sweep would find those changes', async () => {
    const user = users[5];
    const { id, calendarId } = await subscribe(user);
    fake.faults.dropNotifications = { count: 1 };
    fake.mailboxChanges.emit(change(user, calendarId, 'updated', 'AAMkLost'));
    fake.mailboxChanges.emit(change(user, calendarId, 'updated', 'AAMkKept'));
    await fake.subscriptions.settled();
    expect(receiver.notifications().map((each) => each.resourceData.id)).toEqual(['AAMkKept']);
    expect(fake.subscriptions.dropped).toEqual([expect.objectContaining({ subscriptionId: id, reason: 'dropNotifications fault' })]);
    expect(fake.counters.notificationsDropped).toBe(1);
  });
});

describe('resends', () => {
  it('resends after a 500 until the receiver acknowledges', async () => {
    const user = users[6];
    const { calendarId } = await subscribe(user);
    receiver.replies.push(500);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated'));
    await fake.subscriptions.settled();
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[0].body).toBe(receiver.posts[1].body);
    expect(fake.subscriptions.deliveries[0]).toMatchObject({ outcome: 'acknowledged', attempts: [{ status: 500 }, { status: 202 }] });
  });

  it('counts a receiver slower than the deadline as a failure, and gives up after the last resend', async () => {
    const user = users[7];
    const { calendarId } = await subscribe(user);
    receiver.replies.push('hang', 503, 503);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated'));
    await fake.subscriptions.settled();
    expect(fake.subscriptions.deliveries[0]).toMatchObject({ outcome: 'abandoned', attempts: [{ error: 'timeout' }, { status: 503 }, { status: 503 }] });
    expect(fake.counters).toMatchObject({ notificationPosts: 3, notificationDeliveriesAbandoned: 1, notificationDeliveriesAcknowledged: 0 });
  });
});

describe('lifecycle notifications and expiry', () => {
  it('sends reauthorizationRequired; with a pause, changes are lost until the app reauthorizes', async () => {
    const user = users[8];
    const { id, calendarId } = await subscribe(user);
    expect(fake.subscriptions.sendLifecycle(id, 'reauthorizationRequired', { pauseDelivery: true })).toBe(true);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated', 'AAMkWhilePaused'));
    await fake.subscriptions.settled();
    expect(receiver.notifications(LIFECYCLE_PATH)).toEqual([
      { subscriptionId: id, subscriptionExpirationDateTime: expect.stringMatching(/\+00:00$/), tenantId, clientState: `state-for-${user.id}`, lifecycleEvent: 'reauthorizationRequired' },
    ]);
    expect(receiver.notifications(NOTIFY_PATH)).toEqual([]);
    expect(fake.subscriptions.dropped).toEqual([expect.objectContaining({ reason: 'paused until reauthorized' })]);

    expect((await graph.call(token, 'POST', `/subscriptions/${id}/reauthorize`)).status).toBe(204);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated', 'AAMkAfter'));
    await fake.subscriptions.settled();
    expect(receiver.notifications(NOTIFY_PATH).map((each) => each.resourceData.id)).toEqual(['AAMkAfter']);
  });

  it('sends missed and subscriptionRemoved; the removed subscription is gone', async () => {
    const user = users[9];
    const { id, calendarId } = await subscribe(user);
    fake.subscriptions.sendLifecycle(id, 'missed');
    fake.subscriptions.sendLifecycle(id, 'subscriptionRemoved');
    await fake.subscriptions.settled();
    expect(receiver.notifications(LIFECYCLE_PATH).map((each) => each.lifecycleEvent)).toEqual(['missed', 'subscriptionRemoved']);
    expect((await graph.call(token, 'GET', `/subscriptions/${id}`)).status).toBe(404);
    fake.mailboxChanges.emit(change(user, calendarId, 'updated'));
    await fake.subscriptions.settled();
    expect(receiver.notifications(NOTIFY_PATH)).toEqual([]);
  });

  it('has nowhere to send lifecycle events without a lifecycleNotificationUrl', async () => {
    const { id } = await subscribe(users[10], { lifecycleNotificationUrl: undefined });
    expect(fake.subscriptions.sendLifecycle(id, 'missed')).toBe(false);
    await fake.subscriptions.settled();
    expect(receiver.posts).toEqual([]);
  });

  it('stops delivering once a subscription expires, and forgets it', async () => {
    const user = users[11];
    const { id, calendarId } = await subscribe(user);
    fake.subscriptions.setExpiration(id, new Date(Date.now() + 30 * 60_000));
    expect(Date.parse((await graph.call(token, 'GET', `/subscriptions/${id}`)).json.expirationDateTime) - Date.now()).toBeLessThan(31 * 60_000);
    fake.subscriptions.setExpiration(id, new Date(Date.now() - 1));
    fake.mailboxChanges.emit(change(user, calendarId, 'updated'));
    await fake.subscriptions.settled();
    expect(receiver.posts).toEqual([]);
    expect(fake.subscriptions.list().map((each) => each.id)).not.toContain(id);
    expect((await graph.call(token, 'GET', '/subscriptions')).json.value.map((each: { id: string }) => each.id)).not.toContain(id);
  });
});
