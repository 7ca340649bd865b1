import type { EntityLoaders } from './entity-loaders';
import type { GraphLoaders } from './microsoft/graph-loaders';

/** Per-request GraphQL context. */
export interface GatewayContext {
  requestId: string;
  /** the id of the API key that authenticated the request, or null */
  apiKeyId: string | null;
  /** DataLoaders for Graph, one set per tenant, made on first use and dropped with the request */
  graphLoaders: Map<string, GraphLoaders>;
  loaders: EntityLoaders;
}
