import { GatewayKeys } from '../../src/crypto/keys';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, get, httpsGet, startGateway } from './harness';
import { TENANT_FIELDS, adminConsents, consentLink, consentedTenant, createConnector, readyConnector, tenantsOf } from './scenario';

let fake: FakeMicrosoft;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake), { XKIT_ALLOWED_RETURN_ORIGINS: 'https://app.example.com' });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
});

/** The callback URL Microsoft would redirect to, for crafting bad answers. */
function callbackFrom(link: string, callbackUrl: string, answer: Record<string, string>) {
  const state = new URL(link).searchParams.get('state')!;
  const params = new URLSearchParams({ state, ...answer });
  return `${callbackUrl}?${params}`;
}

describe('the admin-consent round trip', () => {
  it('builds the v2 admin-consent URL of the contract', async () => {
    const { connector, app } = await readyConnector(gateway, fake);
    const link = await consentLink(gateway, connector.id);
    const url = new URL(link.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/organizations/v2.0/adminconsent`);
    expect(url.searchParams.get('client_id')).toBe(app.clientId);
    expect(url.searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(url.searchParams.get('redirect_uri')).toBe(connector.callbackUrl);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
    const lifetime = new Date(link.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    const hinted = await consentLink(gateway, connector.id, { tenantHint: 'contoso.onmicrosoft.com' });
    expect(new URL(hinted.url).pathname).toBe('/contoso.onmicrosoft.com/v2.0/adminconsent');
  });

  it('records the tenant with its granted roles and organisation name, taking one app token', async () => {
    const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read', 'MailboxSettings.Read'], requiredRoles: ['Directory.Read.All', 'Calendars.Read'] });
    const organisation = fake.addTenant({ displayName: 'Contoso Ltd' });
    fake.resetCounters();
    const page = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Contoso Ltd is connected');
    expect(page.body).toContain('Not granted: MailboxSettings.Read');
    expect(fake.counters.tokenRequests).toBe(1);

    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(tenant).toMatchObject({
      microsoftTenantId: organisation.tenantId,
      status: 'CONSENTED',
      displayName: 'Contoso Ltd',
      grantedScopes: ['Calendars.Read', 'Directory.Read.All'],
      missingScopes: ['MailboxSettings.Read'],
      statusReason: null,
    });
    const single = await gateway.gql(`query($id: ID!) { tenant(id: $id) { ${TENANT_FIELDS} connector { id } } }`, { id: tenant.id });
    expect(single.data.tenant.connector.id).toBe(connector.id);
  });

  it('re-activates the same tenant when the admin consents again, instead of adding another', async () => {
    const { connector, organisation, tenant } = await consentedTenant(gateway, fake);
    fake.revokeConsent(organisation.tenantId, (await connectorApp(connector.id)).clientId);
    const refreshed = await gateway.gql(`mutation($id: ID!) { refreshTenant(id: $id) { status statusReason } }`, { id: tenant.id });
    expect(refreshed.data.refreshTenant.status).toBe('REVOKED');
    expect(refreshed.data.refreshTenant.statusReason).toMatch(/AADSTS700016|consent/i);

    const again = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(again.status).toBe(200);
    const tenants = await tenantsOf(gateway, connector.id);
    expect(tenants).toHaveLength(1);
    expect(tenants[0]).toMatchObject({ id: tenant.id, status: 'CONSENTED' });
  });

  it('redirects to returnTo on an allowed origin, with the tenant in the query', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Fabrikam' });
    const link = await consentLink(gateway, connector.id, { tenantHint: organisation.tenantId, returnTo: 'https://app.example.com/connected?x=1' });
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    const answer = await get(microsoft.location!);
    expect(answer.status).toBe(302);
    const target = new URL(answer.location!);
    expect(target.origin).toBe('https://app.example.com');
    expect(target.searchParams.get('x')).toBe('1');
    expect(target.searchParams.get('microsoft_tenant_id')).toBe(organisation.tenantId);
    expect(target.searchParams.get('status')).toBe('CONSENTED');
  });

  it('records a tenant as ERROR with the reason when the token fails at consent time', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Slow Replication Inc' });
    fake.faults.tokenFailure = {
      status: 401,
      error: 'invalid_client',
      aadsts: 7000215,
      description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'x'.",
    };
    const page = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(page.status).toBe(200);
    expect(page.body).toContain('not usable yet');
    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(tenant.status).toBe('ERROR');
    expect(tenant.statusReason).toMatch(/AADSTS7000215/);
    expect(tenant.statusReason).toMatch(/updateConnector/);
    expect(tenant.statusReason).not.toMatch(/Trace ID|Correlation ID/);

    fake.resetFaults();
    const refreshed = await gateway.gql(`mutation($id: ID!) { refreshTenant(id: $id) { status statusReason grantedScopes displayName } }`, { id: tenant.id });
    expect(refreshed.data.refreshTenant).toMatchObject({ status: 'CONSENTED', statusReason: null, displayName: 'Slow Replication Inc' });
  });

  it('removes a tenant', async () => {
    const { connector, tenant } = await consentedTenant(gateway, fake);
    const removed = await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id });
    expect(removed.data.removeTenant).toBe(true);
    expect(await tenantsOf(gateway, connector.id)).toEqual([]);
    const again = await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id });
    expect(again.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('bad consent input gets a clear error and records nothing', () => {
  let connector: any;
  let organisation: { tenantId: string };
  beforeAll(async () => {
    ({ connector } = await readyConnector(gateway, fake));
    organisation = fake.addTenant({ displayName: 'Never Recorded' });
  });
  afterEach(async () => {
    expect(await tenantsOf(gateway, connector.id)).toEqual([]);
  });

  it('refuses a consent link for a connector without credentials', async () => {
    const incomplete = await createConnector(gateway);
    const result = await gateway.gql('mutation($id: ID!) { createConsentLink(connectorId: $id) { url } }', { id: incomplete.id });
    expect(result.errors?.[0].extensions.code).toBe('CONNECTOR_INCOMPLETE');
    expect(result.errors?.[0].message).toMatch(/updateConnector/);
  });

  it('refuses a returnTo on a foreign origin and a malformed tenant hint', async () => {
    const foreign = await gateway.gql('mutation($id: ID!) { createConsentLink(connectorId: $id, returnTo: "https://evil.example.net/x") { url } }', { id: connector.id });
    expect(foreign.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0].message).toMatch(/XKIT_ALLOWED_RETURN_ORIGINS/);
    const hint = await gateway.gql('mutation($id: ID!) { createConsentLink(connectorId: $id, tenantHint: "../common?x") { url } }', { id: connector.id });
    expect(hint.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a callback with no state, a forged state, or a state for another connector', async () => {
    const link = await consentLink(gateway, connector.id);
    const noState = await get(`${connector.callbackUrl}?admin_consent=True&tenant=${organisation.tenantId}`);
    expect(noState.status).toBe(400);
    expect(noState.body).toMatch(/no state/);

    const state = new URL(link.url).searchParams.get('state')!;
    const [body] = state.split('.');
    const forged = await get(`${connector.callbackUrl}?admin_consent=True&tenant=${organisation.tenantId}&state=${body}.AAAA`);
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/not one this gateway signed/);

    const other = await readyConnector(gateway, fake);
    const misdirected = await get(callbackFrom(link.url, other.connector.callbackUrl, { admin_consent: 'True', tenant: organisation.tenantId }));
    expect(misdirected.status).toBe(400);
    expect(misdirected.body).toMatch(/another connector/);
    expect(await tenantsOf(gateway, other.connector.id)).toEqual([]);
  });

  it('refuses a replayed state', async () => {
    const link = await consentLink(gateway, connector.id);
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    const first = await get(microsoft.location!);
    expect(first.status).toBe(200);
    const tenants = await tenantsOf(gateway, connector.id);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenants[0].id });
    const replay = await get(microsoft.location!);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/already been used/);
  });

  it('refuses an expired state', async () => {
    // The test knows XKIT_SECRET_KEY, so it can re-sign a real state with an expiry in the past.
    const keys = new GatewayKeys(Buffer.from(gateway.env.XKIT_SECRET_KEY!, 'hex'));
    const link = await consentLink(gateway, connector.id);
    const payload = keys.verify<{ n: string; c: string; e: number }>(new URL(link.url).searchParams.get('state')!)!;
    const expired = keys.sign({ ...payload, e: Math.floor(Date.now() / 1000) - 1 });
    const answer = await get(`${connector.callbackUrl}?admin_consent=True&tenant=${organisation.tenantId}&state=${expired}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/expired/);
  });

  it('refuses a tenant that is not a GUID, without using up the link', async () => {
    const link = await consentLink(gateway, connector.id);
    const bad = await get(callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: 'contoso.com' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/no valid tenant/);
    const good = await get(callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: organisation.tenantId }));
    expect(good.status).toBe(200);
    const tenants = await tenantsOf(gateway, connector.id);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenants[0].id });
  });

  it('shows Microsoft\'s refusal (access_denied) and records nothing', async () => {
    fake.setConsentAnswer({ error: 'access_denied' });
    const link = await consentLink(gateway, connector.id);
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    expect(new URL(microsoft.location!).searchParams.get('error')).toBe('access_denied');
    const answer = await get(microsoft.location!);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/declined/);
    expect(answer.body).toMatch(/AADSTS65004/);
    expect(answer.body).not.toMatch(/Trace ID/);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('answers 404 for an unknown connector slug', async () => {
    const answer = await get(`${gateway.url}/callback/no-such-connector?state=x`);
    expect(answer.status).toBe(404);
  });
});

async function connectorApp(connectorId: string): Promise<{ clientId: string }> {
  const result = await gateway.gql('query($id: ID!) { connector(id: $id) { clientId } }', { id: connectorId });
  return { clientId: result.data.connector.clientId };
}

