import type { Caller } from './access/caller';
import type { EntityLoaders } from './entity-loaders';
import type { GraphLoaders } from './microsoft/graph-loaders';
import type { TenantGraphAccess } from './tenants/tenant-access';

/** Per-request GraphQL context. */
export interface GatewayContext {
  requestId: string;
  /** who sent the request: an API key (with its role), a client token (its tenant, user, capabilities) or nobody */
  caller: Caller;
  /** the id of the API key that authenticated the request; null for a client token or nobody */
  apiKeyId: string | null;
  /** aborts when the request ends (answered, failed, client gone), its deadline passes or the gateway stops */
  signal: AbortSignal;
  /** epoch ms: Graph retries that would wait past it are not made */
  deadline: number;
  /** each tenant's Graph access, built once per request (connector read and secret decrypted once) */
  tenantAccess: Map<string, TenantGraphAccess>;
  /** DataLoaders for Graph, one set per tenant, made on first use and dropped with the request */
  graphLoaders: Map<string, GraphLoaders>;
  loaders: EntityLoaders;
}
