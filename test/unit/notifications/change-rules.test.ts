import { notificationKey, parseChangeNotifications, parseLifecycleNotifications, validationTokenOf } from '../../../src/microsoft/graph-change-notifications';
import { expiryShortened, renewalTime, requestedExpiry } from '../../../src/microsoft/graph-subscriptions';
import { changeToTell, clientStateHash, clientStateMatches, type Observation } from '../../../src/notifications/calendar-change-rules';

const at = (iso: string) => new Date(iso);
const present = (version: string, extra: Partial<Extract<Observation, { present: true }>> = {}): Observation => ({ present: true, version, said: null, createdAt: null, since: null, ...extra });
const gone: Observation = { present: false };

describe('what to tell about one event', () => {
  it.each([
    ['a notification of a new event', undefined, present('v1', { said: 'created' }), 'created'],
    ['"updated" right after "created", same version', 'v1', present('v1', { said: 'updated' }), null],
    ['a resend of the same notification', 'v1', present('v1', { said: 'created' }), null],
    ['a real edit', 'v1', present('v2', { said: 'updated' }), 'updated'],
    ['"created" for an event told before in another version', 'v1', present('v2', { said: 'created' }), 'updated'],
    ['a deletion', 'v2', gone, 'deleted'],
    ['the deletion again', null, gone, null],
    ['a deletion of an event never told', undefined, gone, 'deleted'],
    ['an event back after being told deleted', null, present('v3'), 'created'],
    ['a sweep finding what a notification told', 'v2', present('v2'), null],
    ['a sweep finding a new event', undefined, present('v1', { createdAt: at('2026-03-01T12:00:05Z'), since: at('2026-03-01T12:00:00Z') }), 'created'],
    ['a sweep finding an old event edited', undefined, present('v9', { createdAt: at('2026-01-01T08:00:00Z'), since: at('2026-03-01T12:00:00Z') }), 'updated'],
    ['created in the second the last round began (kept to the second)', undefined, present('v1', { createdAt: at('2026-03-01T12:00:00Z'), since: at('2026-03-01T12:00:00.700Z') }), 'created'],
    ['"updated" first for an event created since the last round', undefined, present('v1', { said: 'updated', createdAt: at('2026-03-01T12:00:05Z'), since: at('2026-03-01T12:00:00Z') }), 'created'],
    ['"updated" for an old event never told', undefined, present('v9', { said: 'updated', createdAt: at('2026-01-01T08:00:00Z'), since: at('2026-03-01T12:00:00Z') }), 'updated'],
    ['"created" for an event older than the last round (it came late)', undefined, present('v1', { said: 'created', createdAt: at('2026-03-01T11:59:00Z'), since: at('2026-03-01T12:00:00Z') }), 'created'],
    ['"updated" before any round', undefined, present('v1', { said: 'updated', createdAt: at('2026-03-01T12:00:05Z') }), 'updated'],
    ['a sweep without a previous round', undefined, present('v1', { createdAt: at('2026-03-01T12:00:05Z') }), 'updated'],
    // Rounds failing for ten days: versions told more than a week ago are forgotten.
    ['"updated" for an event created 6 days ago, never told', undefined, present('v1', { said: 'updated', createdAt: at('2026-02-23T12:00:00Z'), since: at('2026-02-19T12:00:00Z') }), 'created'],
    ['"updated" for an event created 8 days ago (told then, perhaps, and forgotten)', undefined, present('v1', { said: 'updated', createdAt: at('2026-02-21T12:00:00Z'), since: at('2026-02-19T12:00:00Z') }), 'updated'],
  ] as const)('%s', (_, told, observation, expected) => {
    expect(changeToTell(told, observation, at('2026-03-01T12:30:00Z'))).toBe(expected);
  });
});

describe('notifications as Graph sends them', () => {
  const change = {
    subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
    subscriptionExpirationDateTime: '2026-03-08T10:00:00.0000000+00:00',
    changeType: 'updated',
    resource: 'Users/u1/Events/AAMk1',
    resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': 'Users/u1/Events/AAMk1', '@odata.etag': 'W/"DwAAABYAAAB"', id: 'AAMk1' },
    clientState: 'secret',
    tenantId: 't1',
  };

  it('reads change notifications, several per POST', () => {
    expect(parseChangeNotifications({ value: [change, { ...change, changeType: 'deleted' }] })).toEqual([
      { subscriptionId: change.subscriptionId, clientState: 'secret', changeType: 'updated', eventId: 'AAMk1', etag: 'W/"DwAAABYAAAB"', subscriptionExpiresAt: at('2026-03-08T10:00:00Z') },
      expect.objectContaining({ changeType: 'deleted' }),
    ]);
  });

  it.each([['not an object', 'text'], ['no value', {}], ['an empty value', { value: [] }], ['no resourceData', { value: [{ ...change, resourceData: undefined }] }], ['an unknown change type', { value: [{ ...change, changeType: 'moved' }] }]])(
    'refuses a body with %s',
    (_, body) => {
      expect(parseChangeNotifications(body)).toBeNull();
    },
  );

  it('reads lifecycle notifications, an unknown event included', () => {
    const lifecycle = { subscriptionId: 's1', subscriptionExpirationDateTime: '2026-03-08T10:00:00Z', tenantId: 't1', clientState: 'c', lifecycleEvent: 'missed' };
    expect(parseLifecycleNotifications({ value: [lifecycle, { ...lifecycle, lifecycleEvent: 'somethingNew' }] })?.map((each) => each.lifecycleEvent)).toEqual(['missed', 'somethingNew']);
    expect(parseLifecycleNotifications({ value: [{ subscriptionId: 's1' }] })).toBeNull();
  });

  it('treats a resend as the same notification, and another version or change type as another', () => {
    const key = notificationKey({ subscriptionId: 'S1', eventId: 'e', changeType: 'updated', etag: 'W/"1"' });
    expect(notificationKey({ subscriptionId: 's1', eventId: 'e', changeType: 'updated', etag: 'W/"1"' })).toBe(key);
    expect(notificationKey({ subscriptionId: 's1', eventId: 'e', changeType: 'updated', etag: 'W/"2"' })).not.toBe(key);
    expect(notificationKey({ subscriptionId: 's1', eventId: 'e', changeType: 'created', etag: 'W/"1"' })).not.toBe(key);
  });

  it.each([
    ['validationToken=Validation%3a+Testing+client', 'Validation: Testing client'],
    ['a=1&validationToken=x%2By', 'x+y'],
    ['validationToken=', ''],
    ['other=1', undefined],
    ['', undefined],
  ])('the handshake token of ?%s is %j', (query, token) => {
    expect(validationTokenOf(query)).toBe(token);
  });
});

describe('keeping subscriptions alive', () => {
  const now = at('2026-03-01T12:00:00Z');

  it('asks for less than Graph\'s 10,080 minutes', () => {
    expect((requestedExpiry(now).getTime() - now.getTime()) / 60_000).toBe(10_000);
  });

  it.each([
    ['a full lifetime: a day ahead', '2026-03-08T10:40:00Z', '2026-03-07T10:40:00Z'],
    ['an hour granted: half way', '2026-03-01T13:00:00Z', '2026-03-01T12:30:00Z'],
    ['already past: now', '2026-03-01T11:00:00Z', '2026-03-01T11:00:00Z'],
  ])('renews with %s', (_, expiresAt, renewAt) => {
    expect(renewalTime(at(expiresAt), now).toISOString()).toBe(at(renewAt).toISOString());
  });

  it('notices when Graph reports an earlier expiry than it granted', () => {
    expect(expiryShortened(at('2026-03-08T10:00:00Z'), at('2026-03-01T12:30:00Z'))).toBe(true);
    expect(expiryShortened(at('2026-03-08T10:00:00Z'), at('2026-03-08T09:59:30Z'))).toBe(false);
    expect(expiryShortened(null, at('2026-03-01T12:30:00Z'))).toBe(false);
  });

  it('keeps only a hash of the clientState and compares in constant time', () => {
    const hash = clientStateHash('r4nd0m');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(clientStateMatches(hash, 'r4nd0m')).toBe(true);
    expect(clientStateMatches(hash, 'r4nd0M')).toBe(false);
    expect(clientStateMatches(hash, null)).toBe(false);
    expect(clientStateMatches(null, 'r4nd0m')).toBe(false);
  });
});
