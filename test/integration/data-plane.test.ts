import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let settings: Record<string, string>;
let setup: Awaited<ReturnType<typeof consentedTenant>>;

const USERS_WITH_CALENDARS = `query($tenant: ID!, $first: Int, $after: String) {
  tenant(id: $tenant) { users(first: $first, after: $after) {
    nodes { id displayName mail calendars { id name isDefaultCalendar owner { address } } }
    pageInfo { hasNextPage endCursor } } } }`;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  settings = await gatewaySettings(fake);
  gateway = await startGateway(settings);
  setup = await consentedTenant(gateway, fake, { users: 250, scopes: ['Directory.Read.All', 'Calendars.Read'] });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
});

const route = (name: string) => fake.counters.byRoute[name] ?? 0;

describe('users, calendars and events through cached tokens and $batch', () => {
  it('pages through the users with an opaque cursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: any = await gateway.gql('query($tenant: ID!, $after: String) { tenant(id: $tenant) { users(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }', { tenant: setup.tenant.id, after });
      expect(result.errors).toBeUndefined();
      const connection = result.data.tenant.users;
      seen.push(...connection.nodes.map((user: { id: string }) => user.id));
      after = connection.pageInfo.endCursor;
      expect(connection.pageInfo.hasNextPage).toBe(after !== null);
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual(setup.organisation.users.map((user) => user.id));
    expect(route('GET /users')).toBe(3);
  });

  it('loads calendars for 100 users with exactly 5 $batch calls and no per-user calls', async () => {
    const result = await gateway.gql(USERS_WITH_CALENDARS, { tenant: setup.tenant.id, first: 100 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data.tenant.users.nodes;
    expect(nodes).toHaveLength(100);
    for (const user of nodes) {
      expect(user.calendars.length).toBeGreaterThan(0);
      expect(user.calendars[0]).toMatchObject({ isDefaultCalendar: true, owner: { address: user.mail } });
    }
    expect(fake.counters.batchRequests).toBe(5);
    expect(fake.counters.batchItems).toBe(100);
    expect(route('GET /users/{id}/calendars')).toBe(0);
    expect(fake.counters.graphRequests).toBe(6);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('loads events in UTC from the default calendar view, de-duplicating repeated loads', async () => {
    const [first] = setup.organisation.users;
    const result = await gateway.gql(
      `query($tenant: ID!, $user: ID!) { tenant(id: $tenant) {
        a: user(id: $user) { events(start: "2026-01-05T00:00:00Z", end: "2026-01-07T00:00:00Z") { id subject start end isAllDay showAs } }
        b: user(id: $user) { events(start: "2026-01-05T00:00:00Z", end: "2026-01-07T00:00:00Z") { id } } } }`,
      { tenant: setup.tenant.id, user: first!.id },
    );
    expect(result.errors).toBeUndefined();
    const events = result.data.tenant.a.events;
    expect(events.length).toBe(2 * first!.eventsPerDay);
    for (const event of events) {
      expect(event.start).toMatch(/^2026-01-0[56]T\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(new Date(event.end).getTime()).toBeGreaterThan(new Date(event.start).getTime());
    }
    expect(result.data.tenant.b.events.map((e: any) => e.id)).toEqual(events.map((e: any) => e.id));
    expect(fake.counters.batchRequests).toBe(2); // one for the user, one for the calendar view: each asked once
    expect(fake.counters.batchItems).toBe(2);
  });

  it('follows Graph\'s paging inside batches so no user\'s events are cut short', async () => {
    const [first, second] = setup.organisation.users;
    // Two years at two events a day is about 1,460 events: more than one Graph page (999) each.
    const result = await gateway.gql(
      `query($tenant: ID!, $a: ID!, $b: ID!) { tenant(id: $tenant) {
        a: user(id: $a) { events(start: "2025-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z") { id } }
        b: user(id: $b) { events(start: "2025-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z") { id } } } }`,
      { tenant: setup.tenant.id, a: first!.id, b: second!.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.a.events).toHaveLength(730 * first!.eventsPerDay);
    expect(result.data.tenant.b.events).toHaveLength(730 * second!.eventsPerDay);
    expect(new Set(result.data.tenant.a.events.map((event: { id: string }) => event.id)).size).toBe(730 * first!.eventsPerDay);
    expect(route('batch GET /users/{id}/calendarView')).toBe(4); // two first pages, then both second pages in one more batch
    expect(route('GET /users/{id}/calendarView')).toBe(0);
  });

  it('three separate queries after a restart cost one token request', async () => {
    await gateway.stop();
    gateway = await startGateway(settings);
    fake.resetCounters();
    const query = 'query($tenant: ID!) { tenant(id: $tenant) { users(first: 5) { nodes { id } } } }';
    await Promise.all([1, 2].map(() => gateway.gql(query, { tenant: setup.tenant.id })));
    const third = await gateway.gql(query, { tenant: setup.tenant.id });
    expect(third.errors).toBeUndefined();
    expect(fake.counters.tokenRequests).toBe(1);
    expect(route('GET /users')).toBe(3);
  });

  it('renews an expired token', async () => {
    fake.faults.tokenLifetimeSeconds = 299; // msal and the gateway treat tokens as stale 300 s early: this one at once
    await gateway.gql('mutation($id: ID!) { refreshTenant(id: $id) { status } }', { id: setup.tenant.id });
    fake.resetCounters();
    const result = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(first: 2) { nodes { id } } } }', { tenant: setup.tenant.id });
    expect(result.errors).toBeUndefined();
    expect(fake.counters.tokenRequests).toBe(1);
    // Leave a token of the usual lifetime behind, for the tests that follow in any order.
    fake.resetFaults();
    await gateway.gql('mutation($id: ID!) { refreshTenant(id: $id) { status } }', { id: setup.tenant.id });
  });

  it('retries a throttled top-level call and throttled batch items after Retry-After', async () => {
    fake.faults.throttleGraphRequests = { count: 1, retryAfterSeconds: 1 };
    fake.faults.throttleBatchItems = { count: 3, retryAfterSeconds: 1 };
    const result = await gateway.gql(USERS_WITH_CALENDARS, { tenant: setup.tenant.id, first: 40 });
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.users.nodes.every((user: any) => user.calendars.length > 0)).toBe(true);
    expect(route('GET /users')).toBe(2);
    expect(fake.counters.batchRequests).toBe(3); // 2 batches of 20, then one with only the 3 throttled items
    expect(fake.counters.batchItems).toBe(43);
  });

  it('returns partial data when Graph refuses one user, with the error at that user\'s path', async () => {
    const forbidden = setup.organisation.users[3]!.id;
    const disabled = setup.organisation.users[7]!.id;
    fake.faults.forbiddenUsers.add(forbidden);
    fake.faults.mailboxDisabledUsers.add(disabled);
    const result = await gateway.gql(USERS_WITH_CALENDARS, { tenant: setup.tenant.id, first: 10 });
    const nodes = result.data.tenant.users.nodes;
    expect(nodes[3].calendars).toBeNull();
    expect(nodes[7].calendars).toBeNull();
    expect(nodes.filter((user: any) => user.calendars !== null)).toHaveLength(8);
    const byPath = Object.fromEntries(result.errors!.map((error) => [error.path!.join('.'), error]));
    expect(byPath['tenant.users.nodes.3.calendars']?.extensions.code).toBe('GRAPH_FORBIDDEN');
    expect(byPath['tenant.users.nodes.7.calendars']?.extensions.code).toBe('NOT_FOUND');
    expect(byPath['tenant.users.nodes.7.calendars']?.message).toMatch(/mailbox/i);
  });

  it('finds one user by id, and answers null for an unknown one', async () => {
    const [someone] = setup.organisation.users;
    const result = await gateway.gql('query($tenant: ID!, $a: ID!, $b: ID!) { tenant(id: $tenant) { a: user(id: $a) { id displayName } b: user(id: $b) { id } } }', {
      tenant: setup.tenant.id,
      a: someone!.id,
      b: '00000000-0000-4000-8000-000000000000',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.a).toEqual({ id: someone!.id, displayName: someone!.displayName });
    expect(result.data.tenant.b).toBeNull();
  });

  it('returns the cached access token to admin keys only', async () => {
    const query = 'query($tenant: ID!) { tenant(id: $tenant) { accessToken { token expiresAt } } }';
    const first = await gateway.gql(query, { tenant: setup.tenant.id });
    fake.resetCounters();
    const result = await gateway.gql(query, { tenant: setup.tenant.id });
    expect(result.data.tenant.accessToken).toEqual(first.data.tenant.accessToken);
    expect(result.data.tenant.accessToken.token.split('.')).toHaveLength(3);
    expect(new Date(result.data.tenant.accessToken.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(fake.counters.tokenRequests).toBe(0);
    const anonymous = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { accessToken { token } } }', { tenant: setup.tenant.id }, { key: null });
    expect(anonymous.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('guardrails: bad input is refused before any call to Microsoft', () => {
  afterEach(() => {
    expect(fake.counters.graphRequests).toBe(0);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it.each([
    ['first: 0', 'users(first: 0) { nodes { id } }', /between 1 and 999/],
    ['first: 1000', 'users(first: 1000) { nodes { id } }', /between 1 and 999/],
    ['a forged cursor', 'users(after: "eyJ0IjoieCJ9.bm9wZQ") { nodes { id } }', /not a cursor this gateway issued/],
    ['a URL as cursor', 'users(after: "https://evil.example.com/v1.0/users") { nodes { id } }', /not a cursor this gateway issued/],
    ['an inverted event window', 'user(id: "00000000-0000-4000-8000-000000000001") { events(start: "2026-02-01T00:00:00Z", end: "2026-01-01T00:00:00Z") { id } }', /end must be after start/],
    ['a window longer than Graph accepts', 'user(id: "00000000-0000-4000-8000-000000000001") { events(start: "2020-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z") { id } }', /1825 days/],
    ['a malformed user id', 'user(id: "../../me/messages") { id }', /GUID.*user principal name/],
    ['a query that fans out without bound', 'users(first: 999) { nodes { events(start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z") { id subject start end showAs } } }', /estimated cost .* above the limit .*users\(first/],
  ])('refuses %s with BAD_USER_INPUT', async (_label, selection, message) => {
    const result = await gateway.gql(`query($tenant: ID!) { tenant(id: $tenant) { ${selection} } }`, { tenant: setup.tenant.id });
    expect(result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(message);
  });

  it('refuses a cursor issued for another tenant', async () => {
    const other = await consentedTenant(gateway, fake, { users: 30 });
    const page = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(first: 10) { pageInfo { endCursor } } } }', { tenant: other.tenant.id });
    const cursor = page.data.tenant.users.pageInfo.endCursor;
    fake.resetCounters();
    const result = await gateway.gql('query($tenant: ID!, $after: String) { tenant(id: $tenant) { users(after: $after) { nodes { id } } } }', { tenant: setup.tenant.id, after: cursor });
    expect(result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(/another tenant/);
  });
});

describe('consent and permissions in practice', () => {
  it('names the missing permission when the tenant did not grant calendar access', async () => {
    const limited = await consentedTenant(gateway, fake, { users: 3, scopes: ['Directory.Read.All'] });
    await gateway.gql('mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { id } }', {
      id: limited.connector.id,
      input: { scopes: ['Directory.Read.All', 'Calendars.Read'] },
    });
    fake.resetCounters();
    const result = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { missingScopes users(first: 3) { nodes { id calendars { id } } } } }', { tenant: limited.tenant.id });
    expect(result.data.tenant.missingScopes).toEqual(['Calendars.Read']);
    expect(result.errors?.[0].extensions.code).toBe('GRAPH_FORBIDDEN');
    expect(result.errors?.[0].message).toMatch(/Calendars.Read.*consent again/);
    expect(fake.counters.batchRequests).toBe(0);
  });

  it('reports CONSENT_REQUIRED and marks the tenant REVOKED when the admin revoked consent', async () => {
    const revoked = await consentedTenant(gateway, fake, { users: 3 });
    fake.revokeConsent(revoked.organisation.tenantId, revoked.app.clientId, { invalidateIssuedTokens: true });
    const result = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { users(first: 3) { nodes { id } } } }', { tenant: revoked.tenant.id });
    expect(result.errors?.[0].extensions.code).toBe('CONSENT_REQUIRED');
    expect(result.errors?.[0].message).toMatch(/consent again/);
    const tenant = await gateway.gql('query($id: ID!) { tenant(id: $id) { status statusReason } }', { id: revoked.tenant.id });
    expect(tenant.data.tenant.status).toBe('REVOKED');
  });
});
