import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeMicrosoft } from '../fake-microsoft';
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
  const microsoft = await httpsGet(link.url, fake.caCertPath);
  if (microsoft.status !== 302 || !microsoft.location) throw new Error(`fake consent page answered ${microsoft.status}: ${microsoft.body}`);
  return get(microsoft.location);
}

export const TENANT_FIELDS = 'id microsoftTenantId status displayName grantedScopes missingScopes statusReason consentedAt';

export async function tenantsOf(gateway: GatewayProcess, connectorId: string) {
  const result = await gateway.gql(`query($id: ID) { tenants(connectorId: $id) { ${TENANT_FIELDS} } }`, { id: connectorId });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.tenants as any[];
}

/** A consented tenant with its organisation seeded in the fake. */
export async function consentedTenant(
  gateway: GatewayProcess,
  fake: FakeMicrosoft,
  options: { users?: number; scopes?: string[] } = {},
) {
  const { connector, app } = await readyConnector(gateway, fake, { scopes: options.scopes });
  const organisation = fake.addTenant({ displayName: `Org ${randomBytes(3).toString('hex')}`, users: options.users ?? 5 });
  const answer = await adminConsents(gateway, fake, connector.id, organisation.tenantId);
  if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${answer.body}`);
  const [tenant] = await tenantsOf(gateway, connector.id);
  return { connector, app, organisation, tenant };
}
