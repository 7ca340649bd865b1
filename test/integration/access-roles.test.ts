import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { mintClientToken, postGraphql } from './client-access';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** Narrower credentials: READ_ONLY API keys and client tokens are refused every admin operation, and nothing changes. */

let fake: FakeMicrosoft;
beforeAll(async () => {
  fake = await startFakeMicrosoft();
});
afterAll(async () => {
  await fake?.stop();
});

/** Every mutation, with arguments that an ADMIN key would get through. The event mutations, open to client tokens, are in CLIENT_MUTATIONS. */
const ADMIN_MUTATIONS: Record<string, string> = {
  createConnector: 'mutation { createConnector(input: { provider: OUTLOOK_CALENDAR_ADMIN, slug: "sneaky" }) { id } }',
  updateConnector: 'mutation($connector: ID!) { updateConnector(id: $connector, input: { name: "Renamed", clientSecret: "Zz8Q~another-secret-value-123" }) { id } }',
  deleteConnector: 'mutation($connector: ID!) { deleteConnector(id: $connector) }',
  createConsentLink: 'mutation($connector: ID!) { createConsentLink(connectorId: $connector) { url } }',
  refreshTenant: 'mutation($tenant: ID!) { refreshTenant(id: $tenant) { status } }',
  removeTenant: 'mutation($tenant: ID!) { removeTenant(id: $tenant) }',
  createApiKey: 'mutation { createApiKey(name: "sneaky") { key } }',
  revokeApiKey: 'mutation($key: ID!) { revokeApiKey(id: $key) }',
  createClientToken: 'mutation($tenant: ID!) { createClientToken(tenantId: $tenant, capabilities: [READ_DIRECTORY]) { token } }',
  revokeClientTokens: 'mutation($tenant: ID!) { revokeClientTokens(tenantId: $tenant) }',
  createWebhookEndpoint: 'mutation { createWebhookEndpoint(input: { url: "https://hooks.example.com/xkit", events: [TENANT_CONSENTED] }) { secret } }',
  updateWebhookEndpoint: 'mutation { updateWebhookEndpoint(id: "00000000-0000-4000-8000-000000000001", enabled: false) { id } }',
  deleteWebhookEndpoint: 'mutation { deleteWebhookEndpoint(id: "00000000-0000-4000-8000-000000000001") }',
  redeliverWebhook: 'mutation { redeliverWebhook(deliveryId: "00000000-0000-4000-8000-000000000002") { id } }',
  sendTestWebhook: 'mutation { sendTestWebhook(endpointId: "00000000-0000-4000-8000-000000000001") { id } }',
};
const CLIENT_MUTATIONS: string[] = ['createEvent', 'updateEvent', 'cancelEvent', 'deleteEvent', 'respondToEvent'];

/** Admin reads a client token never gets (READ_ONLY keys get all but the last two). */
const ADMIN_READS: Record<string, string> = {
  connectors: '{ connectors { id } }',
  connector: 'query($connector: ID!) { connector(id: $connector) { id clientId } }',
  tenants: '{ tenants { id } }',
  'Tenant.connector': 'query($tenant: ID!) { tenant(id: $tenant) { connector { clientId } } }',
  'CatalogEntry.connector': '{ catalog { connector { clientId } } }',
  'Tenant.accessToken': 'query($tenant: ID!) { tenant(id: $tenant) { accessToken { token } } }',
  apiKeys: '{ apiKeys { id } }',
};

const STATE = `{ connectors { id name slug clientId hasClientSecret clientSecretHint scopes catalog { name published } tenants { id status grantedScopes checkedAt clientTokensNotBefore } }
  apiKeys { id name role } }`;

describe('READ_ONLY API keys and client tokens', () => {
  let gateway: GatewayProcess;
  let setup: Awaited<ReturnType<typeof consentedTenant>>;
  let readOnlyKey: string;
  let readOnlyKeyId: string;
  let clientToken: string;
  let variables: Record<string, string>;

  beforeAll(async () => {
    gateway = await startGateway(await gatewaySettings(fake));
    setup = await consentedTenant(gateway, fake, { users: 3 });
    const created = await gateway.gql('mutation { createApiKey(name: "dashboard", role: READ_ONLY) { key apiKey { id name role } } }');
    expect(created.data.createApiKey.apiKey).toMatchObject({ name: 'dashboard', role: 'READ_ONLY' });
    ({ key: readOnlyKey, apiKey: { id: readOnlyKeyId } } = created.data.createApiKey);
    clientToken = await mintClientToken(gateway, { tenantId: setup.tenant.id, capabilities: ['READ_DIRECTORY', 'READ_CALENDARS', 'READ_SCHEDULES', 'WRITE_EVENTS'] });
    await gateway.gql(`mutation($id: ID!) { updateConnector(id: $id, input: { catalog: { published: true } }) { id } }`, { id: setup.connector.id });
    variables = { connector: setup.connector.id, tenant: setup.tenant.id, key: readOnlyKeyId };
  });
  afterAll(async () => gateway?.stop());

  it('has a row for every mutation in the schema', async () => {
    const schema = await gateway.gql('{ __schema { mutationType { fields { name } } } }');
    const names = schema.data.__schema.mutationType.fields.map((field: { name: string }) => field.name).sort();
    expect(names).toEqual([...Object.keys(ADMIN_MUTATIONS), ...CLIENT_MUTATIONS].sort());
  });

  it.each([
    ['a READ_ONLY key', () => readOnlyKey, /READ_ONLY API key runs queries only/],
    ['a client token', () => clientToken, /Client tokens cannot use Mutation\./],
  ])('refuses every admin mutation to %s with FORBIDDEN, and nothing changes, here or at Microsoft', async (_label, credential, message) => {
    const before = await gateway.gql(STATE);
    const calls = fake.requestLog.length;
    for (const [name, mutation] of Object.entries(ADMIN_MUTATIONS)) {
      const answer = await gateway.gql(mutation, variables, { key: credential() });
      expect({ name, code: answer.errors?.[0]?.extensions.code, data: answer.data }).toEqual({ name, code: 'FORBIDDEN', data: null });
      expect(answer.errors?.[0]?.message).toMatch(message);
    }
    expect(await gateway.gql(STATE)).toEqual(before);
    expect(fake.requestLog.length).toBe(calls);
  });

  it.each(Object.entries(ADMIN_READS))('refuses %s to a client token before any call to Microsoft', async (_field, query) => {
    const calls = fake.requestLog.length;
    const answer = await gateway.gql(query, variables, { key: clientToken });
    expect(answer.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.data ?? null)).not.toMatch(new RegExp(`${setup.app.clientId}|"token"|"id"`));
    expect(fake.requestLog.length).toBe(calls);
  });

  it('lets a READ_ONLY key query everything but raw tokens and API keys', async () => {
    const read = await gateway.gql(
      `query($tenant: ID!) { viewer { apiKeyRole capabilities } connectors { id clientId tenants { id } }
        tenant(id: $tenant) { displayName accessToken { token } users { nodes { displayName calendars { name } } } } }`,
      variables,
      { key: readOnlyKey },
    );
    expect(read.data.viewer).toEqual({ apiKeyRole: 'READ_ONLY', capabilities: ['READ_DIRECTORY', 'READ_CALENDARS', 'READ_SCHEDULES'] });
    expect(read.data.connectors).toContainEqual({ id: setup.connector.id, clientId: setup.app.clientId, tenants: [{ id: setup.tenant.id }] });
    expect(read.data.tenant.users.nodes).toHaveLength(3);
    expect(read.data.tenant.users.nodes[0].calendars.length).toBeGreaterThan(0);
    expect(read.data.tenant.accessToken).toBeNull();
    expect(read.errors).toEqual([expect.objectContaining({ path: ['tenant', 'accessToken'], extensions: { code: 'FORBIDDEN' } })]);
    expect(read.errors?.[0]?.message).toMatch(/needs an ADMIN API key/);

    const keys = await gateway.gql('{ apiKeys { id } }', undefined, { key: readOnlyKey });
    expect(keys.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(keys.data).toBeNull();
  });

  it('lists each key with its role for an ADMIN key', async () => {
    const keys = await gateway.gql('{ apiKeys { id role } }');
    expect(keys.data.apiKeys).toContainEqual({ id: readOnlyKeyId, role: 'READ_ONLY' });
    expect(keys.data.apiKeys.filter((key: { role: string }) => key.role === 'ADMIN').length).toBeGreaterThan(0);
  });
});

describe('introspection in production', () => {
  it('is refused without a credential and answered for an API key of either role or a client token', async () => {
    const gateway = await startGateway(await gatewaySettings(fake), { NODE_ENV: 'production' });
    try {
      const { tenant } = await consentedTenant(gateway, fake, { users: 1 });
      const readOnly = (await gateway.gql('mutation { createApiKey(name: "docs", role: READ_ONLY) { key } }')).data.createApiKey.key;
      const token = await mintClientToken(gateway, { tenantId: tenant.id, capabilities: ['READ_DIRECTORY'] });
      const INTROSPECTION = '{ __schema { queryType { name } } }';
      const anonymous = await postGraphql(gateway, INTROSPECTION);
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors?.[0]?.message).toMatch(/API key or a client token/);
      for (const bearer of [gateway.adminKey, readOnly, token]) {
        const answer = await postGraphql(gateway, INTROSPECTION, { bearer });
        expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      }
    } finally {
      await gateway.stop();
    }
  });
});
