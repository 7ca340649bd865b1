import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { CONNECTOR_FIELDS, createConnector, readyConnector } from './scenario';

let fake: FakeMicrosoft;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});

const UPDATE = `mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} } }`;
const CONNECTOR = `query($id: ID, $slug: String) { connector(id: $id, slug: $slug) { ${CONNECTOR_FIELDS} } }`;

async function expectUnchanged(id: string, before: unknown) {
  const after = await gateway.gql(CONNECTOR, { id });
  expect(after.data.connector).toEqual(before);
}

describe('setting up an Outlook Calendar Admin connector', () => {
  it('shows the callback URL at once, before any credential, with the required scope selected', async () => {
    const result = await gateway.gql(`mutation { createConnector(input: { provider: OUTLOOK_CALENDAR_ADMIN }) { ${CONNECTOR_FIELDS} } }`);
    expect(result.errors).toBeUndefined();
    const connector = result.data.createConnector;
    expect(connector.slug).toBe('outlook-calendar-admin');
    expect(connector.name).toBe('Outlook Calendar Admin');
    expect(connector.callbackUrl).toBe(`${gateway.url}/callback/outlook-calendar-admin`);
    expect(connector.status).toBe('INCOMPLETE');
    expect(connector.hasClientSecret).toBe(false);
    expect(connector.clientId).toBeNull();
    expect(connector.scopes).toContain('Directory.Read.All');
    expect(connector.catalog).toMatchObject({ name: 'Outlook Calendar Admin', published: false });
    const scopeNames = connector.availableScopes.map((scope: { name: string }) => scope.name);
    expect(scopeNames).toEqual(
      expect.arrayContaining(['Directory.Read.All', 'User.Read.All', 'Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite', 'MailboxSettings.Read', 'Place.Read.All']),
    );
    expect(connector.availableScopes.find((scope: any) => scope.name === 'Directory.Read.All')).toMatchObject({ required: true, selected: true });
    for (const scope of connector.availableScopes) expect(scope.description.length).toBeGreaterThan(10);

    const second = await gateway.gql(`mutation { createConnector(input: { provider: OUTLOOK_CALENDAR_ADMIN }) { slug } }`);
    expect(second.data.createConnector.slug).toBe('outlook-calendar-admin-2');
  });

  it('takes client ID, secret, scopes and catalog settings in any subset, and is READY with both credentials', async () => {
    const connector = await createConnector(gateway, { name: 'Calendars for Acme' });
    const withId = await gateway.gql(UPDATE, { id: connector.id, input: { clientId: '11111111-2222-3333-4444-555555555555' } });
    expect(withId.data.updateConnector).toMatchObject({ status: 'INCOMPLETE', clientId: '11111111-2222-3333-4444-555555555555' });

    const secret = 'Abc8Q~thisIsTheSecretValue.0123456789wxyz';
    const withSecret = await gateway.gql(UPDATE, { id: connector.id, input: { clientSecret: secret } });
    expect(withSecret.data.updateConnector).toMatchObject({ status: 'READY', hasClientSecret: true, clientSecretHint: 'wxyz' });
    expect(JSON.stringify(withSecret)).not.toContain(secret);

    const scoped = await gateway.gql(UPDATE, {
      id: connector.id,
      input: { scopes: ['Calendars.ReadWrite', 'Directory.Read.All', 'User.Read.All'], catalog: { description: 'Team calendars', published: true, logoUrl: 'https://example.com/logo.png' } },
    });
    expect(scoped.errors).toBeUndefined();
    expect(scoped.data.updateConnector.scopes).toEqual(['Directory.Read.All', 'User.Read.All', 'Calendars.ReadWrite']);
    expect(scoped.data.updateConnector.catalog).toMatchObject({ name: 'Calendars for Acme', description: 'Team calendars', published: true });

    const bySlug = await gateway.gql(CONNECTOR, { slug: connector.slug });
    expect(bySlug.data.connector.id).toBe(connector.id);
  });

  it('lists connectors with their catalog entries and tenants', async () => {
    const connector = await createConnector(gateway);
    const result = await gateway.gql('{ connectors { id slug catalog { name } tenants { id } } }');
    expect(result.data.connectors).toContainEqual({ id: connector.id, slug: connector.slug, catalog: { name: 'Outlook Calendar Admin' }, tenants: [] });
  });

  it('deletes a connector with its catalog entry and tenants', async () => {
    const { connector } = await readyConnector(gateway, fake);
    await gateway.gql(UPDATE, { id: connector.id, input: { catalog: { published: true, name: 'To delete' } } });
    const deleted = await gateway.gql('mutation($id: ID!) { deleteConnector(id: $id) }', { id: connector.id });
    expect(deleted.data.deleteConnector).toBe(true);
    const after = await gateway.gql(CONNECTOR, { id: connector.id });
    expect(after.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const catalog = await gateway.gql('{ catalog { name } }', undefined, { key: null });
    expect(catalog.data.catalog).not.toContainEqual({ name: 'To delete' });
  });
});

describe('bad connector input gets a clear error and changes nothing', () => {
  let connector: any;
  beforeAll(async () => {
    connector = await createConnector(gateway, { name: 'Untouched' });
    await gateway.gql(UPDATE, { id: connector.id, input: { clientId: '11111111-2222-3333-4444-555555555555' } });
    connector = (await gateway.gql(CONNECTOR, { id: connector.id })).data.connector;
  });

  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a client ID that is not a GUID', { clientId: 'my-app' }, /Application \(client\) ID GUID/],
    ['an empty name', { name: '   ' }, /name cannot be empty/],
    ['an oversized name', { name: 'x'.repeat(101) }, /limit is 100/],
    ['an empty client secret', { clientSecret: '' }, /clientSecret cannot be empty/],
    ['an oversized client secret', { clientSecret: 'y'.repeat(300) }, /limit here is 256/],
    ['a secret ID pasted instead of its value', { clientSecret: '0b0c5a3e-1111-4222-8333-944455556666' }, /secret's ID/],
    ['an unknown scope', { scopes: ['Directory.Read.All', 'Mail.Send'] }, /Unknown scope "Mail.Send".*choose from/],
    ['removing a required scope', { scopes: ['Calendars.Read'] }, /Directory.Read.All is required.*cannot be removed/],
    ['an oversized catalog description', { catalog: { description: 'd'.repeat(1001) } }, /limit is 1000/],
    ['a logo URL that is not https', { catalog: { logoUrl: 'javascript:alert(1)' } }, /https URL/],
    ['a valid field next to an invalid one', { name: 'Renamed', clientId: 'nope' }, /GUID/],
  ];
  it.each(cases)('refuses %s', async (_label, input, message) => {
    const result = await gateway.gql(UPDATE, { id: connector.id, input });
    expect(result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(message);
    expect(JSON.stringify(result)).not.toMatch(/y{50}/);
    await expectUnchanged(connector.id, connector);
  });

  it('refuses an unknown connector id or slug with NOT_FOUND', async () => {
    for (const variables of [{ id: '00000000-0000-0000-0000-000000000000' }, { id: 'not-an-id' }, { slug: 'nope' }]) {
      const result = await gateway.gql(CONNECTOR, variables);
      expect(result.errors?.[0].extensions.code).toBe('NOT_FOUND');
      expect(result.errors?.[0].message).toMatch(/list them with/);
    }
    const update = await gateway.gql(UPDATE, { id: '00000000-0000-0000-0000-000000000000', input: { name: 'x' } });
    expect(update.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const deletion = await gateway.gql('mutation { deleteConnector(id: "00000000-0000-0000-0000-000000000000") }');
    expect(deletion.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuses a duplicate or malformed slug', async () => {
    const before = (await gateway.gql('{ connectors { id } }')).data.connectors.length;
    for (const slug of [connector.slug, 'Has Spaces', '-leading', 'a--b', 'ünïcode', 'x'.repeat(64), '../../etc']) {
      const result = await gateway.gql('mutation($slug: String) { createConnector(input: { provider: OUTLOOK_CALENDAR_ADMIN, slug: $slug }) { id } }', { slug });
      expect(result.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toMatch(slug === connector.slug ? /already used/ : /url-safe/);
    }
    const after = (await gateway.gql('{ connectors { id } }')).data.connectors.length;
    expect(after).toBe(before);
  });
});

describe('concurrent updates of one connector', () => {
  it('keep every field given and count every credentials change', async () => {
    const connector = await createConnector(gateway);
    const secrets = Array.from({ length: 6 }, (_, index) => `Qq8Q~concurrent-secret-${index}-abcdefghij`);
    const answers = await Promise.all([
      gateway.gql(UPDATE, { id: connector.id, input: { name: 'Renamed concurrently' } }),
      gateway.gql(UPDATE, { id: connector.id, input: { catalog: { description: 'Described concurrently' } } }),
      ...secrets.map((clientSecret) => gateway.gql(UPDATE, { id: connector.id, input: { clientSecret } })),
    ]);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const after = (await gateway.gql(CONNECTOR, { id: connector.id })).data.connector;
    expect(after.name).toBe('Renamed concurrently');
    expect(after.catalog.description).toBe('Described concurrently');
    expect(secrets.map((secret) => secret.slice(-4))).toContain(after.clientSecretHint);
    expect(await credentialsVersion(gateway.env.XKIT_DATABASE_URL!, connector.id)).toBe(secrets.length);
  });
});

/** Read from the database itself: the version is not part of the API. */
async function credentialsVersion(databaseUrl: string, connectorId: string): Promise<number> {
  if (databaseUrl.startsWith('sqlite:')) {
    const database = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return (database.prepare('SELECT credentials_version AS version FROM connectors WHERE id = ?').get(connectorId) as { version: number }).version;
    } finally {
      database.close();
    }
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT credentials_version AS version FROM connectors WHERE id = $1', [connectorId])).rows[0].version;
  } finally {
    await client.end();
  }
}
