import type { GatewayProcess } from './harness';
import type { SignedWebhookReceiver } from './signed-webhook-receiver';

/** The webhook steps a SaaS developer takes, written once. */

export const ENDPOINT_FIELDS = 'id url events enabled disabledReason createdAt';
export const DELIVERY_FIELDS = 'id webhookId eventType status attempts lastStatusCode lastError nextAttemptAt createdAt deliveredAt';

/**
 * Local receivers allowed, three attempts with no wait, background work looked at every 50 ms: the
 * operator's own settings, so tests wait for outcomes, never for the wall clock.
 */
export const WEBHOOK_TEST_ENV = { XKIT_WEBHOOK_ALLOW_LOCAL: 'true', XKIT_WEBHOOK_RETRY_SCHEDULE: '0,0,0', XKIT_WORKER_INTERVAL_MS: '50' };

export const TENANT_EVENTS = ['TENANT_CONSENTED', 'TENANT_REVOKED', 'TENANT_ERROR', 'TENANT_PERMISSIONS_CHANGED', 'TENANT_REMOVED'];
export const CALENDAR_EVENTS = ['CALENDAR_EVENT_CREATED', 'CALENDAR_EVENT_UPDATED', 'CALENDAR_EVENT_DELETED'];

/** Registers the receiver's URL and hands it the secret, as the developer would paste it into their app. */
export async function createEndpoint(gateway: GatewayProcess, receiver: SignedWebhookReceiver, events: string[] = TENANT_EVENTS) {
  const result = await gateway.gql(
    `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
    { input: { url: receiver.url, events } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  receiver.secret = result.data.createWebhookEndpoint.secret;
  return result.data.createWebhookEndpoint.endpoint as { id: string; url: string; events: string[]; enabled: boolean };
}

export async function deliveriesOf(gateway: GatewayProcess, endpointId: string): Promise<any[]> {
  const result = await gateway.gql(`{ webhookEndpoints { id deliveries(first: 100) { ${DELIVERY_FIELDS} } } }`);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.webhookEndpoints.find((endpoint: { id: string }) => endpoint.id === endpointId)?.deliveries ?? [];
}

export async function endpointOf(gateway: GatewayProcess, endpointId: string) {
  const result = await gateway.gql(`{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.webhookEndpoints.find((endpoint: { id: string }) => endpoint.id === endpointId);
}

export async function sendTestWebhook(gateway: GatewayProcess, endpointId: string) {
  const result = await gateway.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { ${DELIVERY_FIELDS} } }`, { id: endpointId });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.sendTestWebhook as { id: string; webhookId: string; status: string };
}

/** The gateway's webhooks are delivered by a worker: removes every endpoint so tests sharing a gateway do not hear each other. */
export async function removeEndpoints(gateway: GatewayProcess) {
  const result = await gateway.gql('{ webhookEndpoints { id } }');
  for (const { id } of result.data.webhookEndpoints) await gateway.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id });
}

/** Waits for an outcome the test expects (not a fixed sleep): polls `check` until it returns a value. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
