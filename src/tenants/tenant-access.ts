import type { ConnectorEntity } from '../connectors/connector.entity';
import type { AppToken } from '../microsoft/app-token.service';
import type { TenantAccess } from '../microsoft/graph-client';

/** A tenant's Graph access as the domains use it: what the Graph client needs, plus the app token itself. */
export interface TenantGraphAccess extends TenantAccess {
  appToken(options?: { fresh?: boolean }): Promise<AppToken>;
}

/**
 * The unit of work Graph calls belong to: a GraphQL request (its context satisfies this), the
 * consent callback, or a background job. Graph access is built once per scope and cancelled with it.
 */
export interface WorkScope {
  signal?: AbortSignal;
  deadline?: number;
  /** where the scope keeps each tenant's access, so it is built once */
  tenantAccess?: Map<string, TenantGraphAccess>;
  /** loads connectors once per scope */
  loaders?: { connector: { load(id: string): Promise<ConnectorEntity> } };
}
