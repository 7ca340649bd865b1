import { requestFake } from '../fake-microsoft/graph-test-client';
import { readFileSync } from 'node:fs';
import { startFakeMicrosoft, type FakeMicrosoft, type FakeTenantOptions, type FakeUser } from '../fake-microsoft';

/** Shared by the fake-mailbox tests: a running fake, one consented tenant, and HTTPS helpers that talk to it as the gateway would. */

export const CLIENT_ID = '6a1f0c3e-2b4d-4e5f-8a9b-0c1d2e3f4a5b';
const CLIENT_SECRET = 'mailbox~secret';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const ALL_ROLES = ['User.Read.All', 'Calendars.ReadWrite', 'Place.Read.All', 'MailboxSettings.Read'];

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface Harness {
  fake: FakeMicrosoft;
  tenantId: string;
  users: FakeUser[];
  token: string;
  graph(method: string, pathOrUrl: string, options?: { token?: string; json?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  /** A token for a new tenant with only these roles. */
  tokenWithRoles(roles: string[], tenant?: Omit<FakeTenantOptions, 'displayName'>): Promise<{ token: string; tenantId: string; users: FakeUser[] }>;
}

export async function startHarness(tenant: Omit<FakeTenantOptions, 'displayName'> = {}): Promise<Harness> {
  const fake = await startFakeMicrosoft();
  const ca = readFileSync(fake.caCertPath, 'utf8');
  fake.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ['https://gateway.example.com/cb'], requiredRoles: ALL_ROLES });
  let tenants = 0;

  const request = (method: string, pathOrUrl: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> =>
    requestFake(fake.url, ca, method, pathOrUrl, options);

  const takeToken = async (tenantId: string): Promise<string> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: GRAPH_SCOPE }).toString();
    const answer = await request('POST', `/${tenantId}/oauth2/v2.0/token`, { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
    return answer.json.access_token;
  };

  const addConsentedTenant = async (roles: string[], options: Omit<FakeTenantOptions, 'displayName'>) => {
    const added = fake.addTenant({ displayName: tenants++ === 0 ? 'Contoso' : `Tenant ${tenants}`, ...options });
    fake.grantConsent(added.tenantId, CLIENT_ID, roles);
    return { tenantId: added.tenantId, users: added.users, token: await takeToken(added.tenantId) };
  };

  const main = await addConsentedTenant(ALL_ROLES, tenant);
  const harness: Harness = {
    fake,
    ...main,
    graph: (method, pathOrUrl, options = {}) => {
      const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? harness.token}`, ...options.headers };
      if (options.json !== undefined) headers['Content-Type'] = 'application/json';
      return request(method, pathOrUrl, { headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
    },
    tokenWithRoles: (roles, options = {}) => addConsentedTenant(roles, options),
  };
  return harness;
}

/** All pages of a collection, following @odata.nextLink. */
export async function allPages(harness: Harness, path: string, headers: Record<string, string> = {}): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = path;
  while (next) {
    const page = await harness.graph('GET', next, { headers });
    if (page.status !== 200) throw new Error(`${next}: ${page.status} ${page.text}`);
    items.push(...page.json.value);
    next = page.json['@odata.nextLink'];
  }
  return items;
}
