import type { FakeUser } from '../fake-microsoft';
import { allPages, startHarness, type Harness } from './fake-mailbox-harness';

/** calendarView delta: a first round that pages through the window, then rounds of changes only, built on the store's change log. */

let harness: Harness;
const WINDOW = 'startDateTime=2025-01-06T00:00:00Z&endDateTime=2025-01-13T00:00:00Z';
const small = { Prefer: 'odata.maxpagesize=5' };

beforeAll(async () => {
  harness = await startHarness({ users: 12 });
});

afterAll(() => harness.fake.stop());

/** Follows nextLinks to the end of a round: every item, the deltaLink, and each page's links. */
async function round(start: string, headers: Record<string, string> = small): Promise<{ items: any[]; deltaLink: string; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let next: string | undefined = start;
  while (next) {
    const page = await harness.graph('GET', next, { headers });
    if (page.status !== 200) throw new Error(`${next}: ${page.status} ${page.text}`);
    pages.push(page);
    items.push(...page.json.value);
    if (page.json['@odata.deltaLink']) return { items, deltaLink: page.json['@odata.deltaLink'], pages };
    next = page.json['@odata.nextLink'];
  }
  throw new Error('a round ended without a deltaLink');
}

const event = (subject: string, day: string) => ({ subject, start: { dateTime: `${day}T12:00:00`, timeZone: 'UTC' }, end: { dateTime: `${day}T12:30:00`, timeZone: 'UTC' } });

describe('calendarView delta', () => {
  it('pages a first round with $skiptoken nextLinks, Prefer: odata.maxpagesize, and ends with a $deltatoken deltaLink', async () => {
    const user = harness.users[0];
    const first = await round(`/v1.0/users/${user.id}/calendarView/delta?${WINDOW}`);
    const view = await allPages(harness, `/v1.0/users/${user.id}/calendarView?${WINDOW}&$top=100`);
    expect(first.items.map((item) => item.id)).toEqual(view.map((item) => item.id));
    expect(first.pages.map((page) => page.json.value.length)).toEqual([5, 5, 4]);
    expect(first.pages[0].json['@odata.nextLink']).toMatch(new RegExp(`^${harness.fake.url}/v1\\.0/users/${user.id}/calendarView/delta\\?\\$skiptoken=[^&]+$`));
    expect(first.deltaLink).toMatch(new RegExp(`^${harness.fake.url}/v1\\.0/users/${user.id}/calendarView/delta\\?\\$deltatoken=[^&]+$`));
    expect(first.pages[0].json['@odata.context']).toBe(`${harness.fake.url}/v1.0/$metadata#Collection(event)`);
    expect(first.pages[0].headers['preference-applied']).toBe('odata.maxpagesize=5');
    expect(first.items[0]).toMatchObject({ '@odata.type': '#microsoft.graph.event', subject: 'Daily standup', start: { timeZone: 'UTC' } });
    const quiet = await round(first.deltaLink);
    expect(quiet.items).toEqual([]);
  });

  it('returns only what changed since the deltaLink: new and updated events in full, deleted and moved-out ones as @removed', async () => {
    const user = harness.users[1];
    const { deltaLink, items } = await round(`/v1.0/users/${user.id}/calendarView/delta?${WINDOW}`);
    const created = (await harness.graph('POST', `/v1.0/users/${user.id}/events`, { json: event('New in window', '2025-01-08') })).json;
    await harness.graph('PATCH', `/v1.0/users/${user.id}/events/${items[0].id}`, { json: { subject: 'Renamed' } });
    await harness.graph('DELETE', `/v1.0/users/${user.id}/events/${items[1].id}`);
    await harness.graph('PATCH', `/v1.0/users/${user.id}/events/${items[2].id}`, { json: { start: { dateTime: '2025-02-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2025-02-01T10:00:00', timeZone: 'UTC' } } });
    await harness.graph('PATCH', `/v1.0/users/${user.id}/events/${items[0].id}`, { json: { subject: 'Renamed twice' } });
    const changes = await round(deltaLink, { Prefer: 'odata.maxpagesize=2, outlook.timezone="Europe/Paris"' });
    expect(changes.pages).toHaveLength(2);
    expect(changes.items.map((item) => [item.id, item.subject ?? item['@removed']])).toEqual([
      [created.id, 'New in window'],
      [items[1].id, { reason: 'deleted' }],
      [items[2].id, { reason: 'deleted' }],
      [items[0].id, 'Renamed twice'],
    ]);
    expect(changes.items[0].start).toEqual({ dateTime: '2025-01-08T13:00:00.0000000', timeZone: 'Europe/Paris' });
    expect(changes.items[1]).toEqual({ '@odata.type': '#microsoft.graph.event', id: items[1].id, '@removed': { reason: 'deleted' } });
    expect((await round(changes.deltaLink)).items).toEqual([]);
  });

  it('skips nothing when events are deleted between the pages of a first round, and reports the deletion in the next round', async () => {
    const user = harness.users[2];
    const all = await allPages(harness, `/v1.0/users/${user.id}/calendarView?${WINDOW}&$top=100`);
    const firstPage = await harness.graph('GET', `/v1.0/users/${user.id}/calendarView/delta?${WINDOW}`, { headers: small });
    harness.fake.mailbox.deleteEvent(harness.tenantId, user.id, firstPage.json.value[1].id);
    const rest = await round(firstPage.json['@odata.nextLink']);
    expect([...firstPage.json.value, ...rest.items].map((item) => item.id)).toEqual(all.map((item) => item.id));
    expect((await round(rest.deltaLink)).items).toEqual([{ '@odata.type': '#microsoft.graph.event', id: firstPage.json.value[1].id, '@removed': { reason: 'deleted' } }]);
  });

  it('tracks one calendar through /calendars/{id}/calendarView/delta', async () => {
    const user = harness.users[3];
    const calendars = (await harness.graph('GET', `/v1.0/users/${user.id}/calendars`)).json.value;
    const path = `/v1.0/users/${user.id}/calendars/${calendars[1].id}/calendarView/delta?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z`;
    const { deltaLink, items } = await round(path);
    expect(items.every((item) => item.subject === 'Company holiday')).toBe(true);
    harness.fake.mailbox.createEvent(harness.tenantId, user.id, event('Default calendar only', '2025-01-09'));
    harness.fake.mailbox.createEvent(harness.tenantId, user.id, event('Holiday party', '2025-01-10'), { calendarId: calendars[1].id });
    expect((await round(deltaLink)).items.map((item) => item.subject)).toEqual(['Holiday party']);
    expect((await round(`/v1.0/users/${user.id}/calendar/calendarView/delta?${WINDOW}`)).items.length).toBeGreaterThan(0);
  });

  it('answers 410 syncStateNotFound once sync state is invalidated, for a mailbox or a tenant, and for a forged token', async () => {
    const [, , , , alice, bob] = harness.users;
    const aliceRound = await round(`/v1.0/users/${alice.id}/calendarView/delta?${WINDOW}`);
    const bobRound = await round(`/v1.0/users/${bob.id}/calendarView/delta?${WINDOW}`);
    harness.fake.mailbox.invalidateDeltaTokens(harness.tenantId, alice.id);
    const gone = await harness.graph('GET', aliceRound.deltaLink);
    expect(gone).toMatchObject({ status: 410, json: { error: { code: 'syncStateNotFound' } } });
    expect(gone.headers.location).toBe(`${harness.fake.url}/v1.0/users/${alice.id}/calendarView/delta?startDateTime=2025-01-06T00:00:00.000Z&endDateTime=2025-01-13T00:00:00.000Z&$deltatoken=`);
    expect((await harness.graph('GET', bobRound.deltaLink)).status).toBe(200);
    harness.fake.mailbox.invalidateDeltaTokens(harness.tenantId);
    expect((await harness.graph('GET', bobRound.deltaLink)).status).toBe(410);
    expect((await harness.graph('GET', `/v1.0/users/${bob.id}/calendarView/delta?$deltatoken=forged.token`)).status).toBe(410);
    expect((await harness.graph('GET', bobRound.deltaLink.replace(bob.id, alice.id))).status).toBe(410);
    expect((await round(gone.headers.location as string)).items.length).toBeGreaterThan(0);
  });

  it('refuses the query options delta cannot track, and a first call without a window', async () => {
    const user: FakeUser = harness.users[6];
    const refused = await harness.graph('GET', `/v1.0/users/${user.id}/calendarView/delta?${WINDOW}&$select=subject`);
    expect(refused).toMatchObject({ status: 400, json: { error: { code: 'ErrorInvalidUrlQuery' } } });
    expect((await harness.graph('GET', `/v1.0/users/${user.id}/calendarView/delta?${WINDOW}&$filter=isAllDay eq true`)).status).toBe(400);
    expect((await harness.graph('GET', `/v1.0/users/${user.id}/calendarView/delta`)).json.error.code).toBe('ErrorInvalidParameter');
  });
});
