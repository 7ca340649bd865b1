import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, metricValue, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** What the speed-ups of the Microsoft client must keep: the same answers, whatever the connections do. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let setup: Awaited<ReturnType<typeof consentedTenant>>;

const CALENDARS = 'query($t: ID!) { tenant(id: $t) { users(first: 40) { nodes { id calendars { id name } } } } }';

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  setup = await consentedTenant(gateway, fake, { users: 40 });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
});

const metric = (series: string) => metricValue(gateway, series);

it('sends a request again at once on a new connection when a pooled one turns out closed, and answers as usual', async () => {
  const before = await gateway.gql(CALENDARS, { t: setup.tenant.id });
  expect(before.errors).toBeUndefined();
  const staleRetries = await metric('xkit_graph_retries_total{reason="stale_connection"}');
  fake.resetCounters();
  fake.faults.resetReusedConnections = { count: 2 };

  const after = await gateway.gql(CALENDARS, { t: setup.tenant.id });
  expect(after.errors).toBeUndefined();
  expect(after.data).toEqual(before.data);
  expect(fake.counters.connectionsReset).toBe(2);
  // One GET /users and two $batch calls answered, as without the fault: nothing lost, nothing doubled.
  expect(fake.counters.graphRequests).toBe(3);
  expect(fake.counters.batchItems).toBe(40);
  // Resent at once (the stale_connection path has no backoff), not counted as an outage.
  expect(await metric('xkit_graph_retries_total{reason="stale_connection"}')).toBe(staleRetries + 2);
});

it("uses a connector's new credentials from the very next request", async () => {
  const { connector, app, organisation } = await consentedTenant(gateway, fake, { users: 3 });
  const query = 'query($t: ID!) { tenant(id: $t) { users(first: 3) { nodes { id } } } }';
  const tenant = (await gateway.gql('query($c: ID) { tenants(connectorId: $c) { id } }', { c: connector.id })).data.tenants[0];
  expect((await gateway.gql(query, { t: tenant.id })).errors).toBeUndefined();

  // The secret is rotated in Azure (old one deleted, its tokens dead), then in the gateway.
  const rotated = `${app.clientSecret}-rotated`;
  fake.registerApp({ clientId: app.clientId, clientSecret: rotated, redirectUris: [connector.callbackUrl], requiredRoles: ['Directory.Read.All', 'Calendars.Read'] });
  fake.revokeConsent(organisation.tenantId, app.clientId, { invalidateIssuedTokens: true });
  fake.grantConsent(organisation.tenantId, app.clientId);
  const updated = await gateway.gql('mutation($id: ID!, $s: String!) { updateConnector(id: $id, input: { clientSecret: $s }) { clientSecretHint } }', { id: connector.id, s: rotated });
  expect(updated.data.updateConnector.clientSecretHint).toBe(rotated.slice(-4));
  fake.resetCounters();

  const next = await gateway.gql(query, { t: tenant.id });
  expect(next.errors).toBeUndefined();
  expect(next.data.tenant.users.nodes).toHaveLength(3);
  expect(fake.counters.tokenRequests).toBe(1);
});
