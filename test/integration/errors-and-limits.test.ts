import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway, until } from './harness';
import { adminConsents, consentedTenant, tenantsOf } from './scenario';

/** What a caller's mistakes, a hostile caller and a failing Microsoft get back: truthful codes and statuses, bounded work. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let setup: Awaited<ReturnType<typeof consentedTenant>>;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake), { LOG_LEVEL: 'info', XKIT_REQUEST_DEADLINE_SECONDS: '2' });
  setup = await consentedTenant(gateway, fake, { users: 12 });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.requestLog.length = 0;
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.adminKey}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe("the caller's mistakes answer HTTP 400, the first time a query is seen as much as the hundredth", () => {
  const EVENTS = 'query($t: ID!, $s: DateTimeISO!, $e: DateTimeISO!) { tenant(id: $t) { users(first: 2) { nodes { events(start: $s, end: $e) { id } } } } }';
  it.each([
    ['a date that is not a date', { query: EVENTS, variables: { s: 'tomorrow', e: '2026-01-02T00:00:00Z' } }, /Variable "\$s" got an invalid value: .*tomorrow/],
    ['an inverted window given in variables', { query: EVENTS, variables: { s: '2026-02-01T00:00:00Z', e: '2026-01-01T00:00:00Z' } }, /end must be after start/],
    ['a page too large', { query: 'query($t: ID!) { tenant(id: $t) { users(first: 0) { nodes { id } } } }', variables: {} }, /between 1 and 999/],
    [
      'a cost above the limit',
      { query: 'query($t: ID!) { tenant(id: $t) { users(first: 999) { nodes { events(start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z") { id } } } } }', variables: {} },
      /estimated cost .* above the limit/,
    ],
    ['a missing required variable', { query: EVENTS, variables: { e: '2026-01-02T00:00:00Z' } }, /Variable "\$s" of required type "DateTimeISO!" was not provided/],
  ])('%s', async (_label, request, message) => {
    for (let round = 0; round < 3; round++) {
      const answer = await post({ ...request, variables: { t: setup.tenant.id, ...request.variables } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0].message).toMatch(message);
    }
    expect(fake.counters.graphRequests).toBe(0);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('keeps GraphQL validation errors at 400 with their own code', async () => {
    const answer = await post({ query: '{ tenant(id: "x") { users(first: 1) { nodes { noSuchField } } } }' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('secrets never come back in an error or a log line', () => {
  const SECRET = 'Zq8Q~the-real-secret-value-1234567890';
  const UPDATE = 'mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { id } }';

  it.each([
    ['a misspelled field next to the secret', { clientSecret: SECRET, clientid: 'x' }, /Field "clientid" is not defined by type "UpdateConnectorInput"/],
    ['a secret of the wrong type', { clientSecret: 12345678901234 }, /input.clientSecret.*String.*not repeated because it is secret/],
  ])('masks the value for %s', async (_label, input, message) => {
    const answer = await post({ query: UPDATE, variables: { id: setup.connector.id, input } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toMatch(message);
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('12345678901234');
    expect(gateway.output()).not.toContain(SECRET);
  });

  it('masks a secret written as a literal in a document that does not validate', async () => {
    const answer = await post({ query: `mutation { updateConnector(id: "${setup.connector.id}", input: { clientSecret: "${SECRET}", nope: 1 }) { id } }` });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });
});

describe('one failing tenant in a list nulls only its own field', () => {
  it('returns the other tenants\' users, with the error at the failing tenant\'s path', async () => {
    const { connector } = setup;
    const other = fake.addTenant({ displayName: 'Revoked Co', users: 3 });
    await adminConsents(gateway, fake, connector.id, other.tenantId);
    fake.revokeConsent(other.tenantId, setup.app.clientId, { invalidateIssuedTokens: true });
    const tenants = await tenantsOf(gateway, connector.id);
    const result = await gateway.gql('query($c: ID) { tenants(connectorId: $c) { microsoftTenantId users(first: 3) { nodes { id } } } }', { c: connector.id });
    const byTenant = Object.fromEntries(result.data.tenants.map((tenant: any, index: number) => [tenant.microsoftTenantId, { tenant, index }]));
    expect(byTenant[setup.organisation.tenantId].tenant.users.nodes).toHaveLength(3);
    expect(byTenant[other.tenantId].tenant.users).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].path).toEqual(['tenants', byTenant[other.tenantId].index, 'users']);
    expect(result.errors![0].extensions.code).toBe('CONSENT_REQUIRED');
    expect(tenants).toHaveLength(2);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenants.find((tenant) => tenant.microsoftTenantId === other.tenantId)!.id });
  });

  it('costs a query across many tenants as many times one tenant', async () => {
    const perTenant = 'users(first: 999) { nodes { id calendars { id } } }';
    const single = await gateway.gql(`query($t: ID!) { tenant(id: $t) { ${perTenant} } }`, { t: setup.tenant.id });
    expect(single.errors).toBeUndefined();
    const { connector } = await consentedTenant(gateway, fake, { users: 1 });
    for (let index = 0; index < 20; index++) {
      const organisation = fake.addTenant({ displayName: `Many ${index}`, users: 1 });
      await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    }
    fake.resetCounters();
    const many = await gateway.gql(`query($c: ID) { tenants(connectorId: $c) { ${perTenant} } }`, { c: connector.id });
    expect(many.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0].message).toMatch(/estimated cost .* one tenant at a time/);
    expect(fake.counters.graphRequests).toBe(0);
  });
});

describe('requests end, and take their Graph calls with them', () => {
  it('answers UPSTREAM_ERROR at the request deadline when Graph accepts the connection and never answers', async () => {
    await gateway.gql('query($t: ID!) { tenant(id: $t) { users(first: 1) { nodes { id } } } }', { t: setup.tenant.id });
    fake.faults.graphLatencyMs = 120_000;
    const result = await gateway.gql('query($t: ID!) { tenant(id: $t) { users(first: 1) { nodes { id } } } }', { t: setup.tenant.id });
    expect(result.data.tenant.users).toBeNull();
    expect(result.errors?.[0].extensions.code).toBe('UPSTREAM_ERROR');
    expect(result.errors?.[0].message).toMatch(/deadline of 2 s/);
    await until(() => fake.counters.abandonedRequests >= 1);
  });

  it('cancels outstanding Graph calls when the client goes away', async () => {
    fake.faults.graphLatencyMs = 120_000;
    const client = new AbortController();
    const pending = fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.adminKey}` },
      body: JSON.stringify({ query: 'query($t: ID!) { tenant(id: $t) { users(first: 12) { nodes { id calendars { id } } } } }', variables: { t: setup.tenant.id } }),
      signal: client.signal,
    }).catch((error: Error) => error);
    await until(() => fake.requestLog.some((entry) => entry.path === '/v1.0/users'));
    client.abort();
    expect(await pending).toHaveProperty('name', 'AbortError');
    await until(() => fake.counters.abandonedRequests >= 1);
  });
});

describe('bounded work for anyone, signed in or not', () => {
  it('refuses a 50,000-directive document at the parser while /healthz keeps answering', async () => {
    const hostile = `{ __typename ${'@skip(if: false) '.repeat(50_000)}}`;
    const send = () =>
      fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: hostile }) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as any,
      }));
    const health = () => fetch(`${gateway.url}/healthz`).then((response) => response.status);
    const attacks = Array.from({ length: 10 }, send);
    const checks = Array.from({ length: 10 }, health);
    for (const answer of await Promise.all(attacks)) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(answer.body.errors[0].message).toMatch(/more tha[nt] 5000 tokens/);
    }
    expect(await Promise.all(checks)).toEqual(Array(10).fill(200));
  });

  it.each([
    ['aliases', `{ ${Array.from({ length: 31 }, (_, index) => `a${index}: connectors { id }`).join(' ')} }`, /aliases/i],
    ['depth', `{ connectors ${'{ tenants { connector '.repeat(7)}{ id }${' } }'.repeat(7)} }`, /depth/i],
    ['directives', `{ connectors { id ${'@include(if: true) '.repeat(21)} } }`, /directives/i],
  ])('refuses too many %s before execution', async (_label, query, message) => {
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toMatch(message);
  });
});

describe('request ids', () => {
  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const kept = await post({ query: '{ connectors { id } }' }, { 'x-request-id': 'req-1.abc_Z' });
    expect(kept.headers.get('x-request-id')).toBe('req-1.abc_Z');
    const replaced = await post({ query: '{ connectors { id } }' }, { 'x-request-id': 'no spaces < allowed' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
