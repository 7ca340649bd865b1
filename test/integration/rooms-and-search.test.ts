import { randomBytes } from 'node:crypto';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { adminConsents, consentedTenant, readyConnector, tenantsOf } from './scenario';

/** Rooms and room lists from the places API, users found by search, and the permissions each needs. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let org: Awaited<ReturnType<typeof consentedTenant>>;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  org = await consentedTenant(gateway, fake, { users: 120, scopes: ['Directory.Read.All', 'Calendars.Read', 'Place.Read.All'] });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.batchItemLog.length = 0;
  fake.requestLog.length = 0;
});

const graphCalls = (path: string) => fake.requestLog.filter((entry) => entry.path === `/v1.0${path}`);
const queryOf = (entry: { query: string }) => new URLSearchParams(entry.query);

describe('rooms', () => {
  const ROOMS = 'query($tenant: ID!, $after: String) { tenant(id: $tenant) { rooms(first: 8, after: $after) { nodes { id displayName emailAddress capacity building floorNumber isWheelChairAccessible } pageInfo { hasNextPage endCursor } } } }';

  it('pages through the rooms with a cursor of its own', async () => {
    const first = await gateway.gql(ROOMS, { tenant: org.tenant.id });
    expect(first.errors).toBeUndefined();
    expect(first.data.tenant.rooms.nodes).toHaveLength(8);
    expect(first.data.tenant.rooms.nodes[0]).toEqual({
      id: expect.any(String),
      displayName: 'Conf Room Adams',
      emailAddress: expect.stringMatching(/^adams@/),
      capacity: expect.any(Number),
      building: 'Building 1',
      floorNumber: 1,
      isWheelChairAccessible: expect.any(Boolean),
    });
    expect(first.data.tenant.rooms.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
    const second = await gateway.gql(ROOMS, { tenant: org.tenant.id, after: first.data.tenant.rooms.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data.tenant.rooms.nodes).toHaveLength(4);
    expect(second.data.tenant.rooms.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    const names = [...first.data.tenant.rooms.nodes, ...second.data.tenant.rooms.nodes].map((room: any) => room.displayName);
    expect(new Set(names).size).toBe(12);

    const calls = graphCalls('/places/microsoft.graph.room');
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => [queryOf(call).get('$top'), queryOf(call).get('$skip'), queryOf(call).get('$count')])).toEqual([
      ['8', null, 'true'],
      ['8', '8', 'true'],
    ]);
    expect(fake.counters.graphRequests).toBe(2);

    // A rooms cursor is no users cursor.
    const misused = await gateway.gql('query($tenant: ID!, $after: String) { tenant(id: $tenant) { users(after: $after) { nodes { id } } } }', { tenant: org.tenant.id, after: first.data.tenant.rooms.pageInfo.endCursor });
    expect(misused.status).toBe(400);
    expect(misused.errors![0]!.message).toMatch(/cursor of another list \(rooms\)/);
    expect(fake.counters.graphRequests).toBe(2);
  });

  it('lists the room lists with their rooms, the rooms of every list in one $batch call', async () => {
    const result = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { roomLists { displayName emailAddress rooms { displayName building } } } }', { tenant: org.tenant.id });
    expect(result.errors).toBeUndefined();
    const lists = result.data.tenant.roomLists;
    expect(lists.map((list: any) => list.displayName)).toEqual(['Building 1', 'Building 2', 'Building 3']);
    for (const list of lists) {
      expect(list.rooms).toHaveLength(4);
      expect(list.rooms.every((room: any) => room.building === list.displayName)).toBe(true);
    }
    expect(fake.counters.batchRequests).toBe(2); // the lists, then the rooms of all three
    expect(fake.batchItemLog.map((item) => item.url.split('?')[0])).toEqual(['/places/microsoft.graph.roomList', ...lists.map((list: any) => `/places/${encodeURIComponent(list.emailAddress)}/microsoft.graph.roomList/rooms`)]);
  });
});

describe('users search', () => {
  const SEARCH = `query($tenant: ID!, $search: String, $after: String, $first: Int) { tenant(id: $tenant) {
    users(search: $search, after: $after, first: $first) { totalCount nodes { mail } pageInfo { hasNextPage endCursor } } } }`;

  it('searches names, mail and user principal names with the consistency header, counting only when asked', async () => {
    // user1, user10…user19 and user100…user120: 32 of the 120 mail addresses start with "user1".
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await gateway.gql(SEARCH, { tenant: org.tenant.id, search: 'user1', first: 20, after });
      expect(page.errors).toBeUndefined();
      expect(page.data.tenant.users.totalCount).toBe(32);
      seen.push(...page.data.tenant.users.nodes.map((user: any) => user.mail));
      after = page.data.tenant.users.pageInfo.endCursor;
    } while (after);
    expect(seen).toHaveLength(32);
    expect(seen.every((mail) => mail.startsWith('user1'))).toBe(true);

    const calls = graphCalls('/users');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers.consistencylevel).toBe('eventual');
      expect(queryOf(call).get('$search')).toBe('"displayName:user1" OR "mail:user1" OR "userPrincipalName:user1"');
      expect(queryOf(call).get('$count')).toBe('true');
    }

    fake.requestLog.length = 0;
    const withoutCount = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(search: "Adele") { nodes { displayName } } } }', { tenant: org.tenant.id });
    expect(withoutCount.errors).toBeUndefined();
    expect(withoutCount.data.tenant.users.nodes.every((user: any) => user.displayName.startsWith('Adele'))).toBe(true);
    const plain = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(first: 5) { nodes { id } } } }', { tenant: org.tenant.id });
    expect(plain.errors).toBeUndefined();
    const counted = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(first: 5) { totalCount } } }', { tenant: org.tenant.id });
    expect(counted.data.tenant.users.totalCount).toBe(120);
    expect(graphCalls('/users').map((call) => [call.headers.consistencylevel ?? null, queryOf(call).has('$search'), queryOf(call).get('$count')])).toEqual([
      ['eventual', true, null],
      [null, false, null],
      ['eventual', false, 'true'],
    ]);
  });

  it("refuses a cursor of another search, or of no search, before calling Microsoft", async () => {
    const page = await gateway.gql(SEARCH, { tenant: org.tenant.id, search: 'user1', first: 5 });
    const cursor = page.data.tenant.users.pageInfo.endCursor;
    fake.resetCounters();
    for (const search of ['user2', null]) {
      const misused = await gateway.gql(SEARCH, { tenant: org.tenant.id, search, after: cursor, first: 5 });
      expect(misused.status).toBe(400);
      expect(misused.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' }, message: expect.stringContaining('cursor of another search') });
    }
    expect(fake.counters.graphRequests).toBe(0);
  });
});

describe('permissions', () => {
  it('names Place.Read.All when the organisation has not granted it, before any call, and lists it as missing', async () => {
    const selected = ['Directory.Read.All', 'Calendars.Read', 'Place.Read.All'];
    const { connector } = await readyConnector(gateway, fake, { scopes: selected, requiredRoles: ['Directory.Read.All', 'Calendars.Read'] });
    const organisation = fake.addTenant({ displayName: `No places ${randomBytes(3).toString('hex')}`, users: 3 });
    await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(tenant.missingScopes).toEqual(['Place.Read.All']);
    fake.resetCounters();

    const result = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { rooms { nodes { id } } roomLists { id } } }', { tenant: tenant.id });
    expect(result.data.tenant).toEqual({ rooms: null, roomLists: null });
    for (const error of result.errors!) {
      expect(error.extensions).toMatchObject({ code: 'GRAPH_FORBIDDEN', missingScope: 'Place.Read.All' });
      expect(error.message).toMatch(/Place\.Read\.All.*consent again/);
    }
    expect(fake.counters.graphRequests).toBe(0);
  });

  it('names a calendar permission for schedules and meeting times when none is granted', async () => {
    const noCalendars = await consentedTenant(gateway, fake, { users: 3, scopes: ['Directory.Read.All'] });
    fake.resetCounters();
    const result = await gateway.gql(
      `query($tenant: ID!) { tenant(id: $tenant) {
        schedules(emails: ["adele@contoso.example"], start: "2026-01-05T00:00:00Z", end: "2026-01-06T00:00:00Z") { email }
        meetingTimes(emails: ["adele@contoso.example"], start: "2026-01-05T00:00:00Z", end: "2026-01-06T00:00:00Z", durationMinutes: 30) { start }
        users(first: 2) { nodes { schedule(start: "2026-01-05T00:00:00Z", end: "2026-01-06T00:00:00Z") { email } } } } }`,
      { tenant: noCalendars.tenant.id },
    );
    expect(result.data.tenant.schedules).toBeNull();
    expect(result.data.tenant.meetingTimes).toBeNull();
    expect(result.data.tenant.users.nodes).toEqual([{ schedule: null }, { schedule: null }]);
    expect(result.errors!.map((error) => error.extensions.code)).toEqual(['GRAPH_FORBIDDEN', 'GRAPH_FORBIDDEN', 'GRAPH_FORBIDDEN', 'GRAPH_FORBIDDEN']);
    expect(result.errors![0]!.message).toContain('free/busy schedules (one of Calendars.ReadBasic.All, Calendars.Read, Calendars.ReadWrite)');
    expect(fake.counters.byRoute['GET /users']).toBe(1);
    expect(fake.counters.batchRequests).toBe(0);
  });
});
