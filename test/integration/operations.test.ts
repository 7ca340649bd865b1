import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let setup: Awaited<ReturnType<typeof consentedTenant>>;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake), { LOG_LEVEL: 'info' });
  setup = await consentedTenant(gateway, fake, { users: 30 });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});

const CALENDARS = 'query Calendars($tenant: ID!) { tenant(id: $tenant) { users(first: 30) { nodes { id calendars { id } } } } }';

describe('operating the gateway', () => {
  it('reports health of the database (and Redis, when configured)', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'not configured' });
  });

  it('serves Prometheus metrics for Graph calls, token use and GraphQL latency, with no ids in labels', async () => {
    await gateway.gql(CALENDARS, { tenant: setup.tenant.id });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/xkit_graph_requests_total\{route="GET \/users",status="200"\} \d+/);
    expect(text).toMatch(/xkit_graph_requests_total\{route="POST \/\$batch",status="200"\} \d+/);
    expect(text).toMatch(/xkit_graph_batch_items_total\{route="GET \/users\/\{id\}\/calendars",status="200"\} 30/);
    expect(text).toMatch(/xkit_token_acquisitions_total\{outcome="[a-z_]+"\} \d+/);
    expect(text).toMatch(/xkit_token_cache_hits_total\{layer="memory"\} \d+/);
    expect(text).toMatch(/xkit_graphql_request_duration_seconds_bucket\{le="0.1",operation="query"\} \d+/);
    expect(text).toContain('xkit_process_resident_memory_bytes');
    for (const user of setup.organisation.users) expect(text).not.toContain(user.id);
    expect(text).not.toContain(setup.organisation.tenantId);
  });

  it('writes one JSON log line per request, with the caller\'s request id', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.adminKey}`, 'x-request-id': 'req-abc-123' },
      body: JSON.stringify({ query: 'query Connectors { connectors { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    expect(response.headers.get('cache-control')).toBe('no-store');
    await new Promise((r) => setTimeout(r, 100));
    const lines = gateway.output().split('\n').filter((line) => line.startsWith('{'));
    const entry = lines.map((line) => JSON.parse(line)).find((log) => log.requestId === 'req-abc-123');
    expect(entry).toMatchObject({ msg: 'graphql request', operation: 'Connectors', type: 'query', service: 'xkit-gateway' });
    expect(typeof entry.durationMs).toBe('number');
    expect(gateway.output()).not.toContain(gateway.adminKey);
    expect(gateway.output()).not.toContain(setup.app.clientSecret);
  });

  it('finishes in-flight requests when told to stop', async () => {
    fake.faults.graphLatencyMs = 1_000;
    const inFlight = gateway.gql(CALENDARS, { tenant: setup.tenant.id });
    await new Promise((r) => setTimeout(r, 300));
    const stopped = gateway.stop();
    const result = await inFlight;
    await stopped;
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.users.nodes).toHaveLength(30);
    expect(gateway.output()).toMatch(/shutting down: finishing in-flight requests/);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});
