import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, newDataDir, startGateway } from './harness';
import { CONNECTOR_FIELDS, consentedTenant, createConnector } from './scenario';

let fake: FakeMicrosoft;
beforeAll(async () => {
  fake = await startFakeMicrosoft();
});
afterAll(async () => {
  await fake?.stop();
});

describe('admin API keys', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake));
  });
  afterAll(async () => gateway?.stop());

  it.each([
    ['no key', null],
    ['a wrong key', 'xkit_wrong-key-wrong-key-wrong-key'],
  ])('refuses every operation but the catalog with %s, and changes nothing', async (_label, key) => {
    const before = (await gateway.gql('{ connectors { id } }')).data.connectors.length;
    for (const operation of [
      '{ connectors { id } }',
      '{ tenants { id } }',
      'mutation { createConnector(input: { provider: OUTLOOK_CALENDAR_ADMIN }) { id } }',
      'mutation { createApiKey(name: "sneaky") { key } }',
    ]) {
      const result = await gateway.gql(operation, undefined, { key });
      expect(result.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0].message).toMatch(/Authorization: Bearer/);
    }
    expect((await gateway.gql('{ connectors { id } }')).data.connectors.length).toBe(before);
    const catalog = await gateway.gql('{ catalog { name } }', undefined, { key });
    expect(catalog.errors).toBeUndefined();
  });

  it('serves a public catalog of published entries without client IDs or secrets', async () => {
    const connector = await createConnector(gateway, { name: 'Published one' });
    const hidden = await createConnector(gateway, { name: 'Hidden one' });
    await gateway.gql(`mutation($id: ID!) { updateConnector(id: $id, input: { clientId: "11111111-2222-3333-4444-555555555555", clientSecret: "Qq8Q~averysecretvalue1234567890", catalog: { published: true, description: "Calendars" } }) { id } }`, { id: connector.id });
    const catalog = await gateway.gql('{ catalog { id name description logoUrl published } }', undefined, { key: null });
    expect(catalog.data.catalog).toContainEqual(expect.objectContaining({ name: 'Published one', description: 'Calendars', published: true }));
    expect(catalog.data.catalog.map((entry: any) => entry.name)).not.toContain(hidden.name);
    expect(JSON.stringify(catalog)).not.toMatch(/11111111|averysecretvalue/);
    const leak = await gateway.gql('{ catalog { connector { clientId } } }', undefined, { key: null });
    expect(leak.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(leak.data ?? null)).not.toContain('11111111');
  });

  it('creates, lists and revokes further keys; a revoked key stops working', async () => {
    const created = await gateway.gql('mutation { createApiKey(name: "ci script") { key apiKey { id name keyPrefix } } }');
    const { key, apiKey } = created.data.createApiKey;
    expect(key).toMatch(/^xkit_/);
    expect((await gateway.gql('{ connectors { id } }', undefined, { key })).errors).toBeUndefined();
    const listed = await gateway.gql('{ apiKeys { id name keyPrefix } }');
    expect(listed.data.apiKeys).toContainEqual(apiKey);
    expect(JSON.stringify(listed)).not.toContain(key);
    const self = await gateway.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, { key });
    expect(self.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await gateway.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id })).data.revokeApiKey).toBe(true);
    // The replica that revoked it refuses it at once (others within the key cache's 5 s).
    expect((await gateway.gql('{ connectors { id } }', undefined, { key })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gateway.gql('{ apiKeys { id } }')).data.apiKeys.map((listed: { id: string }) => listed.id)).not.toContain(apiKey.id);
  });
});

describe('client secrets and restarts', () => {
  it('keeps data across a restart, never shows or stores the plaintext secret, and keeps using it', async () => {
    const dataDir = newDataDir();
    const settings = await gatewaySettings(fake, dataDir);
    let gateway = await startGateway(settings, { LOG_LEVEL: 'debug' });
    const { connector, app, tenant } = await consentedTenant(gateway, fake);
    const output = gateway.output();
    await gateway.stop();

    gateway = await startGateway(settings, { LOG_LEVEL: 'debug' });
    try {
      const after = await gateway.gql(`query($id: ID!) { connector(id: $id) { ${CONNECTOR_FIELDS} tenants { id status displayName grantedScopes } } }`, { id: connector.id });
      expect(after.data.connector).toMatchObject({ id: connector.id, status: 'READY', hasClientSecret: true, clientSecretHint: app.clientSecret.slice(-4) });
      expect(after.data.connector.tenants).toEqual([expect.objectContaining({ id: tenant.id, status: 'CONSENTED' })]);
      expect(JSON.stringify(after)).not.toContain(app.clientSecret);

      // The secret still decrypts after the restart: a fresh consent check takes a token with it.
      fake.resetCounters();
      const refreshed = await gateway.gql('mutation($id: ID!) { refreshTenant(id: $id) { status } }', { id: tenant.id });
      expect(refreshed.data.refreshTenant.status).toBe('CONSENTED');
      expect(fake.counters.tokenRequests).toBe(1);

      if (settings.XKIT_DATABASE_URL!.startsWith('sqlite:')) {
        const files = readdirSync(dataDir).filter((name) => name.startsWith('xkit.sqlite'));
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
          expect(readFileSync(join(dataDir, file)).includes(Buffer.from(app.clientSecret))).toBe(false);
        }
      } else {
        const client = new Client({ connectionString: settings.XKIT_DATABASE_URL });
        await client.connect();
        try {
          const rows = await client.query('SELECT row_to_json(c)::text AS row FROM connectors c');
          expect(rows.rows.length).toBeGreaterThan(0);
          expect(JSON.stringify(rows.rows)).not.toContain(app.clientSecret);
          expect(JSON.stringify(rows.rows)).toContain('client_secret_sealed');
        } finally {
          await client.end();
        }
      }
      expect(output + gateway.output()).not.toContain(app.clientSecret);
    } finally {
      await gateway.stop();
    }
  });

  it('keeps a revoked XKIT_ADMIN_API_KEY revoked after a restart', async () => {
    const settings = await gatewaySettings(fake);
    let gateway = await startGateway(settings);
    const created = await gateway.gql('mutation { createApiKey(name: "rotation") { key apiKey { id } } }');
    const replacement = created.data.createApiKey.key;
    const keys = await gateway.gql('{ apiKeys { id name } }', undefined, { key: replacement });
    const bootstrap = keys.data.apiKeys.find((key: { name: string }) => key.name.startsWith('bootstrap'));
    expect((await gateway.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: bootstrap.id }, { key: replacement })).data.revokeApiKey).toBe(true);
    await gateway.stop();

    gateway = await startGateway(settings, { LOG_LEVEL: 'warn' });
    try {
      expect((await gateway.gql('{ connectors { id } }')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await gateway.gql('{ connectors { id } }', undefined, { key: replacement })).errors).toBeUndefined();
      expect(gateway.output()).toMatch(/XKIT_ADMIN_API_KEY was revoked through the API and stays revoked/);
    } finally {
      await gateway.stop();
    }
  });

  it('creates the SQLite database and the generated secret key readable by the owner only', async () => {
    const dataDir = newDataDir();
    const settings: Record<string, string> = { ...(await gatewaySettings(fake, dataDir)), XKIT_DATABASE_URL: `sqlite:${join(dataDir, 'private', 'xkit.sqlite')}` };
    delete settings.XKIT_SECRET_KEY;
    const gateway = await startGateway(settings);
    try {
      await consentedTenant(gateway, fake);
      const files = readdirSync(join(dataDir, 'private'));
      expect(files).toEqual(expect.arrayContaining(['xkit.sqlite', 'secret.key']));
      for (const file of files) expect((statSync(join(dataDir, 'private', file)).mode & 0o777).toString(8)).toBe('600');
      expect((statSync(join(dataDir, 'private')).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await gateway.stop();
    }
  });

  it('prints a generated admin key once at first start, and not again', async () => {
    const settings = await gatewaySettings(fake);
    delete settings.XKIT_ADMIN_API_KEY;
    const first = await startGateway(settings);
    await first.stop();
    const printed = /Admin API key \(shown once[^\n]*\n\s*\n\s*(\S+)/.exec(first.output())?.[1];
    expect(printed).toMatch(/^xkit_/);
    const second = await startGateway(settings);
    try {
      expect(second.output()).not.toContain('Admin API key');
      expect((await second.gql('{ connectors { id } }', undefined, { key: printed })).errors).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});

describe('configuration', () => {
  const run = promisify(execFile);
  const main = resolve(__dirname, '../../dist/src/main.js');
  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ XKIT_SECRET_KEY: 'short' }, /XKIT_SECRET_KEY must be 32 bytes/],
    [{ NODE_ENV: 'production', XKIT_ADMIN_API_KEY: 'x'.repeat(32) }, /XKIT_SECRET_KEY is required when NODE_ENV=production/],
    [{ XKIT_DATABASE_URL: 'mysql://x' }, /XKIT_DATABASE_URL must be sqlite:/],
    [{ XKIT_MICROSOFT_LOGIN_URL: 'http://127.0.0.1:1' }, /XKIT_MICROSOFT_LOGIN_URL must be an absolute https URL/],
    [{ XKIT_ALLOWED_RETURN_ORIGINS: 'not a url' }, /XKIT_ALLOWED_RETURN_ORIGINS/],
    [{ XKIT_CORS_ORIGINS: 'https://app.example.com/path, https://ok.example.com, *' }, /XKIT_CORS_ORIGINS .*"https:\/\/app.example.com\/path" is not one; XKIT_CORS_ORIGINS .*"\*" is not one/],
    [{ XKIT_CLIENT_RATE_LIMIT: '0' }, /XKIT_CLIENT_RATE_LIMIT must be a whole number between 1 and 1000000/],
    [{ XKIT_ADMIN_API_KEY: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc' }, /XKIT_ADMIN_API_KEY must not look like a JWT/],
  ])('stops with one clear line for %j', async (env, message) => {
    const failure = await run(process.execPath, [main], { env: { PATH: process.env.PATH, XKIT_DATABASE_URL: 'sqlite::memory:', ...env }, cwd: newDataDir() }).then(
      () => null,
      (error) => error,
    );
    expect(failure?.code).toBe(78);
    const lines = String(failure.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
