import type { GatewayContext } from '../context';
import type { GraphClient } from '../microsoft/graph-client';
import { createGraphLoaders, type GraphLoaders } from '../microsoft/graph-loaders';
import type { TenantEntity } from './tenant.entity';
import type { TenantService } from './tenant.service';

/**
 * The tenant's Graph DataLoaders for this GraphQL request, made on first use: every domain's
 * fields (users, calendars, events, schedules, rooms) share them, so sibling fields share
 * `$batch` calls whichever resolver asked.
 */
export function tenantGraphLoaders(graph: GraphClient, tenants: TenantService, tenant: TenantEntity, context: GatewayContext): GraphLoaders {
  let loaders = context.graphLoaders.get(tenant.id);
  if (!loaders) {
    loaders = createGraphLoaders(graph, tenants.access(tenant, context));
    context.graphLoaders.set(tenant.id, loaders);
  }
  return loaders;
}
