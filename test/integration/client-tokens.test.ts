import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { alterPayload, anotherKey, mintAnswer, mintClientToken, postGraphql, resignToken, unsignedToken } from './client-access';
import { GatewayProcess, gatewaySettings, metricValue, startGateway } from './harness';
import { adminConsents, consentedTenant } from './scenario';

/** A SaaS backend mints client tokens; its frontend calls the gateway with them, and reaches only what they allow. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let ours: Awaited<ReturnType<typeof consentedTenant>>;
let theirs: Awaited<ReturnType<typeof consentedTenant>>;
let adele: string;
let bianca: string;

const WEEK = { start: '2026-12-07T00:00:00Z', end: '2026-12-14T00:00:00Z' };

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  ours = await consentedTenant(gateway, fake, { users: 4 });
  theirs = await consentedTenant(gateway, fake, { users: 2 });
  [adele, bianca] = ours.organisation.users.map((user) => user.id) as [string, string];
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});

/** Runs `act` and says how many requests Microsoft received meanwhile. */
async function callsToMicrosoftDuring<T>(act: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = fake.requestLog.length;
  const result = await act();
  return { result, calls: fake.requestLog.length - before };
}

describe('minting', () => {
  it('mints a token the frontend can ask about itself: tenant, user, capabilities, expiry', async () => {
    const minted = await mintAnswer(gateway, { tenantId: ours.tenant.id, userId: adele.toUpperCase(), capabilities: ['READ_CALENDARS', 'READ_DIRECTORY', 'READ_CALENDARS'] });
    const { token, expiresAt } = minted.data.createClientToken;
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(new Date(claims.exp! * 1000).toISOString()).toBe(expiresAt);

    const viewer = await gateway.gql('{ viewer { tenant { id displayName } userId capabilities expiresAt apiKeyRole } }', undefined, { key: token });
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data.viewer).toEqual({
      tenant: { id: ours.tenant.id, displayName: ours.tenant.displayName },
      userId: adele,
      capabilities: ['READ_CALENDARS', 'READ_DIRECTORY'],
      expiresAt,
      apiKeyRole: null,
    });
  });

  it.each([
    ['a ttl under 60 s', { ttlSeconds: 59 }, 'BAD_USER_INPUT', /ttlSeconds must be between 60 and 3600/],
    ['a ttl over an hour', { ttlSeconds: 3601 }, 'BAD_USER_INPUT', /ttlSeconds must be between 60 and 3600/],
    ['no capabilities', { capabilities: [] }, 'BAD_USER_INPUT', /capabilities cannot be empty/],
    ['a user id that is not a Graph id', { userId: 'adele@contoso.com' }, 'BAD_USER_INPUT', /userId must be the user's Graph id/],
    ['a tenant that does not exist', { tenantId: randomUUID() }, 'NOT_FOUND', /No tenant with id/],
    ['a tenant id that is no id', { tenantId: 'contoso' }, 'NOT_FOUND', /No tenant with id/],
  ])('refuses %s, says why, and calls no one', async (_label, change, code, message) => {
    const { result, calls } = await callsToMicrosoftDuring(() => mintAnswer(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_DIRECTORY'], ...change }));
    expect(result.errors?.[0]?.extensions.code).toBe(code);
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(result.data?.createClientToken ?? null).toBeNull();
    if (code === 'BAD_USER_INPUT') expect(result.status).toBe(400);
    expect(calls).toBe(0);
  });

  it('refuses a tenant that is not consented', async () => {
    const revoked = await consentedTenant(gateway, fake, { users: 1 });
    fake.revokeConsent(revoked.organisation.tenantId, revoked.app.clientId, { invalidateIssuedTokens: true });
    const refreshed = await gateway.gql('mutation($id: ID!) { refreshTenant(id: $id) { status } }', { id: revoked.tenant.id });
    expect(refreshed.data.refreshTenant.status).toBe('REVOKED');
    const answer = await mintAnswer(gateway, { tenantId: revoked.tenant.id, capabilities: ['READ_DIRECTORY'] });
    expect(answer.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(/is REVOKED, not CONSENTED/);
  });
});

describe('what a token reaches', () => {
  it("answers NOT_FOUND for another tenant's id exactly as for a missing one, without calling Microsoft, and keeps the rest of the answer", async () => {
    const token = await mintClientToken(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_DIRECTORY', 'READ_CALENDARS'] });
    const query = 'query($id: ID!) { viewer { tenant { id } } tenant(id: $id) { id users { nodes { id calendars { id } } } } }';
    const { result: other, calls } = await callsToMicrosoftDuring(() => gateway.gql(query, { id: theirs.tenant.id }, { key: token }));
    expect(calls).toBe(0);
    expect(other.data).toEqual({ viewer: { tenant: { id: ours.tenant.id } }, tenant: null });
    expect(other.errors).toEqual([expect.objectContaining({ path: ['tenant'], extensions: { code: 'NOT_FOUND' } })]);
    const missingId = randomUUID();
    const missing = await gateway.gql(query, { id: missingId }, { key: token });
    expect(missing.errors?.[0]?.message).toBe(other.errors![0]!.message.replace(theirs.tenant.id, missingId));
  });

  it('refuses a field its capabilities do not allow, and only that field, before any call for it', async () => {
    const directoryOnly = await mintClientToken(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_DIRECTORY'] });
    fake.resetCounters();
    const answer = await gateway.gql(
      'query($id: ID!) { tenant(id: $id) { displayName users(first: 10) { nodes { displayName calendars { name } } } } }',
      { id: ours.tenant.id },
      { key: directoryOnly },
    );
    const nodes = answer.data.tenant.users.nodes;
    expect(answer.data.tenant.displayName).toBe(ours.tenant.displayName);
    expect(nodes).toHaveLength(4);
    for (const node of nodes) expect(node).toEqual({ displayName: expect.any(String), calendars: null });
    expect(answer.errors).toHaveLength(4);
    for (const [index, error] of answer.errors!.entries()) {
      expect(error).toMatchObject({ path: ['tenant', 'users', 'nodes', index, 'calendars'], extensions: { code: 'FORBIDDEN' } });
      expect(error.message).toMatch(/lacks the READ_CALENDARS capability/);
    }
    expect(fake.counters.byRoute['GET /users']).toBe(1);
    expect(fake.counters.batchRequests).toBe(0);

    const calendarsOnly = await mintClientToken(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_CALENDARS'] });
    const { result, calls } = await callsToMicrosoftDuring(() =>
      gateway.gql('query($id: ID!) { tenant(id: $id) { displayName grantedScopes users { nodes { id } } } }', { id: ours.tenant.id }, { key: calendarsOnly }),
    );
    expect(calls).toBe(0);
    expect(result.data.tenant).toEqual({ displayName: ours.tenant.displayName, grantedScopes: ours.tenant.grantedScopes, users: null });
    expect(result.errors?.[0]).toMatchObject({ path: ['tenant', 'users'], extensions: { code: 'FORBIDDEN' } });
  });

  it("lets a user-bound token read its own user's calendars and events, and refuses another user's without calling Microsoft", async () => {
    const token = await mintClientToken(gateway, { tenantId: ours.tenant.id, userId: adele, capabilities: ['READ_CALENDARS'] });
    const own = await gateway.gql(
      `query($t: ID!, $u: ID!) { tenant(id: $t) { user(id: $u) { id displayName calendars { name } events(start: "${WEEK.start}", end: "${WEEK.end}") { subject } } } }`,
      { t: ours.tenant.id, u: adele },
      { key: token },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.tenant.user.calendars.length).toBeGreaterThan(0);
    expect(own.data.tenant.user.events.length).toBeGreaterThan(0);

    const { result: other, calls } = await callsToMicrosoftDuring(() =>
      gateway.gql('query($t: ID!, $u: ID!) { tenant(id: $t) { displayName user(id: $u) { calendars { name } } } }', { t: ours.tenant.id, u: bianca }, { key: token }),
    );
    expect(calls).toBe(0);
    expect(other.data.tenant).toEqual({ displayName: ours.tenant.displayName, user: null });
    expect(other.errors?.[0]).toMatchObject({ path: ['tenant', 'user'], extensions: { code: 'FORBIDDEN' } });
    expect(other.errors?.[0]?.message).toContain(`bound to user ${adele}`);
  });

  it("with READ_DIRECTORY too, a user-bound token lists everyone but reads only its own user's calendars", async () => {
    const token = await mintClientToken(gateway, { tenantId: ours.tenant.id, userId: adele, capabilities: ['READ_DIRECTORY', 'READ_CALENDARS'] });
    fake.batchItemLog.length = 0;
    const page = await gateway.gql('query($t: ID!) { tenant(id: $t) { users { nodes { id calendars { name } } } } }', { t: ours.tenant.id }, { key: token });
    const nodes: Array<{ id: string; calendars: unknown }> = page.data.tenant.users.nodes;
    expect(nodes.find((node) => node.id === adele)?.calendars).toEqual(expect.any(Array));
    for (const node of nodes.filter((user) => user.id !== adele)) expect(node.calendars).toBeNull();
    expect(page.errors).toHaveLength(nodes.length - 1);
    expect(page.errors!.every((error) => error.extensions.code === 'FORBIDDEN')).toBe(true);
    const calendarReads = fake.batchItemLog.filter((item) => item.url.includes('/calendars'));
    expect(calendarReads.length).toBeGreaterThan(0);
    expect(calendarReads.every((item) => item.url.includes(adele))).toBe(true);

    fake.batchItemLog.length = 0;
    const looked = await gateway.gql('query($t: ID!, $u: ID!) { tenant(id: $t) { user(id: $u) { displayName calendars { name } } } }', { t: ours.tenant.id, u: bianca }, { key: token });
    expect(looked.data.tenant.user).toEqual({ displayName: expect.any(String), calendars: null });
    expect(looked.errors?.[0]).toMatchObject({ path: ['tenant', 'user', 'calendars'], extensions: { code: 'FORBIDDEN' } });
    expect(fake.batchItemLog.filter((item) => item.url.includes('/calendars'))).toEqual([]);
  });

  it('never reaches raw tokens, admin fields or minting, and the rest of the answer stands', async () => {
    const token = await mintClientToken(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_DIRECTORY', 'READ_CALENDARS', 'READ_SCHEDULES', 'WRITE_EVENTS'] });
    const tokenRequests = fake.counters.tokenRequests;
    const { result, calls } = await callsToMicrosoftDuring(() =>
      gateway.gql('query($t: ID!) { tenant(id: $t) { displayName accessToken { token } } }', { t: ours.tenant.id }, { key: token }),
    );
    expect(calls).toBe(0);
    expect(fake.counters.tokenRequests).toBe(tokenRequests);
    expect(result.data.tenant).toEqual({ displayName: ours.tenant.displayName, accessToken: null });
    expect(result.errors?.[0]).toMatchObject({ path: ['tenant', 'accessToken'], extensions: { code: 'FORBIDDEN' } });

    const again = await mintAnswer(gateway, { tenantId: ours.tenant.id, capabilities: ['READ_DIRECTORY'] }, token);
    expect(again.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(again.data).toBeNull();
  });
});

describe('tokens that are not good', () => {
  const VIEWER = '{ viewer { userId } }';

  async function expectRefused(token: string, message: RegExp) {
    const { result, calls } = await callsToMicrosoftDuring(() => postGraphql(gateway, VIEWER, { bearer: token }));
    expect(calls).toBe(0);
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(JSON.stringify(result.errors)).not.toContain(token.split('.')[2] || token.split('.')[1]);
  }

  let good: string;
  beforeAll(async () => {
    good = await mintClientToken(gateway, { tenantId: ours.tenant.id, userId: adele, capabilities: ['READ_CALENDARS'], ttlSeconds: 60 });
  });

  it('refuses an altered token: another tenant, more capabilities, another user', async () => {
    await expectRefused(alterPayload(good, { sub: theirs.tenant.id }), /altered, or not signed by this gateway/);
    await expectRefused(alterPayload(good, { cap: ['READ_CALENDARS', 'WRITE_EVENTS'] }), /altered/);
    await expectRefused(alterPayload(good, { usr: bianca }), /altered/);
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused(await resignToken(gateway, good, { iat: past - 60, exp: past }), /expired at .*ask your backend for a new one/);
  });

  it('refuses a token signed with another key, an unsigned one, and one living longer than any the gateway mints', async () => {
    await expectRefused(await resignToken(gateway, good, {}, anotherKey()), /not signed by this gateway/);
    await expectRefused(unsignedToken(good), /not signed by this gateway/);
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await resignToken(gateway, good, { iat: now, exp: now + 7200 }), /not valid/);
  });

  it('refuses every token of the tenant issued before revokeClientTokens, and only that tenant\'s; tokens minted afterwards work', async () => {
    const revoking = await consentedTenant(gateway, fake, { users: 2 });
    const leaked = await mintClientToken(gateway, { tenantId: revoking.tenant.id, capabilities: ['READ_DIRECTORY'] });
    const otherTenants = await mintClientToken(gateway, { tenantId: theirs.tenant.id, capabilities: ['READ_DIRECTORY'] });
    expect((await gateway.gql(VIEWER, undefined, { key: leaked })).errors).toBeUndefined();

    const revoked = await gateway.gql('mutation($t: ID!) { revokeClientTokens(tenantId: $t) }', { t: revoking.tenant.id });
    expect(revoked.errors).toBeUndefined();
    const notBefore = revoked.data.revokeClientTokens as string;
    await expectRefused(leaked, new RegExp(`revoked at ${notBefore.replace(/\./g, '\\.')} \\(revokeClientTokens\\); ask your backend for a new one`));
    const tenant = await gateway.gql('query($t: ID!) { tenant(id: $t) { clientTokensNotBefore } }', { t: revoking.tenant.id });
    expect(tenant.data.tenant.clientTokensNotBefore).toBe(notBefore);

    // Minted in the same second as the revocation, or later: not taken for a revoked token.
    const fresh = await mintClientToken(gateway, { tenantId: revoking.tenant.id, capabilities: ['READ_DIRECTORY'] });
    expect(decodeJwt(fresh).iat! * 1000).toBeGreaterThanOrEqual(Date.parse(notBefore));
    expect((await gateway.gql(VIEWER, undefined, { key: fresh })).errors).toBeUndefined();
    // The rule is the token's issue time: the same token said to be issued a second earlier is refused.
    const iat = Date.parse(notBefore) / 1000 - 1;
    await expectRefused(await resignToken(gateway, fresh, { iat, exp: iat + 900 }), /revoked at/);
    expect((await gateway.gql(VIEWER, undefined, { key: otherTenants })).errors).toBeUndefined();
    expect(await refusalCount('revoked')).toBeGreaterThanOrEqual(2);

    const unknown = await gateway.gql('mutation { revokeClientTokens(tenantId: "00000000-0000-4000-8000-00000000dead") }');
    expect(unknown.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("refuses one user's tokens after revokeClientTokens(userId), and no one else's", async () => {
    const revoking = await consentedTenant(gateway, fake, { users: 2 });
    const [first, second] = revoking.organisation.users.map((user) => user.id) as [string, string];
    const mint = (userId?: string) => mintClientToken(gateway, { tenantId: revoking.tenant.id, ...(userId ? { userId } : {}), capabilities: ['READ_DIRECTORY'] });
    const [firstsToken, secondsToken, tenantWide] = [await mint(first), await mint(second), await mint()];

    // The user as Graph spells it, in upper case: ids are compared as Graph compares them.
    const revoked = await gateway.gql('mutation($t: ID!, $u: ID) { revokeClientTokens(tenantId: $t, userId: $u) }', { t: revoking.tenant.id, u: first.toUpperCase() });
    expect(revoked.errors).toBeUndefined();
    await expectRefused(firstsToken, /revoked at .*ask your backend for a new one/);
    for (const untouched of [secondsToken, tenantWide]) expect((await gateway.gql(VIEWER, undefined, { key: untouched })).errors).toBeUndefined();
    expect((await gateway.gql(VIEWER, undefined, { key: await mint(first) })).data.viewer.userId).toBe(first);
    const tenant = await gateway.gql('query($t: ID!) { tenant(id: $t) { clientTokensNotBefore } }', { t: revoking.tenant.id });
    expect(tenant.data.tenant.clientTokensNotBefore).toBeNull();

    const { result, calls } = await callsToMicrosoftDuring(() =>
      postGraphql(gateway, 'mutation($t: ID!) { revokeClientTokens(tenantId: $t, userId: "adele@contoso.example") }', { bearer: gateway.adminKey, variables: { t: revoking.tenant.id } }),
    );
    expect(calls).toBe(0);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/userId must be the user's Graph id/), extensions: { code: 'BAD_USER_INPUT', field: 'userId' } });
    expect((await gateway.gql(VIEWER, undefined, { key: secondsToken })).errors).toBeUndefined();
  });

  it("stops every token of a tenant at once when the tenant is removed, and a new consent does not bring them back", async () => {
    const leaving = await consentedTenant(gateway, fake, { users: 2 });
    const token = await mintClientToken(gateway, { tenantId: leaving.tenant.id, capabilities: ['READ_DIRECTORY'] });
    expect((await gateway.gql(VIEWER, undefined, { key: token })).errors).toBeUndefined();
    expect((await gateway.gql('mutation($id: ID!) { removeTenant(id: $id) }', { id: leaving.tenant.id })).data.removeTenant).toBe(true);
    await expectRefused(token, /its tenant was removed/);

    await adminConsents(gateway, fake, leaving.connector.id, leaving.organisation.tenantId);
    await expectRefused(token, /its tenant was removed/);
  });
});

const refusalCount = (reason: string) => metricValue(gateway, `xkit_client_token_refusals_total{reason="${reason}"}`);
