import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser } from '../fake-microsoft';
import { requestFake } from '../fake-microsoft/graph-test-client';

/**
 * The fake Microsoft must be good enough that the real @azure/msal-node takes tokens from it, and
 * faithful enough (paging, $batch, errors) that a gateway passing against it works against Graph.
 */

const CLIENT_ID = '3f1d2c8e-6b7a-4c1e-9d2f-0a1b2c3d4e5f';
const CLIENT_SECRET = 'fake~secret.value_123';
const REDIRECT_URI = 'https://gateway.example.com/consent/callback';
const REQUIRED_ROLES = ['Directory.Read.All', 'Calendars.Read'];
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

let fake: FakeMicrosoft;
let ca: string;
let contoso: { tenantId: string; users: FakeUser[] };
let manyCalendars: FakeUser;
let token: string;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  ca = readFileSync(fake.caCertPath, 'utf8');
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, displayName: 'Xkit', redirectUris: [REDIRECT_URI], requiredRoles: REQUIRED_ROLES });
  const users: Partial<FakeUser>[] = Array.from({ length: 250 }, (_, index) => (index === 3 ? { calendarCount: 25 } : {}));
  contoso = fake.addTenant({ displayName: 'Contoso', users });
  manyCalendars = contoso.users[3];
  fake.grantConsent(contoso.tenantId, CLIENT_ID);
  token = await appToken(contoso.tenantId);
});

afterAll(() => fake.stop());

beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.setConsentAnswer(null);
});

describe('identity platform, driven by the real msal-node', () => {
  it('issues an app token carrying the granted roles, and msal serves the second call from its cache', async () => {
    const [first, second] = await msal({ tenantId: contoso.tenantId, calls: [contoso.tenantId, contoso.tenantId] });
    expect(first).toMatchObject({ fromCache: false });
    expect(second).toMatchObject({ fromCache: true });
    expect(claimsOf(first.accessToken)).toMatchObject({ tid: contoso.tenantId, appid: CLIENT_ID, roles: REQUIRED_ROLES, idtyp: 'app', ver: '1.0' });
    expect(fake.counters).toMatchObject({ discoveryRequests: 1, instanceDiscoveryRequests: 0, tokenRequests: 1 });
  });

  it('lets one msal client take tokens for several tenants through the per-request authority', async () => {
    const fabrikam = fake.addTenant({ displayName: 'Fabrikam', users: 3 });
    fake.grantConsent(fabrikam.tenantId, CLIENT_ID, ['Calendars.Read']);
    const [forContoso, forFabrikam] = await msal({ tenantId: contoso.tenantId, calls: [contoso.tenantId, fabrikam.tenantId] });
    expect(claimsOf(forContoso.accessToken).tid).toBe(contoso.tenantId);
    expect(claimsOf(forFabrikam.accessToken)).toMatchObject({ tid: fabrikam.tenantId, roles: ['Calendars.Read'] });
  });

  it('lets a 301 s token go stale for msal within seconds, since msal expires tokens 300 s early', async () => {
    fake.faults.tokenLifetimeSeconds = 301;
    const results = await msal({ tenantId: contoso.tenantId, calls: [contoso.tenantId, contoso.tenantId, contoso.tenantId], pauseBeforeLastMs: 2100 });
    expect(results.map((result) => result.fromCache)).toEqual([false, true, false]);
    expect(fake.counters.tokenRequests).toBe(2);
  });

  it('refuses a wrong secret with invalid_client 7000215', async () => {
    const [result] = await msal({ tenantId: contoso.tenantId, calls: [contoso.tenantId], secret: 'not-the-secret' });
    expect(result.error).toMatchObject({ name: 'ServerError', errorCode: 'invalid_client', errorNo: 7000215, status: 401 });
  });

  it('answers 700016 once consent is revoked, and a configured tokenFailure as given', async () => {
    const northwind = fake.addTenant({ displayName: 'Northwind', users: 2 });
    fake.grantConsent(northwind.tenantId, CLIENT_ID);
    fake.revokeConsent(northwind.tenantId, CLIENT_ID);
    const [revoked] = await msal({ tenantId: northwind.tenantId, calls: [northwind.tenantId] });
    expect(revoked.error).toMatchObject({ errorCode: 'unauthorized_client', errorNo: 700016, status: 400 });
    expect(revoked.error.errorMessage).toContain("was not found in the directory 'Northwind'");

    fake.faults.tokenFailure = { status: 400, error: 'invalid_request', aadsts: 7000112, description: 'Application is disabled.' };
    const [failed] = await msal({ tenantId: contoso.tenantId, calls: [contoso.tenantId] });
    expect(failed.error).toMatchObject({ errorCode: 'invalid_request', errorNo: 7000112, status: 400 });
  });

  it('validates the token request like Entra: tenant, scope, grant type; HTTP Basic is accepted', async () => {
    const post = (tenant: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      request('POST', `/${tenant}/oauth2/v2.0/token`, { body: new URLSearchParams(fields).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
    const valid = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: GRAPH_SCOPE };
    const unknownTenant = await post('11111111-2222-4333-8444-555555555555', valid);
    expect(unknownTenant).toMatchObject({ status: 400, json: { error: 'invalid_tenant', error_codes: [90002] } });
    expect(unknownTenant.json.error_description).toMatch(/^AADSTS90002: .*\r\nTrace ID: .*\r\nCorrelation ID: .*\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s);
    expect(await post('not a tenant', valid)).toMatchObject({ status: 400, json: { error: 'invalid_request', error_codes: [900023] } });
    expect(await post(contoso.tenantId, { ...valid, scope: 'User.Read' })).toMatchObject({ status: 400, json: { error: 'invalid_scope', error_codes: [1002012] } });
    expect(await post(contoso.tenantId, { ...valid, grant_type: 'password' })).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
    expect(await post(contoso.tenantId, { ...valid, client_id: 'b0000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 400, json: { error: 'unauthorized_client', error_codes: [700016] } });

    const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64');
    const viaBasic = await post('contoso.onmicrosoft.com', { grant_type: 'client_credentials', scope: GRAPH_SCOPE }, { Authorization: `Basic ${basic}` });
    expect(viaBasic).toMatchObject({ status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 } });
    expect(claimsOf(viaBasic.json.access_token).tid).toBe(contoso.tenantId);
    expect(fake.counters.tokenRequests).toBe(6);
    expect(fake.counters.byRoute['POST /token']).toBe(6);
  });
});

describe('admin consent page', () => {
  const consentPath = (tenant: string, overrides: Record<string, string> = {}) =>
    `/${tenant}/v2.0/adminconsent?${new URLSearchParams({ client_id: CLIENT_ID, scope: GRAPH_SCOPE, redirect_uri: REDIRECT_URI, state: 's t&1', ...overrides })}`;

  it('records the grant and redirects with the tenant, the granted scopes and the state', async () => {
    const woodgrove = fake.addTenant({ displayName: 'Woodgrove', users: 1 });
    const page = await request('GET', consentPath(woodgrove.tenantId));
    expect(page.status).toBe(302);
    const location = page.headers.location as string;
    expect(location.startsWith(`${REDIRECT_URI}?admin_consent=True&tenant=${woodgrove.tenantId}&scope=https%3a%2f%2fgraph.microsoft.com%2f`)).toBe(true);
    const query = new URL(location).searchParams;
    expect(query.get('scope')).toBe('https://graph.microsoft.com/Directory.Read.All https://graph.microsoft.com/Calendars.Read');
    expect(query.get('state')).toBe('s t&1');
    expect(fake.counters.consentPageVisits).toBe(1);
    expect((await appTokenResponse(woodgrove.tenantId)).status).toBe(200);
  });

  it('redirects a cancelled consent with access_denied and no tenant', async () => {
    fake.setConsentAnswer({ error: 'access_denied' });
    const page = await request('GET', consentPath('organizations'));
    const query = new URL(page.headers.location as string).searchParams;
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('error_description')).toMatch(/^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: /);
    expect(query.get('admin_consent')).toBe('True');
    expect(query.has('tenant')).toBe(false);

    fake.setConsentAnswer({ error: 'consent_required' });
    const refused = new URL((await request('GET', consentPath('organizations'))).headers.location as string).searchParams;
    expect(refused.get('error')).toBe('consent_required');
  });

  it('stops on an error page for an unknown client, an unregistered redirect URI or a wrong scope', async () => {
    const unknownClient = await request('GET', consentPath('organizations', { client_id: 'c0000000-0000-4000-8000-000000000000' }));
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.text).toContain('AADSTS700016');
    expect((await request('GET', consentPath('organizations', { redirect_uri: 'https://evil.example.com/cb' }))).text).toContain('AADSTS50011');
    expect((await request('GET', consentPath('organizations', { scope: 'Calendars.Read' }))).text).toContain('AADSTS70011');
  });
});

describe('Graph v1.0', () => {
  it('pages /users with an absolute nextLink that keeps $select and $top', async () => {
    const seen: Record<string, unknown>[] = [];
    let next: string | undefined = `/v1.0/users?$select=displayName,mail&$top=100`;
    while (next) {
      const page = await graph('GET', next);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
      seen.push(...page.json.value);
      next = page.json['@odata.nextLink'];
      if (next) expect(next).toMatch(new RegExp(`^${fake.url}/v1\\.0/users\\?\\$select=displayName,mail&\\$top=100&\\$skiptoken=`));
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((user) => user.id)).size).toBe(250);
    expect(Object.keys(seen[0]).sort()).toEqual(['displayName', 'id', 'mail']);
    expect(seen[16]).toEqual({ displayName: expect.stringMatching(/ 17$/), mail: 'user17@contoso.onmicrosoft.com', id: contoso.users[16].id });
    expect(fake.counters.byRoute['GET /users']).toBe(3);
  });

  it('rejects $top=1000, a forged $skiptoken, an unknown user and an unknown route with Graph\'s codes', async () => {
    const tooBig = await graph('GET', '/v1.0/users?$top=1000');
    expect(tooBig).toMatchObject({ status: 400, json: { error: { code: 'Request_UnsupportedQuery', message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive." } } });
    expect(tooBig.json.error.innerError).toEqual({ date: expect.any(String), 'request-id': tooBig.headers['request-id'], 'client-request-id': expect.any(String) });
    expect((await graph('GET', '/v1.0/users?$skiptoken=RFNwdAIAAQAAAgarbage')).status).toBe(400);
    expect((await graph('GET', '/v1.0/users/00000000-0000-4000-8000-000000000000')).json.error.code).toBe('Request_ResourceNotFound');
    expect((await graph('GET', '/v1.0/users/00000000-0000-4000-8000-000000000000/calendars')).json.error.code).toBe('ErrorInvalidUser');
    expect(await graph('GET', '/v1.0/groups')).toMatchObject({ status: 404, json: { error: { code: 'ResourceNotFound', message: 'Resource could not be discovered.' } } });
  });

  it('answers 401 for a missing, garbage, expired or invalidated token', async () => {
    expect((await request('GET', '/v1.0/users')).json.error.code).toBe('InvalidAuthenticationToken');
    expect((await graph('GET', '/v1.0/users', { token: 'garbage' })).json.error.message).toBe('CompactToken parsing failed with error code: 80049217');
    fake.faults.tokenLifetimeSeconds = 0;
    const expired = await graph('GET', '/v1.0/users', { token: await appToken(contoso.tenantId) });
    expect(expired).toMatchObject({ status: 401, json: { error: { message: 'Access token has expired or is not yet valid.' } } });

    const litware = fake.addTenant({ displayName: 'Litware', users: 1 });
    fake.grantConsent(litware.tenantId, CLIENT_ID);
    fake.resetFaults();
    const litwareToken = await appToken(litware.tenantId);
    fake.revokeConsent(litware.tenantId, CLIENT_ID);
    expect((await graph('GET', '/v1.0/organization', { token: litwareToken })).status).toBe(200);
    fake.revokeConsent(litware.tenantId, CLIENT_ID, { invalidateIssuedTokens: true });
    expect((await graph('GET', '/v1.0/organization', { token: litwareToken })).status).toBe(401);
  });

  it('checks the token roles per route', async () => {
    const tailspin = fake.addTenant({ displayName: 'Tailspin', users: 2 });
    fake.grantConsent(tailspin.tenantId, CLIENT_ID, ['Calendars.Read']);
    const calendarsOnly = await appToken(tailspin.tenantId);
    expect((await graph('GET', '/v1.0/users', { token: calendarsOnly })).json.error.code).toBe('Authorization_RequestDenied');
    expect((await graph('GET', `/v1.0/users/${tailspin.users[0].id}/calendars`, { token: calendarsOnly })).status).toBe(200);
    fake.grantConsent(tailspin.tenantId, CLIENT_ID, ['Directory.Read.All']);
    const directoryOnly = await appToken(tailspin.tenantId);
    const organization = await graph('GET', '/v1.0/organization', { token: directoryOnly });
    expect(organization.json.value[0]).toMatchObject({ id: tailspin.tenantId, displayName: 'Tailspin', tenantType: 'AAD' });
    expect((await graph('GET', `/v1.0/users/${tailspin.users[0].id}/calendars`, { token: directoryOnly })).json.error.code).toBe('ErrorAccessDenied');
  });

  it('pages calendars with $skip, the default calendar first', async () => {
    const names: string[] = [];
    let next: string | undefined = `/v1.0/users/${manyCalendars.id}/calendars`;
    while (next) {
      const page = await graph('GET', next);
      names.push(...page.json.value.map((calendar: { name: string }) => calendar.name));
      next = page.json['@odata.nextLink'];
    }
    expect(names).toHaveLength(25);
    expect(names[0]).toBe('Calendar');
    const first = await graph('GET', `/v1.0/users/${manyCalendars.userPrincipalName}/calendars?$top=1`);
    expect(first.json.value[0]).toMatchObject({ isDefaultCalendar: true, owner: { name: manyCalendars.displayName, address: manyCalendars.mail } });
    expect(first.json['@odata.nextLink']).toBe(`${fake.url}/v1.0/users/${manyCalendars.userPrincipalName}/calendars?$top=1&$skip=1`);
  });

  it('generates the same events per day for a calendarView, paged by 10', async () => {
    const user = contoso.users[0];
    const window = 'startDateTime=2025-01-06T00:00:00Z&endDateTime=2025-01-13T00:00:00Z';
    const first = await graph('GET', `/v1.0/users/${user.id}/calendarView?${window}`);
    expect(first.json.value).toHaveLength(10);
    expect(first.json.value[0].start).toEqual({ dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'UTC' });
    expect(first.json.value[1].start.dateTime).toBe('2025-01-06T14:00:00.0000000');
    expect(first.json['@odata.nextLink']).toBe(`${fake.url}/v1.0/users/${user.id}/calendarView?${window}&$skip=10`);
    const rest = await graph('GET', first.json['@odata.nextLink']);
    expect(rest.json.value).toHaveLength(4);
    expect(rest.json['@odata.nextLink']).toBeUndefined();
    expect((await graph('GET', `/v1.0/users/${user.id}/calendarView?${window}`)).json).toEqual(first.json);
    expect(await graph('GET', `/v1.0/users/${user.id}/calendarView`)).toMatchObject({ status: 400, json: { error: { code: 'ErrorInvalidParameter' } } });
  });

  it('throttles and fails top-level requests on demand', async () => {
    fake.faults.throttleGraphRequests = { count: 1, retryAfterSeconds: 7 };
    fake.faults.failGraphRequests = { count: 1, status: 503 };
    const throttled = await graph('GET', '/v1.0/organization');
    expect(throttled).toMatchObject({ status: 429, json: { error: { code: 'TooManyRequests' } } });
    expect(throttled.headers['retry-after']).toBe('7');
    expect((await graph('GET', '/v1.0/organization')).status).toBe(503);
    expect((await graph('GET', '/v1.0/organization')).status).toBe(200);
  });

  it('starts a 1,000-user tenant without generating its mailboxes', () => {
    const started = Date.now();
    const large = fake.addTenant({ displayName: 'Large Org', users: 1000 });
    expect(large.users).toHaveLength(1000);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('Graph $batch', () => {
  const calendarsBatch = (users: FakeUser[]) => ({ requests: users.map((user, index) => ({ id: String(index + 1), method: 'GET', url: `/users/${user.id}/calendars` })) });

  it('rejects 21 requests or duplicate ids with 400 and runs nothing', async () => {
    expect(await graph('POST', '/v1.0/$batch', { json: calendarsBatch(contoso.users.slice(0, 21)) })).toMatchObject({ status: 400, json: { error: { code: 'BadRequest' } } });
    const duplicate = { requests: [{ id: '1', method: 'GET', url: '/organization' }, { id: '1', method: 'GET', url: 'organization' }] };
    expect((await graph('POST', '/v1.0/$batch', { json: duplicate })).status).toBe(400);
    expect(fake.counters).toMatchObject({ graphRequests: 2, batchRequests: 2, batchItems: 0 });
  });

  it('answers 20 items in a different order, each correlated by id', async () => {
    const users = contoso.users.slice(0, 20);
    const batch = await graph('POST', '/v1.0/$batch', { json: calendarsBatch(users) });
    expect(batch.status).toBe(200);
    const responses: { id: string; status: number; body: any }[] = batch.json.responses;
    expect(responses.map((item) => item.id)).not.toEqual(users.map((_, index) => String(index + 1)));
    for (const item of responses) {
      const user = users[Number(item.id) - 1];
      expect(item.status).toBe(200);
      expect(item.body.value[0].owner.address).toBe(user.mail);
    }
    expect(fake.counters).toMatchObject({ graphRequests: 1, batchRequests: 1, batchItems: 20 });
    expect(fake.counters.byRoute).toEqual({ 'POST /$batch': 1, 'batch GET /users/{id}/calendars': 20 });
  });

  it('throttles single items with Retry-After in their headers, and fails forbidden or mailbox-less users per item', async () => {
    const users = contoso.users.slice(0, 6);
    fake.faults.throttleBatchItems = { count: 2, retryAfterSeconds: 3 };
    fake.faults.forbiddenUsers.add(users[4].id);
    fake.faults.mailboxDisabledUsers.add(users[5].id);
    const batch = await graph('POST', '/v1.0/$batch', { json: calendarsBatch(users) });
    const byId = new Map<string, { status: number; headers: Record<string, string>; body: any }>(batch.json.responses.map((item: any) => [item.id, item]));
    expect([1, 2, 3, 4, 5, 6].map((id) => byId.get(String(id))!.status)).toEqual([429, 429, 200, 200, 403, 404]);
    expect(byId.get('1')!.headers['Retry-After']).toBe('3');
    expect(byId.get('5')!.body.error.code).toBe('ErrorAccessDenied');
    expect(byId.get('6')!.body.error.code).toBe('MailboxNotEnabledForRESTAPI');
    expect(fake.faults.throttleBatchItems).toEqual({ count: 0, retryAfterSeconds: 3 });
  });

  it('gives items absolute nextLinks and accepts urls without a leading slash', async () => {
    const batch = await graph('POST', '/v1.0/$batch', { json: { requests: [{ id: 'a', method: 'GET', url: `users/${manyCalendars.id}/calendars?$top=5` }] } });
    expect(batch.json.responses[0].body['@odata.nextLink']).toBe(`${fake.url}/v1.0/users/${manyCalendars.id}/calendars?$top=5&$skip=5`);
  });
});

// ---- helpers ----

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function request(method: string, pathOrUrl: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  return requestFake(fake.url, ca, method, pathOrUrl, options);
}

function graph(method: string, pathOrUrl: string, options: { token?: string; json?: unknown } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? token}` };
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  return request(method, pathOrUrl, { headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
}

function appTokenResponse(tenantId: string): Promise<HttpAnswer> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: GRAPH_SCOPE }).toString();
  return request('POST', `/${tenantId}/oauth2/v2.0/token`, { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

async function appToken(tenantId: string): Promise<string> {
  const answer = await appTokenResponse(tenantId);
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
  return answer.json.access_token;
}

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * Runs msal-node in a child process, because NODE_EXTRA_CA_CERTS (how the gateway trusts the
 * fake) is read only at start-up. One ConfidentialClientApplication takes a token per entry of
 * `calls`, each with that tenant as the request authority, optionally pausing before the last.
 */
async function msal(scenario: { tenantId: string; calls: string[]; secret?: string; pauseBeforeLastMs?: number }): Promise<any[]> {
  const script = `
    const { ConfidentialClientApplication } = require('@azure/msal-node');
    const input = JSON.parse(process.env.MSAL_SCENARIO);
    const client = new ConfidentialClientApplication({
      auth: { clientId: input.clientId, clientSecret: input.secret, authority: input.url + '/' + input.tenantId, knownAuthorities: [new URL(input.url).host] },
    });
    (async () => {
      const results = [];
      for (const [index, tenant] of input.calls.entries()) {
        if (index === input.calls.length - 1) await new Promise((resolve) => setTimeout(resolve, input.pauseBeforeLastMs));
        try {
          const result = await client.acquireTokenByClientCredential({ scopes: [input.scope], authority: input.url + '/' + tenant });
          results.push({ accessToken: result.accessToken, fromCache: result.fromCache });
        } catch (error) {
          results.push({ error: { name: error.name, errorCode: error.errorCode, errorNo: error.errorNo, status: error.status, errorMessage: error.errorMessage } });
        }
      }
      process.stdout.write(JSON.stringify(results));
    })();
  `;
  const input = { url: fake.url, clientId: CLIENT_ID, secret: scenario.secret ?? CLIENT_SECRET, scope: GRAPH_SCOPE, tenantId: scenario.tenantId, calls: scenario.calls, pauseBeforeLastMs: scenario.pauseBeforeLastMs ?? 0 };
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, NODE_EXTRA_CA_CERTS: fake.caCertPath, MSAL_SCENARIO: JSON.stringify(input) },
  });
  return JSON.parse(stdout);
}
