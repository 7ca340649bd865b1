import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, freePort, gatewaySettings, get, httpsGet, startGateway, stopProcess } from './harness';
import { mintClientToken, postGraphql } from './client-access';
import { consentLink, consentedTenant, followConsent } from './scenario';

/**
 * Several replicas on one PostgreSQL and one Redis. Needs real servers: CI starts them with
 * .ci/services.sh; locally run `eval "$(bash .ci/services.sh start)"` first.
 */
const postgres = process.env.XKIT_TEST_POSTGRES_URL;
const redisUrl = process.env.XKIT_TEST_REDIS_URL;
const describeWithServers = postgres && redisUrl ? describe : describe.skip;
if (!postgres || !redisUrl) {
  console.info('replicas.test.ts skipped: set XKIT_TEST_POSTGRES_URL and XKIT_TEST_REDIS_URL (eval "$(bash .ci/services.sh start)")');
}

const USERS = 'query($tenant: ID!) { tenant(id: $tenant) { users(first: 5) { nodes { id calendars { id } } } } }';

describeWithServers('replicas on PostgreSQL and Redis', () => {
  let fake: FakeMicrosoft;
  const running: GatewayProcess[] = [];
  const start = async (settings: Record<string, string>, env: Record<string, string> = {}) => {
    const gateway = await startGateway(settings, env);
    running.push(gateway);
    return gateway;
  };

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
  });
  afterAll(async () => {
    await Promise.all(running.map((gateway) => gateway.stop()));
    await fake?.stop();
  });

  it('share one app token per tenant: queries spread over two replicas cost one token request', async () => {
    const settings = { ...(await gatewaySettings(fake)), XKIT_REDIS_URL: redisUrl! };
    const first = await start(settings);
    const setup = await consentedTenant(first, fake, { users: 10 });
    await first.stop();

    // Empty caches everywhere: new processes, and Redis flushed.
    const redis = new Redis(redisUrl!);
    await redis.flushdb();
    await redis.quit();
    const a = await start(settings);
    const b = await start(settings);
    fake.resetCounters();
    const results = await Promise.all([a, b, a, b, a, b].map((replica) => replica.gql(USERS, { tenant: setup.tenant.id })));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(fake.counters.tokenRequests).toBe(1);
    expect(fake.counters.byRoute['GET /users']).toBe(6);
  });

  it('refuses on one replica a consent state already used on the other', async () => {
    const settings = await gatewaySettings(fake);
    const a = await start(settings);
    // Behind one load balancer, replicas share one public URL: the redirect URI registered in Azure.
    const b = await start(settings, { XKIT_PUBLIC_URL: a.url });
    const { connector } = await consentedTenant(a, fake, { users: 2 });
    const organisation = fake.addTenant({ displayName: 'Replicated Ltd' });
    const link = await consentLink(a, connector.id, { tenantHint: organisation.tenantId });
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    const onA = new URL(microsoft.location!);
    const onB = new URL(onA.pathname + onA.search, b.url);

    // B takes the consent answer (the sign-in hop returns through the shared URL); A then sees the state used.
    expect((await followConsent(b, fake, onB.toString())).status).toBe(200);
    const replay = await get(onA.toString());
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/already been used/);
  });

  it('accepts on one replica a client token minted on the other, and one removeTenant stops it on both at once', async () => {
    const settings = { ...(await gatewaySettings(fake)), XKIT_REDIS_URL: redisUrl! };
    const a = await start(settings);
    const b = await start(settings);
    const { tenant } = await consentedTenant(a, fake, { users: 3 });
    const token = await mintClientToken(a, { tenantId: tenant.id, capabilities: ['READ_DIRECTORY'] });
    for (const replica of [b, a]) {
      const answer = await replica.gql(USERS, { tenant: tenant.id }, { key: token });
      expect(answer.errors?.[0]?.extensions.code).toBe('FORBIDDEN'); // calendars: not in its capabilities
      expect(answer.data.tenant.users.nodes).toHaveLength(3);
    }
    expect((await b.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id })).data.removeTenant).toBe(true);
    for (const replica of [a, b]) {
      const refused = await postGraphql(replica, '{ viewer { userId } }', { bearer: token });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.message).toMatch(/its tenant was removed/);
    }
  });

  it("counts a client token's requests on every replica against one limit", async () => {
    const settings = { ...(await gatewaySettings(fake)), XKIT_REDIS_URL: redisUrl! };
    const a = await start(settings, { XKIT_CLIENT_RATE_LIMIT: '4' });
    const b = await start(settings, { XKIT_CLIENT_RATE_LIMIT: '4' });
    const { tenant } = await consentedTenant(a, fake, { users: 1 });
    const token = await mintClientToken(a, { tenantId: tenant.id, capabilities: ['READ_DIRECTORY'] });
    const statuses = [];
    for (const replica of [a, b, a, b, a, b]) statuses.push((await postGraphql(replica, '{ viewer { userId } }', { bearer: token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('keeps serving from its own memory when Redis goes away, and says so', async () => {
    const port = await freePort();
    const redisServer: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      await waitForRedis(port);
      const gateway = await start({ ...(await gatewaySettings(fake)), XKIT_REDIS_URL: `redis://127.0.0.1:${port}` }, { LOG_LEVEL: 'info' });
      const setup = await consentedTenant(gateway, fake, { users: 3 });
      const clientToken = await mintClientToken(gateway, { tenantId: setup.tenant.id, capabilities: ['READ_DIRECTORY'] });
      expect(await health(gateway)).toMatchObject({ status: 'ok', redis: 'ok' });

      await stopProcess(redisServer);
      fake.resetCounters();
      const result = await gateway.gql(USERS, { tenant: setup.tenant.id });
      expect(result.errors).toBeUndefined();
      expect(fake.counters.tokenRequests).toBe(0); // the token this process already held
      expect(await health(gateway)).toMatchObject({ status: 'ok', redis: 'unavailable' });
      expect(gateway.output()).toMatch(/redis unavailable/);
      // Client tokens are still served: their rate limit is counted in this process's memory meanwhile.
      expect((await postGraphql(gateway, '{ viewer { userId } }', { bearer: clientToken })).status).toBe(200);
    } finally {
      await stopProcess(redisServer);
    }
  });
});

async function health(gateway: GatewayProcess) {
  return (await fetch(`${gateway.url}/healthz`)).json();
}

async function waitForRedis(port: number) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch {
      client.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('redis-server did not start');
}
