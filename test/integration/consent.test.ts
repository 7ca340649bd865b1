import { GatewayKeys } from '../../src/crypto/keys';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, get, httpsGet, startGateway, logLine } from './harness';
import { TENANT_FIELDS, adminConsents, consentLink, consentedTenant, createConnector, followConsent, readyConnector, tenantsOf } from './scenario';

let fake: FakeMicrosoft;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake), { XKIT_ALLOWED_RETURN_ORIGINS: 'https://app.example.com', LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.setConsentAnswer(null);
  fake.setSignedInUser(null);
});

/** The callback URL as Microsoft would redirect to it, for crafting answers Microsoft never sent. */
function callbackFrom(link: string, callbackUrl: string, answer: Record<string, string>) {
  const state = new URL(link).searchParams.get('state')!;
  return `${callbackUrl}?${new URLSearchParams({ state, ...answer })}`;
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

  it('proves the tenant with a sign-in on the same callback URL, then records it with its roles and name', async () => {
    const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read', 'MailboxSettings.Read'], requiredRoles: ['Directory.Read.All', 'Calendars.Read'] });
    const organisation = fake.addTenant({ displayName: 'Contoso Ltd' });
    fake.resetCounters();
    const page = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Contoso Ltd is connected');
    expect(page.body).toContain('Not granted: MailboxSettings.Read');
    // Consent answer, then the sign-in's answer: both to the one redirect URI registered in Azure.
    expect(page.hops.map((hop) => hop.status)).toEqual([302, 200]);
    const signIn = new URL(page.hops[0]!.location!);
    expect(signIn.pathname).toBe(`/${organisation.tenantId}/oauth2/v2.0/authorize`);
    expect(signIn.searchParams.get('redirect_uri')).toBe(connector.callbackUrl);
    expect(signIn.searchParams.get('scope')).toContain('openid');
    expect(signIn.searchParams.get('code_challenge_method')).toBe('S256');
    expect(fake.counters).toMatchObject({ signInPageVisits: 1, codeRedemptions: 1, tokenRequests: 1 });

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

  it('brands the result page with the catalog entry', async () => {
    const { connector } = await readyConnector(gateway, fake);
    await gateway.gql('mutation($id: ID!) { updateConnector(id: $id, input: { catalog: { name: "Acme Scheduling", logoUrl: "https://acme.example/logo.png" } }) { id } }', { id: connector.id });
    const organisation = fake.addTenant({ displayName: 'Branded Org' });
    const page = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(page.body).toContain('Acme Scheduling');
    expect(page.body).toContain('src="https://acme.example/logo.png"');
  });

  it('re-activates the same tenant when the admin consents again, instead of adding another', async () => {
    const { connector, organisation, tenant, app } = await consentedTenant(gateway, fake);
    fake.revokeConsent(organisation.tenantId, app.clientId);
    const refreshed = await gateway.gql(`mutation($id: ID!) { refreshTenant(id: $id) { status statusReason } }`, { id: tenant.id });
    expect(refreshed.data.refreshTenant.status).toBe('REVOKED');
    expect(refreshed.data.refreshTenant.statusReason).toMatch(/AADSTS700016|consent/i);

    const again = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(again.status).toBe(200);
    const tenants = await tenantsOf(gateway, connector.id);
    expect(tenants).toHaveLength(1);
    expect(tenants[0]).toMatchObject({ id: tenant.id, status: 'CONSENTED' });
  });

  it('leaves one tenant when several consents of the same new organisation complete at once', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Stampede Inc' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => adminConsents(gateway, fake, connector.id, organisation.tenantId)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const tenants = await tenantsOf(gateway, connector.id);
    expect(tenants).toHaveLength(1);
    expect(tenants[0]).toMatchObject({ microsoftTenantId: organisation.tenantId, status: 'CONSENTED' });
  });

  it('redirects to returnTo on an allowed origin, with the tenant and status in the query', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Fabrikam' });
    const link = await consentLink(gateway, connector.id, { tenantHint: organisation.tenantId, returnTo: 'https://app.example.com/connected?x=1' });
    const answer = await followConsent(gateway, fake, link.url);
    expect(answer.status).toBe(302);
    const target = new URL(answer.location!);
    expect(target.origin).toBe('https://app.example.com');
    expect(target.searchParams.get('x')).toBe('1');
    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(Object.fromEntries(target.searchParams)).toEqual({ x: '1', xkit_tenant_id: tenant.id, microsoft_tenant_id: organisation.tenantId, status: 'CONSENTED' });
  });

  it('records a tenant as ERROR with the reason when no app token can be had right after a proven consent', async () => {
    const { connector } = await readyConnector(gateway, fake);
    const organisation = fake.addTenant({ displayName: 'Busy Identity Inc' });
    // The sign-in succeeds; then the identity platform is briefly unavailable for app tokens.
    fake.faults.clientCredentialsFailure = { status: 503, error: 'temporarily_unavailable', aadsts: 90033, description: 'A transient error has occurred. Please try again.' };
    const page = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    expect(page.status).toBe(200);
    expect(page.body).toContain('not usable yet');
    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(tenant.status).toBe('ERROR');
    expect(tenant.statusReason).toMatch(/AADSTS90033/);
    expect(tenant.statusReason).not.toMatch(/Trace ID|Correlation ID/);

    // msal-node then holds identical token requests back for a minute (its throttling after a 5xx):
    // a refresh says to try again and leaves the tenant as it was.
    fake.resetFaults();
    const refreshed = await gateway.gql('mutation($id: ID!) { refreshTenant(id: $id) { status } }', { id: tenant.id });
    expect(['GRAPH_THROTTLED', 'UPSTREAM_ERROR']).toContain(refreshed.errors?.[0].extensions.code);
    expect(refreshed.errors?.[0].message).toMatch(/[Tt]ry again/);
    expect((await tenantsOf(gateway, connector.id))[0].status).toBe('ERROR');
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

describe('a consent that proves the tenant, and records nothing otherwise', () => {
  let connector: any;
  let organisation: { tenantId: string };
  beforeAll(async () => {
    ({ connector } = await readyConnector(gateway, fake));
    organisation = fake.addTenant({ displayName: 'Attacker Ltd' });
  });
  afterEach(async () => {
    expect(await tenantsOf(gateway, connector.id)).toEqual([]);
  });

  it("refuses a removed tenant's GUID sent straight to the callback by someone signed in elsewhere", async () => {
    const victim = await consentedTenant(gateway, fake);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: victim.tenant.id });
    const link = await consentLink(gateway, victim.connector.id);
    fake.resetCounters();
    fake.setSignedInUser({ tenantId: organisation.tenantId });
    const forged = await followConsent(gateway, fake, callbackFrom(link.url, victim.connector.callbackUrl, { admin_consent: 'True', tenant: victim.organisation.tenantId }));
    // Microsoft will not sign the attacker in to the victim's directory: the flow stops on its error page.
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/AADSTS50020/);
    expect(await tenantsOf(gateway, victim.connector.id)).toEqual([]);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('refuses a sign-in code from another directory than the consent answer named', async () => {
    const victim = fake.addTenant({ displayName: 'Victim Corp' });
    const link = await consentLink(gateway, connector.id, { returnTo: 'https://app.example.com/done' });
    const toSignIn = await get(callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: victim.tenantId }));
    // The attacker signs in to their own directory instead, keeping the gateway's state.
    const edited = new URL(toSignIn.location!);
    edited.pathname = edited.pathname.replace(victim.tenantId, organisation.tenantId);
    const code = await httpsGet(edited.toString(), fake.caCertPath);
    const answer = await get(code.location!);
    expect(answer.status).toBe(302);
    const target = new URL(answer.location!);
    expect(target.searchParams.get('status')).toBe('error');
    expect(target.searchParams.get('error')).toBe('sign_in_failed');
    expect(target.searchParams.get('xkit_tenant_id')).toBeNull();
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('refuses a made-up GUID sent straight to the callback', async () => {
    const link = await consentLink(gateway, connector.id);
    const forged = await followConsent(gateway, fake, callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: '0badf00d-0000-4000-8000-000000000000' }));
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/AADSTS90002/);
  });

  it('works for the hinted tenant only, without using up the link on a forged one', async () => {
    const hinted = fake.addTenant({ displayName: 'Hinted Co' });
    const link = await consentLink(gateway, connector.id, { tenantHint: hinted.tenantId });
    const forged = await get(callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: organisation.tenantId }));
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/made for the directory .* only/);
    const real = await followConsent(gateway, fake, link.url);
    expect(real.status).toBe(200);
    const [tenant] = await tenantsOf(gateway, connector.id);
    expect(tenant.microsoftTenantId).toBe(hinted.tenantId);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenant.id });
  });

  it('records nothing for a directory where the app was never consented, and says why', async () => {
    const stranger = fake.addTenant({ displayName: 'Never Consented Ltd' });
    const link = await consentLink(gateway, connector.id);
    const answer = await followConsent(gateway, fake, callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: stranger.tenantId }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/not consented in this tenant/);
    expect(answer.body).toMatch(/Nothing was recorded/);
  });

  it('uses up a declined link and tells returnTo, with Microsoft\'s error', async () => {
    fake.setConsentAnswer({ error: 'access_denied' });
    const link = await consentLink(gateway, connector.id, { returnTo: 'https://app.example.com/connected' });
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    const answer = await get(microsoft.location!);
    expect(answer.status).toBe(302);
    const target = new URL(answer.location!);
    expect(target.origin + target.pathname).toBe('https://app.example.com/connected');
    expect(target.searchParams.get('status')).toBe('declined');
    expect(target.searchParams.get('error')).toBe('access_denied');
    expect(target.searchParams.get('error_description')).toMatch(/AADSTS65004/);
    expect(target.searchParams.get('error_description')).not.toMatch(/Trace ID/);
    const replay = await get(microsoft.location!);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/already been used/);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('logs refusals without the state', async () => {
    const link = await consentLink(gateway, connector.id);
    const state = new URL(link.url).searchParams.get('state')!;
    const [body] = state.split('.');
    await get(`${connector.callbackUrl}?admin_consent=True&tenant=${organisation.tenantId}&state=${body}.AAAA`);
    const line = await logLine(gateway, (entry) => entry.msg === 'consent callback refused' && /not one this gateway signed/.test(entry.reason));
    expect(line.level).toBe('warn');
    expect(typeof line.time).toBe('string');
    expect(gateway.output()).not.toContain(body);
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
    const replayed = fake.addTenant({ displayName: 'Replayed Ltd' });
    const link = await consentLink(gateway, connector.id, { tenantHint: replayed.tenantId });
    const microsoft = await httpsGet(link.url, fake.caCertPath);
    const first = await followConsent(gateway, fake, microsoft.location!);
    expect(first.status).toBe(200);
    const tenants = await tenantsOf(gateway, connector.id);
    await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: tenants[0].id });
    const replay = await get(microsoft.location!);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatch(/already been used/);
    const signInReplay = await get(first.hops[1]!.url);
    expect(signInReplay.status).toBe(400);
    expect(signInReplay.body).toMatch(/already been used/);
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
    const good = await followConsent(gateway, fake, callbackFrom(link.url, connector.callbackUrl, { admin_consent: 'True', tenant: organisation.tenantId }));
    expect(good.status).toBe(400); // proven, but the app was never consented in that directory
    expect(good.body).toMatch(/not consented/);
  });

  it("shows Microsoft's refusal (access_denied) and records nothing", async () => {
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
