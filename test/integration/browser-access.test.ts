import { existsSync } from 'node:fs';
import http from 'node:http';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { mintClientToken, postGraphql } from './client-access';
import { GatewayProcess, freePort, gatewaySettings, logLine, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** A browser app on an allowed origin calls the gateway with a client token; others cannot; each subject is rate limited. */

const APP = 'https://app.example.com';
const RATE_LIMIT = 4;

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let setup: Awaited<ReturnType<typeof consentedTenant>>;
/** a local page server standing for the SaaS's frontend, reachable as two origins */
let appServer: http.Server;
let appPort: number;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  appPort = await freePort();
  appServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>SaaS app</title>'));
  await new Promise<void>((ready) => appServer.listen(appPort, '127.0.0.1', ready));
  gateway = await startGateway(await gatewaySettings(fake), {
    XKIT_CORS_ORIGINS: `${APP}, http://127.0.0.1:${appPort}/`,
    XKIT_CLIENT_RATE_LIMIT: String(RATE_LIMIT),
    // Refusals are logged at info: this file reads those lines.
    LOG_LEVEL: 'info',
  });
  setup = await consentedTenant(gateway, fake, { users: 3 });
});
afterAll(async () => {
  await gateway?.stop();
  await new Promise((done) => appServer?.close(done));
  await fake?.stop();
});

const preflight = (origin: string) =>
  fetch(`${gateway.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

describe('CORS on /graphql', () => {
  it('answers a preflight from an allowed origin with what a browser needs to send a token and JSON', async () => {
    const answer = await preflight(APP);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')?.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight']));
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives another origin no allow header, on the preflight or the request', async () => {
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const request = await postGraphql(gateway, '{ catalog { name } }', { headers: { origin: 'https://app.example.com.evil.example.net' } });
    expect(request.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the allowed origin read the answer and the headers a frontend needs', async () => {
    const token = await mintClientToken(gateway, { tenantId: setup.tenant.id, capabilities: ['READ_DIRECTORY'] });
    const answer = await postGraphql(gateway, '{ viewer { tenant { displayName } } }', { bearer: token, headers: { origin: APP } });
    expect(answer.data.viewer.tenant.displayName).toBe(setup.tenant.displayName);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answer.headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['retry-after', 'x-request-id']));
  });

  it("keeps Apollo's CSRF prevention: a request a page could send without a preflight is refused", async () => {
    const simplePost = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://evil.example.net' }, body: '{"query":"{ viewer { userId } }"}' });
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toMatch(/Cross-Site Request Forgery/);
    const simpleGet = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('{ catalog { name } }')}`);
    expect(simpleGet.status).toBe(400);
  });
});

// A real browser proves the allowed headers suffice; CI machines without Chromium skip it.
const chromium = process.env.XKIT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const describeWithBrowser = existsSync(chromium) ? describe : describe.skip;

describeWithBrowser('a real browser', () => {
  it('calls the gateway with a client token from the allowed origin, and is kept from the answer on another', async () => {
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const token = await mintClientToken(gateway, { tenantId: setup.tenant.id, capabilities: ['READ_DIRECTORY'] });
      const callFrom = async (origin: string) => {
        const page = await browser.newPage();
        await page.goto(`${origin}/`);
        return page.evaluate(
          async ({ url, token, tenantId }) => {
            try {
              const response = await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify({ query: 'query($t: ID!) { tenant(id: $t) { users { nodes { displayName } } } }', variables: { t: tenantId } }),
              });
              return { status: response.status, body: await response.json() };
            } catch (error) {
              return { failed: String(error) };
            }
          },
          { url: `${gateway.url}/graphql`, token, tenantId: setup.tenant.id },
        );
      };
      const allowed = await callFrom(`http://127.0.0.1:${appPort}`);
      expect(allowed).toMatchObject({ status: 200, body: { data: { tenant: { users: { nodes: expect.any(Array) } } } } });
      expect((allowed as any).body.data.tenant.users.nodes).toHaveLength(3);
      expect(await callFrom(`http://localhost:${appPort}`)).toEqual({ failed: expect.stringMatching(/Failed to fetch/) });
    } finally {
      await browser.close();
    }
  });
});

describe('rate limits per client-token subject', () => {
  const USERS = 'query($t: ID!) { tenant(id: $t) { users { nodes { id } } } }';

  // A tenant of its own, so that no other test's requests count.
  let limitedTenant: Awaited<ReturnType<typeof consentedTenant>>;
  beforeAll(async () => {
    limitedTenant = await consentedTenant(gateway, fake, { users: 2 });
  });

  it('answers 429 with Retry-After and RATE_LIMITED past the limit for that tenant and user, before calling Microsoft', async () => {
    const { tenant, organisation } = limitedTenant;
    const [first, second] = organisation.users;
    const token = await mintClientToken(gateway, { tenantId: tenant.id, userId: first!.id, capabilities: ['READ_DIRECTORY'] });
    for (let request = 0; request < RATE_LIMIT; request++) {
      expect((await postGraphql(gateway, USERS, { bearer: token, variables: { t: tenant.id } })).errors).toBeUndefined();
    }
    const calls = fake.requestLog.length;
    const limited = await postGraphql(gateway, USERS, { bearer: token, variables: { t: tenant.id }, headers: { origin: APP } });
    expect(fake.requestLog.length).toBe(calls);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('access-control-allow-origin')).toBe(APP);
    expect(limited.data).toBeUndefined();
    expect(limited.errors).toEqual([
      { message: expect.stringMatching(new RegExp(`limit is ${RATE_LIMIT} a minute. Try again in ${retryAfter} s`)), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } },
    ]);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^xkit_client_token_refusals_total\{reason="rate_limited"\} [1-9]/m);
    const refused = await refusalLine(limited.headers.get('x-request-id'));
    expect(refused).toMatchObject({ level: 'info', code: 'RATE_LIMITED', ip: '127.0.0.1', reason: expect.stringMatching(/limit is 4 a minute/) });
    expect(JSON.stringify(refused)).not.toContain(token.split('.')[2]!);

    // The subject, not the token, is counted: a fresh token for the same user is limited too.
    const fresh = await mintClientToken(gateway, { tenantId: tenant.id, userId: first!.id, capabilities: ['READ_DIRECTORY'] });
    expect((await postGraphql(gateway, '{ viewer { userId } }', { bearer: fresh })).status).toBe(429);
    // Another user of the tenant, and the whole-tenant subject, have their own counts.
    const other = await mintClientToken(gateway, { tenantId: tenant.id, userId: second!.id, capabilities: ['READ_DIRECTORY'] });
    expect((await postGraphql(gateway, '{ viewer { userId } }', { bearer: other })).data.viewer.userId).toBe(second!.id);
    const tenantWide = await mintClientToken(gateway, { tenantId: tenant.id, capabilities: ['READ_DIRECTORY'] });
    expect((await postGraphql(gateway, '{ viewer { userId } }', { bearer: tenantWide })).status).toBe(200);
  });

  it('logs a refused token with the request id and the reason, never the token', async () => {
    const token = await mintClientToken(gateway, { tenantId: setup.tenant.id, capabilities: ['READ_DIRECTORY'] });
    const tampered = `${token.slice(0, -4)}AAAA`;
    const refused = await postGraphql(gateway, '{ viewer { userId } }', { bearer: tampered });
    expect(refused.status).toBe(401);
    const line = await refusalLine(refused.headers.get('x-request-id'));
    expect(line).toMatchObject({ code: 'UNAUTHENTICATED', reason: expect.any(String) });
    expect(gateway.output()).not.toContain(tampered.split('.')[2]!);
  });

  it('does not limit API keys', async () => {
    for (let request = 0; request < RATE_LIMIT * 3; request++) {
      expect((await postGraphql(gateway, '{ viewer { apiKeyRole } }', { bearer: gateway.adminKey })).status).toBe(200);
    }
  });
});

/** The gateway's log line for a request refused before execution (it crosses the child's stdout a moment after the answer). */
function refusalLine(requestId: string | null): Promise<Record<string, unknown>> {
  return logLine(gateway, (entry) => entry.msg === 'graphql request refused' && entry.requestId === requestId);
}
