import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser } from '../fake-microsoft';
import { GraphTestClient } from '../fake-microsoft/graph-test-client';
import { WebhookReceiver } from '../fake-microsoft/webhook-receiver';

/**
 * Graph subscriptions in the fake, driven over HTTPS like the gateway will drive them: the
 * validation handshake against a local receiver, Graph's limits on lifetime and properties,
 * renewal, deletion, reauthorization, and the errors each of those answers with.
 */

const CLIENT_ID = '5a0c3b1e-7d4f-4e2a-9b8c-1d2e3f4a5b6c';
const OTHER_CLIENT_ID = '6b1d4c2f-8e5a-4f3b-8c9d-2e3f4a5b6c7d';
const MINUTE = 60_000;

let fake: FakeMicrosoft;
let receiver: WebhookReceiver;
let graph: GraphTestClient;
let tenantId: string;
let users: FakeUser[];
let token: string;

beforeAll(async () => {
  // Short deadlines so the time-out cases take a second, not Graph's ten.
  fake = await startFakeMicrosoft({ changeNotifications: { validationTimeoutMs: 1_000, deliveryTimeoutMs: 1_000, retryDelaysMs: [10] } });
  receiver = await WebhookReceiver.start();
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: 'secret-1', redirectUris: [], requiredRoles: ['Calendars.Read'] });
  fake.registerApp({ clientId: OTHER_CLIENT_ID, clientSecret: 'secret-2', redirectUris: [], requiredRoles: ['Calendars.ReadWrite'] });
  ({ tenantId, users } = fake.addTenant({ displayName: 'Contoso', users: 6 }));
  fake.grantConsent(tenantId, CLIENT_ID);
  graph = new GraphTestClient(fake, { clientId: CLIENT_ID, clientSecret: 'secret-1' });
  token = await graph.token(tenantId);
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

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * MINUTE).toISOString();
const subscriptionFor = (user: FakeUser, overrides: Record<string, unknown> = {}) => ({
  changeType: 'created,updated,deleted',
  notificationUrl: `${receiver.url}/notifications/graph`,
  resource: `/users/${user.id}/events`,
  expirationDateTime: inMinutes(3 * 24 * 60),
  clientState: 'per-subscription-secret',
  ...overrides,
});
const create = (body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) => graph.call(options.token ?? token, 'POST', '/subscriptions', body, options.headers);

describe('creating a subscription', () => {
  it('validates the notificationUrl first, then answers 201 with the subscription', async () => {
    const created = await create(subscriptionFor(users[0]), { headers: { Prefer: 'IdType="ImmutableId"' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      '@odata.context': `${fake.url}/v1.0/$metadata#subscriptions/$entity`,
      resource: `/users/${users[0].id}/events`,
      applicationId: CLIENT_ID,
      changeType: 'created,updated,deleted',
      clientState: 'per-subscription-secret',
      notificationUrl: `${receiver.url}/notifications/graph`,
      lifecycleNotificationUrl: null,
      latestSupportedTlsVersion: 'v1_2',
      includeResourceData: false,
    });
    expect(created.json.expirationDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);

    const [handshake] = receiver.handshakes();
    expect(handshake.path).toBe('/notifications/graph');
    expect(handshake.contentType).toBe('text/plain; charset=utf-8');
    // Encoded as .NET encodes a query: a receiver must decode '+' as a space.
    expect(handshake.rawQuery).toBe(`validationToken=Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+${created.headers['request-id']}`);
    expect(fake.subscriptions.get(created.json.id)).toMatchObject({ userId: users[0].id, immutableIds: true, clientState: 'per-subscription-secret' });
    expect(fake.counters).toMatchObject({ subscriptionValidations: 1, subscriptionsCreated: 1 });
  });

  it('validates the lifecycleNotificationUrl too, keeping a query string the app put in the URL', async () => {
    const lifecycleNotificationUrl = `${receiver.url}/notifications/graph/lifecycle?tenant=contoso`;
    expect((await create(subscriptionFor(users[0], { lifecycleNotificationUrl }))).status).toBe(201);
    const [forNotifications, forLifecycle] = receiver.handshakes();
    expect(forNotifications.path).toBe('/notifications/graph');
    expect(forLifecycle.path).toBe('/notifications/graph/lifecycle');
    expect(forLifecycle.rawQuery).toMatch(/^tenant=contoso&validationToken=Validation%3a\+Testing\+client/);
  });

  it.each([
    ['answers 500', 500, 'ValidationError', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.'],
    ['echoes the token still encoded', 'echo-raw', 'ValidationError', 'Subscription validation request failed. Response must exactly match validationToken query parameter.'],
    ['echoes it as JSON', 'echo-json', 'ValidationError', 'Subscription validation request failed. Response must exactly match validationToken query parameter.'],
    ['never answers', 'hang', 'InvalidRequest', 'Subscription validation request timed out.'],
  ] as const)('refuses with 400 when the receiver %s, and keeps nothing', async (_case, reply, code, message) => {
    receiver.handshake = reply;
    const refused = await create(subscriptionFor(users[1]));
    expect(refused).toMatchObject({ status: 400, json: { error: { code, message } } });
    expect(fake.subscriptions.list().filter((each) => each.userId === users[1].id)).toEqual([]);
    expect(fake.subscriptions.validations).toEqual([expect.objectContaining({ accepted: false })]);
  });

  it('refuses bad properties before calling the receiver', async () => {
    const refusal = async (overrides: Record<string, unknown>) => (await create(subscriptionFor(users[0], overrides))).json.error;
    expect(await refusal({ notificationUrl: 'http://gateway.example.com/hook' })).toMatchObject({ code: 'InvalidRequest', message: "NotificationUrl scheme='http' is not supported." });
    expect(await refusal({ notificationUrl: 'not a url' })).toMatchObject({ code: 'InvalidRequest', message: "Invalid notification url='not a url'." });
    expect(await refusal({ expirationDateTime: undefined })).toMatchObject({ message: 'expirationDateTime is a required property for subscription creation.' });
    expect(await refusal({ expirationDateTime: '2030-1-5' })).toMatchObject({ message: 'Could not process subscription creation payload. Are all property names spelled and camelCased properly?' });
    expect(await refusal({ clientState: 'x'.repeat(129) })).toMatchObject({ code: 'InvalidRequest' });
    expect(await refusal({ changeType: 'created,moved' })).toMatchObject({ code: 'InvalidRequest' });
    expect(receiver.handshakes()).toEqual([]);
    expect((await create(subscriptionFor(users[0], { clientState: 'x'.repeat(128) }))).status).toBe(201);
  });

  it('accepts event resources by id, UPN, calendar, in any case, and refuses the rest after the handshake', async () => {
    const [user] = users;
    const calendars = (await graph.call(token, 'GET', `/users/${user.id}/calendars`)).json.value;
    for (const resource of [`users/${user.userPrincipalName}/events`, `Users('${user.id}')/Events`, `/users/${user.id}/calendar/events`, `/users/${user.id}/calendars/${calendars[1].id}/events`]) {
      expect({ resource, status: (await create(subscriptionFor(user, { resource }))).status }).toEqual({ resource, status: 201 });
    }
    const single = await create(subscriptionFor(user, { resource: `/users/${user.id}/events/AAMkAGI2` }));
    expect(single).toMatchObject({ status: 400, json: { error: { code: 'ExtensionError', message: `Operation: Create; Exception: [Status Code: BadRequest; Reason: The value '/users/${user.id}/events/AAMkAGI2' of parameter 'Resource' is not supported.]` } } });
    expect((await create(subscriptionFor(user, { resource: '/me/events' }))).json.error.message).toContain('/me request is only valid with delegated authentication flow.');
    const unknown = await create(subscriptionFor(user, { resource: '/users/nobody@contoso.onmicrosoft.com/events' }));
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'ExtensionError', message: "Operation: Create; Exception: [Status Code: NotFound; Reason: The requested user 'nobody@contoso.onmicrosoft.com' is invalid.]" } } });
    expect(receiver.handshakes()).toHaveLength(7);
  });

  it('needs Calendars.Read or Calendars.ReadWrite: ReadBasic gets 403 ExtensionError', async () => {
    fake.grantConsent(tenantId, CLIENT_ID, ['Calendars.ReadBasic.All']);
    const basicToken = await graph.token(tenantId);
    fake.grantConsent(tenantId, CLIENT_ID);
    const denied = await create(subscriptionFor(users[0]), { token: basicToken });
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'ExtensionError', message: 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Forbidden]' } } });
    fake.grantConsent(tenantId, OTHER_CLIENT_ID);
    const other = new GraphTestClient(fake, { clientId: OTHER_CLIENT_ID, clientSecret: 'secret-2' });
    expect((await create(subscriptionFor(users[0]), { token: await other.token(tenantId) })).status).toBe(201);
  });
});

describe('subscription lifetime', () => {
  const grantedMinutes = (answer: { json: any }) => (Date.parse(answer.json.expirationDateTime) - Date.now()) / MINUTE;

  it('refuses more than 10,080 minutes and raises less than 45 minutes, the past included, to 45', async () => {
    const tooLong = await create(subscriptionFor(users[2], { expirationDateTime: inMinutes(10_080 + 60) }));
    expect(tooLong).toMatchObject({ status: 400, json: { error: { code: 'ExtensionError', message: 'Subscription expiration can only be 10080 minutes in the future.' } } });
    const nearMax = await create(subscriptionFor(users[2], { expirationDateTime: inMinutes(10_080 - 60) }));
    expect(grantedMinutes(nearMax)).toBeGreaterThan(10_000);
    for (const minutes of [10, -60]) expect(grantedMinutes(await create(subscriptionFor(users[2], { expirationDateTime: inMinutes(minutes) })))).toBeCloseTo(45, 0);
  });

  it('can grant less than asked (grantedLifetimeMinutes), on create and on renewal', async () => {
    fake.faults.grantedLifetimeMinutes = 120;
    const created = await create(subscriptionFor(users[2]));
    expect(grantedMinutes(created)).toBeCloseTo(120, 0);
    const renewed = await graph.call(token, 'PATCH', `/subscriptions/${created.json.id}`, { expirationDateTime: inMinutes(5_000) });
    expect(grantedMinutes(renewed)).toBeCloseTo(120, 0);
  });

  it('stops at the per-mailbox limit with a 403 naming it', async () => {
    fake.faults.subscriptionsPerMailboxLimit = fake.subscriptions.list().filter((each) => each.userId === users[3].id).length + 1;
    expect((await create(subscriptionFor(users[3]))).status).toBe(201);
    const over = await create(subscriptionFor(users[3]));
    expect(over).toMatchObject({ status: 403, json: { error: { code: 'ExtensionError' } } });
    expect(over.json.error.message).toContain(`limit of ${fake.faults.subscriptionsPerMailboxLimit}`);
  });
});

describe('managing subscriptions', () => {
  it('lists and gets only this app\'s subscriptions, without clientState', async () => {
    const mine = (await create(subscriptionFor(users[4]))).json;
    fake.grantConsent(tenantId, OTHER_CLIENT_ID);
    const other = new GraphTestClient(fake, { clientId: OTHER_CLIENT_ID, clientSecret: 'secret-2' });
    const otherToken = await other.token(tenantId);
    const theirs = (await create(subscriptionFor(users[4]), { token: otherToken })).json;

    const listed = await graph.call(token, 'GET', '/subscriptions');
    expect(listed.json['@odata.context']).toBe(`${fake.url}/v1.0/$metadata#subscriptions`);
    const ids = listed.json.value.map((each: { id: string }) => each.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(listed.json.value.every((each: { clientState: unknown }) => each.clientState === null)).toBe(true);
    expect((await graph.call(token, 'GET', `/subscriptions/${mine.id}`)).json).toMatchObject({ id: mine.id, clientState: null, expirationDateTime: mine.expirationDateTime });
    const foreign = await graph.call(token, 'GET', `/subscriptions/${theirs.id}`);
    expect(foreign).toMatchObject({ status: 404, json: { error: { code: 'ResourceNotFound', message: 'The object was not found.' } } });
  });

  it('renews with PATCH without a new handshake, and validates a new notificationUrl', async () => {
    const { id } = (await create(subscriptionFor(users[4]))).json;
    receiver.reset();
    const wanted = inMinutes(6 * 24 * 60);
    const renewed = await graph.call(token, 'PATCH', `/subscriptions/${id}`, { expirationDateTime: wanted });
    expect(renewed).toMatchObject({ status: 200, json: { id, clientState: 'per-subscription-secret' } });
    expect(Date.parse(renewed.json.expirationDateTime)).toBe(Date.parse(wanted));
    expect(receiver.handshakes()).toEqual([]);
    expect(fake.counters.subscriptionsRenewed).toBe(1);

    expect((await graph.call(token, 'PATCH', `/subscriptions/${id}`, { expirationDateTime: inMinutes(20_000) })).json.error.code).toBe('ExtensionError');
    expect((await graph.call(token, 'PATCH', `/subscriptions/${id}`, {})).json.error.message).toBe("Subscription must contain either the 'expirationDateTime' or 'notificationUrl' property and its value.");
    expect((await graph.call(token, 'PATCH', `/subscriptions/${id}`, { clientState: 'new' })).status).toBe(400);
    const moved = await graph.call(token, 'PATCH', `/subscriptions/${id}`, { notificationUrl: `${receiver.url}/moved` });
    expect(moved.json.notificationUrl).toBe(`${receiver.url}/moved`);
    expect(receiver.handshakes().map((post) => post.path)).toEqual(['/moved']);
  });

  it('deletes with 204, reauthorizes with 204, and answers 404 for an unknown, deleted or expired id', async () => {
    const first = (await create(subscriptionFor(users[5]))).json;
    const second = (await create(subscriptionFor(users[5]))).json;
    const reauthorized = await graph.call(token, 'POST', `/subscriptions/${first.id}/reauthorize`);
    expect(reauthorized).toMatchObject({ status: 204, text: '' });
    const deleted = await graph.call(token, 'DELETE', `/subscriptions/${first.id}`);
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect((await graph.call(token, 'GET', `/subscriptions/${first.id}`)).status).toBe(404);
    expect((await graph.call(token, 'DELETE', '/subscriptions/7f105c7d-2dc5-4530-97cd-4e7ae6534c07')).json.error.code).toBe('ResourceNotFound');

    fake.subscriptions.expire(second.id);
    expect(fake.subscriptions.get(second.id)).toBeUndefined();
    expect((await graph.call(token, 'PATCH', `/subscriptions/${second.id}`, { expirationDateTime: inMinutes(60) })).status).toBe(404);
    expect(fake.counters).toMatchObject({ subscriptionsCreated: 2, subscriptionsDeleted: 1, subscriptionsReauthorized: 1 });
  });

  it('works inside $batch as well', async () => {
    const batch = await graph.call(token, 'POST', '/$batch', { requests: [{ id: '1', method: 'POST', url: '/subscriptions', headers: { 'Content-Type': 'application/json' }, body: subscriptionFor(users[5]) }] });
    expect(batch.json.responses[0]).toMatchObject({ id: '1', status: 201, body: { resource: `/users/${users[5].id}/events` } });
  });
});
