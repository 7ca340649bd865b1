import { startFakeMicrosoft, type FakeMicrosoft } from '../../fake-microsoft';
import { consentedCustomer } from './support/customer';
import { MicrosoftProcess } from './support/microsoft-process';

describe('AppTokenService against the fake identity platform', () => {
  let fake: FakeMicrosoft;
  let microsoft: MicrosoftProcess;

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    microsoft = await MicrosoftProcess.start(fake.caCertPath);
  });
  afterAll(async () => {
    await microsoft?.stop();
    await fake?.stop();
  });
  beforeEach(async () => {
    fake.resetFaults();
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url });
  });

  it('asks Microsoft once and serves the same token to the next requests for that tenant', async () => {
    const { target } = consentedCustomer(fake);
    fake.resetCounters();
    const first = await microsoft.call('acquire', target.credentials, target.tenantId);
    const second = await microsoft.call('acquire', target.credentials, target.tenantId);
    const third = await microsoft.call('acquire', target.credentials, target.tenantId);

    expect(fake.counters.tokenRequests).toBe(1);
    // The endpoints are configured, as msal does for Microsoft's own hosts: no discovery round trip.
    expect(fake.counters.discoveryRequests + fake.counters.instanceDiscoveryRequests).toBe(0);
    expect(first).toMatchObject({ fromCache: false, tenantId: target.tenantId });
    expect(first.roles.sort()).toEqual(['Calendars.Read', 'Directory.Read.All', 'User.Read.All']);
    expect(new Date(first.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect([second.fromCache, third.fromCache]).toEqual([true, true]);
    expect(third.accessToken).toBe(first.accessToken);
  });

  it('sends one token request when ten GraphQL requests arrive cold at the same moment', async () => {
    const { target } = consentedCustomer(fake);
    fake.resetCounters();
    const tokens = await microsoft.call('acquireConcurrently', target.credentials, target.tenantId, 10);

    expect(fake.counters.tokenRequests).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it('takes a new token with the new secret once the connector\'s credentials change', async () => {
    const { target } = consentedCustomer(fake);
    const before = await microsoft.call('acquire', target.credentials, target.tenantId);
    const rotated = { ...target.credentials, clientSecret: 'rotated~secret-value-0123456789', version: 'v2' };
    fake.registerApp({ clientId: rotated.clientId, clientSecret: rotated.clientSecret, redirectUris: ['https://gateway.test/callback/outlook'], requiredRoles: [] });
    fake.resetCounters();

    const after = await microsoft.call('acquire', rotated, target.tenantId);
    expect(fake.counters.tokenRequests).toBe(1);
    expect(after.fromCache).toBe(false);
    expect(after.accessToken).not.toBe(before.accessToken);
  });

  it('asks again after the connector is forgotten (deleted or edited)', async () => {
    const { target } = consentedCustomer(fake);
    await microsoft.call('acquire', target.credentials, target.tenantId);
    await microsoft.call('forgetConnector', target.credentials.connectorId);
    fake.resetCounters();
    await microsoft.call('acquire', target.credentials, target.tenantId);
    expect(fake.counters.tokenRequests).toBe(1);
  });

  it('bypasses every cache when asked for a fresh token (re-checking roles after a re-consent)', async () => {
    const { target } = consentedCustomer(fake, { roles: ['User.Read.All'] });
    const before = await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.grantConsent(target.tenantId, target.credentials.clientId, ['User.Read.All', 'Calendars.Read']);
    fake.resetCounters();

    const cached = await microsoft.call('acquire', target.credentials, target.tenantId);
    const fresh = await microsoft.call('acquire', target.credentials, target.tenantId, { fresh: true });
    expect(cached.roles).toEqual(before.roles);
    expect(fresh.roles.sort()).toEqual(['Calendars.Read', 'User.Read.All']);
    expect(fake.counters.tokenRequests).toBe(1);
  });

  it('reports a wrong client secret as invalid_client in Microsoft\'s words, without the secret', async () => {
    const { target, clientSecret } = consentedCustomer(fake);
    const wrong = { ...target.credentials, clientSecret: `${clientSecret}-typo` };
    const failure = await microsoft.failure('acquire', wrong, target.tenantId);

    expect(failure).toMatchObject({ name: 'MicrosoftTokenError', kind: 'invalid_client', aadstsCode: 7000215 });
    expect(failure.reason).toMatch(/^The client secret was rejected by Microsoft \(AADSTS7000215\): Invalid client secret provided/);
    expect(failure.reason).not.toMatch(/Trace ID|Correlation ID|Timestamp/);
    expect(`${failure.reason} ${failure.message}`).not.toContain(clientSecret);
  });

  it('reports a revoked consent as consent_missing', async () => {
    const { target } = consentedCustomer(fake);
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.revokeConsent(target.tenantId, target.credentials.clientId);

    const failure = await microsoft.failure('acquire', target.credentials, target.tenantId, { fresh: true });
    expect(failure).toMatchObject({ kind: 'consent_missing', aadstsCode: 700016 });
    expect(failure.reason).toMatch(/^The app is not consented in this tenant \(AADSTS700016\)/);
  });

  it('reports a directory Microsoft does not know as tenant_not_found', async () => {
    const { target } = consentedCustomer(fake);
    const failure = await microsoft.failure('acquire', target.credentials, '00000000-0000-4000-8000-000000000001');
    expect(failure).toMatchObject({ kind: 'tenant_not_found', aadstsCode: 90002 });
  });

  it('refuses a token whose tid is not the tenant that was asked for', async () => {
    const stamp = Date.now();
    const { target } = consentedCustomer(fake, { displayName: `Tidcheck ${stamp}` });
    // The token endpoint also accepts a tenant's domain, and the token then names the GUID: the
    // service only trusts a tenant id that the token itself confirms.
    const failure = await microsoft.failure('acquire', target.credentials, `tidcheck${stamp}.onmicrosoft.com`);
    expect(failure.kind).toBe('other');
    expect(failure.reason).toContain(`token for tenant ${target.tenantId}`);
  });

  it('keeps one token per tenant when one connector serves several organisations', async () => {
    const { target } = consentedCustomer(fake);
    const other = fake.addTenant({ displayName: `Fabrikam ${Date.now()}`, users: 1 });
    fake.grantConsent(other.tenantId, target.credentials.clientId);

    const first = await microsoft.call('acquire', target.credentials, target.tenantId);
    const second = await microsoft.call('acquire', target.credentials, other.tenantId);
    expect([first.tenantId, second.tenantId]).toEqual([target.tenantId, other.tenantId]);
    expect(second.fromCache).toBe(false);
  });

  it('tells a throttled token endpoint apart, and msal-node then holds identical requests locally', async () => {
    const { target } = consentedCustomer(fake);
    fake.faults.tokenFailure = { status: 429, error: 'temporarily_unavailable', aadsts: 50196, description: 'The server is busy.' };
    fake.resetCounters();
    expect(await microsoft.failure('acquire', target.credentials, target.tenantId)).toMatchObject({ kind: 'throttled', status: 429 });

    fake.resetFaults();
    const replayed = await microsoft.failure('acquire', target.credentials, target.tenantId);
    expect(replayed.kind).toBe('throttled');
    expect(fake.counters.tokenRequests).toBe(1);
  });

  describe('with a cache shared by several gateway processes', () => {
    beforeEach(async () => {
      await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, sharedCache: true, tokenServices: 3 });
    });

    it('asks Microsoft once for all processes, and keys the shared entry without the secret', async () => {
      const { target, clientSecret } = consentedCustomer(fake);
      fake.resetCounters();
      const tokens = await microsoft.call('acquireConcurrently', target.credentials, target.tenantId, 5);

      expect(fake.counters.tokenRequests).toBe(1);
      expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
      const { sharedCache, tokenServices } = await microsoft.call('stats');
      expect(tokenServices.reduce((sum, service) => sum + service.sharedHits, 0)).toBe(2);
      const [key] = sharedCache!.entries;
      expect(key).toContain(target.credentials.clientId);
      expect(key).toContain(target.tenantId);
      expect(key).not.toContain(clientSecret);
    });

    it('keeps serving tokens from process memory while the shared cache is down, warning once', async () => {
      const { target } = consentedCustomer(fake);
      await microsoft.call('setSharedCacheFailing', true);
      await microsoft.call('acquire', target.credentials, target.tenantId);
      await microsoft.call('acquire', target.credentials, target.tenantId, { fresh: true });
      const cached = await microsoft.call('acquire', target.credentials, target.tenantId);

      expect(cached.fromCache).toBe(true);
      const { warnings } = await microsoft.call('stats');
      expect(warnings.filter((message) => message.includes('shared token cache failed'))).toHaveLength(1);
    });
  });
});
