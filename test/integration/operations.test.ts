import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, freePort, gatewaySettings, newDataDir, startGateway, stopProcess, logLine, until } from './harness';
import { consentedTenant } from './scenario';

let fake: FakeMicrosoft;
beforeAll(async () => {
  fake = await startFakeMicrosoft();
});
afterAll(async () => {
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.requestLog.length = 0;
});

const CALENDARS = 'query Calendars($tenant: ID!) { tenant(id: $tenant) { users(first: 30) { nodes { id calendars { id } } } } }';

describe('operating a running gateway', () => {
  let gateway: GatewayProcess;
  let setup: Awaited<ReturnType<typeof consentedTenant>>;
  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake), { LOG_LEVEL: 'info' });
    setup = await consentedTenant(gateway, fake, { users: 30 });
  });
  afterAll(async () => gateway?.stop());

  it('reports health of the database (and Redis, when configured)', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'not configured' });
  });

  it('serves Prometheus metrics for Graph calls, retries, token use and GraphQL latency, with no ids in labels', async () => {
    fake.faults.throttleBatchItems = { count: 2, retryAfterSeconds: 0 };
    await gateway.gql(CALENDARS, { tenant: setup.tenant.id });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/xkit_graph_requests_total\{route="GET \/users",status="200"\} \d+/);
    expect(text).toMatch(/xkit_graph_requests_total\{route="POST \/\$batch",status="200"\} \d+/);
    expect(text).toMatch(/xkit_graph_batch_items_total\{route="GET \/users\/\{id\}\/calendars",status="200"\} 30/);
    expect(text).toMatch(/xkit_graph_batch_items_total\{route="GET \/users\/\{id\}\/calendars",status="429"\} 2/);
    expect(text).toMatch(/xkit_graph_retries_total\{reason="throttled"\} 2/);
    expect(text).toMatch(/xkit_graph_throttled_total 2/);
    expect(text).toMatch(/xkit_token_acquisitions_total\{outcome="[a-z_]+"\} \d+/);
    expect(text).toMatch(/xkit_token_cache_hits_total\{layer="memory"\} \d+/);
    expect(text).toMatch(/xkit_graphql_request_duration_seconds_bucket\{le="0.1",operation="query"\} \d+/);
    expect(text).toContain('xkit_process_resident_memory_bytes');
    for (const user of setup.organisation.users) expect(text).not.toContain(user.id);
    expect(text).not.toContain(setup.organisation.tenantId);
  });

  it("writes one JSON log line per request with the caller's request id, a level name and an ISO time", async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.adminKey}`, 'x-request-id': 'req-abc-123' },
      body: JSON.stringify({ query: 'query Connectors { connectors { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const entry = await logLine(gateway, (log) => log.requestId === 'req-abc-123');
    expect(entry).toMatchObject({ level: 'info', msg: 'graphql request', operation: 'Connectors', type: 'query', service: 'xkit-gateway' });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
    expect(typeof entry.durationMs).toBe('number');
    expect(gateway.output()).not.toContain(gateway.adminKey);
    expect(gateway.output()).not.toContain(setup.app.clientSecret);
  });
});

describe('stopping', () => {
  it('finishes in-flight requests when told to stop, then exits 0', async () => {
    const gateway = await startGateway(await gatewaySettings(fake), { LOG_LEVEL: 'info' });
    const setup = await consentedTenant(gateway, fake, { users: 30 });
    fake.faults.graphLatencyMs = 500;
    const inFlight = gateway.gql(CALENDARS, { tenant: setup.tenant.id });
    await until(() => fake.requestLog.some((entry) => entry.path === '/v1.0/users'));
    const exit = await gateway.stop();
    const result = await inFlight;
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.users.nodes).toHaveLength(30);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toMatch(/shutting down: finishing in-flight requests/);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });

  it('aborts a Graph call that hangs past the grace period, answers, and exits 0', async () => {
    const gateway = await startGateway(await gatewaySettings(fake), { XKIT_SHUTDOWN_GRACE_SECONDS: '1' });
    const setup = await consentedTenant(gateway, fake, { users: 3 });
    fake.faults.graphLatencyMs = 120_000;
    const inFlight = gateway.gql(CALENDARS, { tenant: setup.tenant.id });
    await until(() => fake.requestLog.some((entry) => entry.path === '/v1.0/users'));
    const exit = await gateway.stop();
    const result = await inFlight;
    expect(result.errors?.[0].extensions.code).toBe('UPSTREAM_ERROR');
    expect(result.errors?.[0].message).toMatch(/shutting down/);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on SIGTERM with Redis configured', async () => {
    const redis = await redisForTest();
    try {
      const gateway = await startGateway({ ...(await gatewaySettings(fake)), XKIT_REDIS_URL: redis.url }, { NODE_ENV: 'production' });
      const setup = await consentedTenant(gateway, fake, { users: 2 });
      expect((await gateway.gql(CALENDARS, { tenant: setup.tenant.id })).errors).toBeUndefined();
      expect(await gateway.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await redis.stop();
    }
  });
});

describe('start-up failures: one clear line naming the variable, exit non-zero, no stack trace', () => {
  const run = promisify(execFile);
  const main = resolve(__dirname, '../../dist/src/main.js');
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    busyPort = await new Promise<number>((resolvePort) => busy.listen(0, '127.0.0.1', () => resolvePort((busy.address() as { port: number }).port)));
  });
  afterAll(() => new Promise<void>((resolveClose) => busy.close(() => resolveClose())));

  it.each([
    ['a busy port', () => ({ PORT: String(busyPort), HOST: '127.0.0.1' }), /PORT \d+ on HOST 127.0.0.1 is already in use/],
    ['a HOST that is not this machine', () => ({ HOST: '203.0.113.7' }), /HOST "203.0.113.7" is not an address of this machine/],
    ['a PostgreSQL that refuses connections', async () => ({ XKIT_DATABASE_URL: `postgres://xkit:hunter2-secret@127.0.0.1:${await freePort()}/xkit` }), /XKIT_DATABASE_URL: PostgreSQL at 127.0.0.1:\d+\/xkit cannot be reached \(ECONNREFUSED\)/],
  ])('%s', async (_label, environment, message) => {
    const dataDir = newDataDir();
    const env = { PATH: process.env.PATH, XKIT_DATABASE_URL: `sqlite:${dataDir}/xkit.sqlite`, XKIT_ADMIN_API_KEY: 'x'.repeat(32), ...(await environment()) };
    const failure = await run(process.execPath, [main], { env, cwd: dataDir, timeout: 20_000 }).then(
      () => null,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = String(failure.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(String(failure.stdout) + String(failure.stderr)).not.toMatch(/\n\s+at /);
    expect(String(failure.stderr)).not.toContain('hunter2-secret');
  });
});

describe('production mode', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake), { NODE_ENV: 'production', XKIT_METRICS_TOKEN: 'metrics-token-0123456789' });
  });
  afterAll(async () => gateway?.stop());

  it('needs an API key for introspection, and serves no Sandbox', async () => {
    const anonymous = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const signedIn = await gateway.gql('{ __schema { queryType { name } } }');
    expect(signedIn.data.__schema.queryType.name).toBe('Query');
    const catalog = await gateway.gql('{ catalog { name } }', undefined, { key: null });
    expect(catalog.errors).toBeUndefined();
    const landing = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toMatch(/sandbox/i);
  });

  it('protects /metrics with the bearer token from XKIT_METRICS_TOKEN', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const allowed = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('xkit_graph_requests_total');
  });
});

/** A Redis for this test: the CI one when configured, else a redis-server of our own. */
async function redisForTest(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.XKIT_TEST_REDIS_URL) return { url: process.env.XKIT_TEST_REDIS_URL, stop: async () => undefined };
  const port = await freePort();
  const server: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (;;) {
    if (server.exitCode !== null) throw new Error('redis-server is not installed or did not start (CI installs it: .ci/services.sh)');
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const ready = await client.connect().then(() => true, () => false);
    client.disconnect();
    if (ready) break;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return { url, stop: async () => void (await stopProcess(server)) };
}
