import { startFakeMicrosoft, type FakeMicrosoft } from '../../fake-microsoft';
import { consentedCustomer } from './support/customer';
import { MicrosoftProcess } from './support/microsoft-process';

describe('GraphClient against the fake Graph', () => {
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
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, graph: { baseRetryDelayMs: 20, maxRetries: 3 } });
  });

  /** Graph requests the fake received for this path, in order, with their arrival times. */
  const arrivals = (path: string) => fake.requestLog.filter((entry) => entry.path === path).map((entry) => entry.at);

  it('lists users a page at a time, continuing with the $skiptoken only', async () => {
    const { target, users } = consentedCustomer(fake, { users: 5 });
    const first = await microsoft.call('listUsers', target, { top: 2 });
    expect(first.users.map((user) => user.id)).toEqual(users.slice(0, 2).map((user) => user.id));
    expect(first.users[0]).toEqual({
      id: users[0]!.id,
      displayName: users[0]!.displayName,
      mail: users[0]!.mail,
      userPrincipalName: users[0]!.userPrincipalName,
      jobTitle: users[0]!.jobTitle,
    });
    expect(first.nextSkipToken).toEqual(expect.any(String));

    const rest = await microsoft.call('listUsers', target, { top: 3, skipToken: first.nextSkipToken! });
    expect(rest.users.map((user) => user.id)).toEqual(users.slice(2).map((user) => user.id));
    expect(rest.nextSkipToken).toBeNull();
  });

  it('reads the organisation name', async () => {
    const { target } = consentedCustomer(fake, { displayName: 'Northwind Traders' });
    expect(await microsoft.call('getOrganization', target)).toEqual({ id: target.tenantId, displayName: 'Northwind Traders' });
  });

  // How long it waits is retryDelayMs's, tested on its own in graph-protocol.test.ts.
  it('sends a throttled request again after Retry-After, and then succeeds', async () => {
    const { target } = consentedCustomer(fake);
    fake.faults.throttleGraphRequests = { count: 1, retryAfterSeconds: 1 };
    fake.requestLog.length = 0;

    const page = await microsoft.call('listUsers', target, { top: 10 });
    expect(page.users).toHaveLength(3);
    expect(arrivals('/v1.0/users')).toHaveLength(2);
  });

  it('retries a 503 with backoff', async () => {
    const { target } = consentedCustomer(fake);
    fake.faults.failGraphRequests = { count: 2, status: 503 };
    fake.requestLog.length = 0;

    expect((await microsoft.call('listUsers', target, { top: 10 })).users).toHaveLength(3);
    expect(arrivals('/v1.0/users')).toHaveLength(3);
  });

  it('reports GRAPH_THROTTLED once the retry budget is spent', async () => {
    const { target } = consentedCustomer(fake);
    fake.faults.throttleGraphRequests = { count: 10, retryAfterSeconds: 0 };
    fake.requestLog.length = 0;

    const failure = await microsoft.failure('listUsers', target, { top: 10 });
    expect(failure.code).toBe('GRAPH_THROTTLED');
    expect(arrivals('/v1.0/users')).toHaveLength(4);
  });

  it('reports UPSTREAM_ERROR when Graph keeps failing', async () => {
    const { target } = consentedCustomer(fake);
    fake.faults.failGraphRequests = { count: 10, status: 504 };
    expect((await microsoft.failure('getOrganization', target)).code).toBe('UPSTREAM_ERROR');
  });

  it('takes one fresh token when Graph rejects a token it issued earlier, then succeeds', async () => {
    const { target } = consentedCustomer(fake);
    await microsoft.call('listUsers', target, { top: 1 });
    // Keys rolled, session killed: the cached token is dead although it has not expired.
    fake.revokeConsent(target.tenantId, target.credentials.clientId, { invalidateIssuedTokens: true });
    fake.grantConsent(target.tenantId, target.credentials.clientId);
    fake.resetCounters();

    expect((await microsoft.call('listUsers', target, { top: 1 })).users).toHaveLength(1);
    expect(fake.counters.tokenRequests).toBe(1);
    expect((await microsoft.call('stats')).tokenCalls.fresh).toBe(1);
  });

  it('reports CONSENT_REQUIRED when the consent was revoked and no new token can be had', async () => {
    const { target } = consentedCustomer(fake);
    await microsoft.call('listUsers', target, { top: 1 });
    fake.revokeConsent(target.tenantId, target.credentials.clientId, { invalidateIssuedTokens: true });

    const failure = await microsoft.failure('listUsers', target, { top: 1 });
    expect(failure.code).toBe('CONSENT_REQUIRED');
  });

  it('says which permission is missing when the directory refuses the user list', async () => {
    const { target } = consentedCustomer(fake, { roles: ['Calendars.Read'] });
    const failure = await microsoft.failure('listUsers', target, { top: 10 });
    expect(failure.code).toBe('GRAPH_FORBIDDEN');
    expect(failure.message).toMatch(/permission to list the users \(User\.Read\.All or .*Directory\.Read\.All.*\)/);
  });

  it('gives up on a Graph that does not answer in time, as UPSTREAM_ERROR', async () => {
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, attemptTimeoutMs: 100, graph: { maxRetries: 1, baseRetryDelayMs: 10 } });
    const { target } = consentedCustomer(fake);
    await microsoft.call('acquire', target.credentials, target.tenantId);
    // The pool's timers tick about once a second, so an attempt limit of 100 ms ends within a second.
    fake.faults.graphLatencyMs = 5_000;
    fake.requestLog.length = 0;

    const failure = await microsoft.failure('getOrganization', target);
    expect(failure.code).toBe('UPSTREAM_ERROR');
    expect(failure.message).toMatch(/no answer in time/);
    expect(fake.requestLog.filter((entry) => entry.path === '/v1.0/organization')).toHaveLength(2);
  });

  it('stops retrying at the request deadline, however many retries are left', async () => {
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, deadlineMs: 300, graph: { maxRetries: 10, baseRetryDelayMs: 50 } });
    const { target } = consentedCustomer(fake);
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.faults.graphLatencyMs = 5_000;

    const failure = await microsoft.failure('getOrganization', target);
    expect(failure.code).toBe('UPSTREAM_ERROR');
    expect(failure.message).toMatch(/deadline of 0.3 s/);
  });

  it('keeps at most maxConcurrentRequestsPerTenant $batch calls in flight per tenant', async () => {
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, graph: { maxConcurrentRequestsPerTenant: 2 } });
    const { target, users } = consentedCustomer(fake, { users: 100 });
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.faults.graphLatencyMs = 150;
    fake.requestLog.length = 0;

    // Earlier tests' abandoned requests may still be closing: measure from a quiet fake.
    while (fake.graphRequestsInFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    fake.resetCounters();
    await microsoft.call('loadCalendars', target, users.map((user) => user.id));
    // 5 batches, two at a time: never a third in flight, and both slots used.
    expect(arrivals('/v1.0/$batch')).toHaveLength(5);
    expect(fake.counters.maxConcurrentGraphRequests).toBe(2);
  });
});
