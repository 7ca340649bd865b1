import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeMicrosoft, FakeTenantOptions } from '../fake-microsoft';
import { GatewayProcess, get, httpsGet } from './harness';

/** The steps a developer takes, written once so tests read as the user's story. */

export const CONNECTOR_FIELDS = `id slug name provider callbackUrl clientId hasClientSecret clientSecretHint scopes status
  availableScopes { name required selected description } catalog { id name description logoUrl published }`;

export interface AzureApp {
  clientId: string;
  clientSecret: string;
}

export async function createConnector(gateway: GatewayProcess, input: Record<string, unknown> = {}) {
  const result = await gateway.gql(
    `mutation($input: CreateConnectorInput!) { createConnector(input: $input) { ${CONNECTOR_FIELDS} } }`,
    { input: { provider: 'OUTLOOK_CALENDAR_ADMIN', slug: `cal-${randomBytes(4).toString('hex')}`, ...input } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.createConnector;
}

/** Registers the app "in Azure" (the fake) with the gateway's callback URL, then gives the gateway its credentials. */
export async function readyConnector(
  gateway: GatewayProcess,
  fake: FakeMicrosoft,
  options: { scopes?: string[]; requiredRoles?: string[] } = {},
) {
  const connector = await createConnector(gateway);
  const app: AzureApp = { clientId: randomUUID(), clientSecret: `Sx8Q~${randomBytes(24).toString('base64url')}` };
  const scopes = options.scopes ?? ['Directory.Read.All', 'Calendars.Read'];
  fake.registerApp({ ...app, redirectUris: [connector.callbackUrl], requiredRoles: options.requiredRoles ?? scopes });
  const updated = await gateway.gql(
    `mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { ${CONNECTOR_FIELDS} } }`,
    { id: connector.id, input: { ...app, scopes } },
  );
  if (updated.errors) throw new Error(JSON.stringify(updated.errors));
  return { connector: updated.data.updateConnector, app };
}

export async function consentLink(gateway: GatewayProcess, connectorId: string, extra: Record<string, unknown> = {}) {
  const result = await gateway.gql(
    `mutation($connectorId: ID!, $tenantHint: String, $returnTo: String) {
      createConsentLink(connectorId: $connectorId, tenantHint: $tenantHint, returnTo: $returnTo) { url expiresAt } }`,
    { connectorId, ...extra },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.createConsentLink as { url: string; expiresAt: string };
}

/** The admin opens the link, Microsoft (the fake) redirects to the gateway's callback, which answers. */
export async function adminConsents(gateway: GatewayProcess, fake: FakeMicrosoft, connectorId: string, tenantId: string) {
  const link = await consentLink(gateway, connectorId, { tenantHint: tenantId });
  return followConsent(gateway, fake, link.url);
}

/**
 * What the admin's browser does from a consent link on: Microsoft's consent page, the gateway's
 * callback, the sign-in that proves the tenant, and the callback again. Returns the gateway's
 * last answer (its page, or a redirect to returnTo); `hops` are the gateway's answers in order.
 */
export async function followConsent(gateway: GatewayProcess, fake: FakeMicrosoft, url: string) {
  const hops: Array<{ url: string; status: number; location: string | null; body: string }> = [];
  let next = url;
  for (let step = 0; step < 6; step++) {
    const onMicrosoft = next.startsWith(fake.url);
    const answer = onMicrosoft ? await httpsGet(next, fake.caCertPath) : await get(next);
    if (!onMicrosoft) hops.push({ url: next, ...answer });
    const location = answer.status === 302 ? answer.location : null;
    // Stop at Microsoft's own error pages, and once the gateway answers with a page or leaves for returnTo.
    if (!location || (!onMicrosoft && !location.startsWith(fake.url))) return { ...answer, hops };
    next = location;
  }
  throw new Error(`consent from ${url} did not settle`);
}

export const TENANT_FIELDS = 'id microsoftTenantId status displayName grantedScopes missingScopes statusReason consentedAt';

export async function tenantsOf(gateway: GatewayProcess, connectorId: string) {
  const result = await gateway.gql(`query($id: ID) { tenants(connectorId: $id) { ${TENANT_FIELDS} } }`, { id: connectorId });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.tenants as any[];
}

/** A consented tenant with its organisation seeded in the fake (users and rooms as addTenant takes them). */
export async function consentedTenant(
  gateway: GatewayProcess,
  fake: FakeMicrosoft,
  options: { users?: FakeTenantOptions['users']; rooms?: FakeTenantOptions['rooms']; scopes?: string[] } = {},
) {
  const { connector, app } = await readyConnector(gateway, fake, { scopes: options.scopes });
  const organisation = fake.addTenant({ displayName: `Org ${randomBytes(3).toString('hex')}`, users: options.users ?? 5, rooms: options.rooms });
  const answer = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
  if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${answer.body}`);
  const [tenant] = await tenantsOf(gateway, connector.id);
  return { connector, app, organisation, tenant };
}
