import { Client } from 'pg';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, get, startGateway, until } from './harness';
import { consentLink, readyConnector } from './scenario';

/**
 * A database that goes away under a running gateway. Needs PostgreSQL (CI runs the suite on it):
 * an embedded SQLite file cannot be taken away from a process that holds it open.
 */
const postgres = process.env.XKIT_TEST_POSTGRES_URL;
const describeWithPostgres = postgres ? describe : describe.skip;
if (!postgres) console.info('database-outage.test.ts skipped: set XKIT_TEST_POSTGRES_URL (eval "$(bash .ci/services.sh start)")');

describeWithPostgres('when PostgreSQL stops answering', () => {
  let fake: FakeMicrosoft;
  let gateway: GatewayProcess;
  let database: string;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: postgres });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const cutOff = () =>
    admin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`).then(() =>
      admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`),
    );
  const restore = () => admin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    const settings = await gatewaySettings(fake);
    database = new URL(settings.XKIT_DATABASE_URL!).pathname.slice(1);
    gateway = await startGateway(settings);
  });
  afterAll(async () => {
    await restore().catch(() => undefined);
    await gateway?.stop();
    await fake?.stop();
  });

  it('answers /healthz 503, the consent callback a plain 503 page, and recovers when it returns', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const link = await consentLink(gateway, connector.id);
    await cutOff();
    try {
      const health = await fetch(`${gateway.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });

      const callback = await get(`${connector.callbackUrl}?admin_consent=True&tenant=${fake.addTenant({ displayName: 'Outage Org' }).tenantId}&state=${new URL(link.url).searchParams.get('state')}`);
      expect(callback.status).toBe(503);
      expect(callback.body).toMatch(/cannot reach its database/);
      expect(callback.body).not.toMatch(/Unknown connector/);

      const query = await gateway.gql('{ connectors { id } }');
      expect(query.errors?.[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(query.errors)).not.toMatch(/terminat|postgres|ECONN/i);
    } finally {
      await restore();
    }
    await until(async () => (await fetch(`${gateway.url}/healthz`)).status === 200);
    expect((await gateway.gql('{ connectors { id } }')).errors).toBeUndefined();
  });
});
