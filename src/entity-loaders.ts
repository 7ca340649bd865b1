import DataLoader from 'dataloader';
import type { CatalogEntryEntity } from './catalog/catalog-entry.entity';
import type { CatalogService } from './catalog/catalog.service';
import type { ConnectorEntity } from './connectors/connector.entity';
import type { ConnectorService } from './connectors/connector.service';
import type { TenantEntity } from './tenants/tenant.entity';
import type { TenantService } from './tenants/tenant.service';

/** Per-request loaders for the gateway's own rows, so lists of connectors or tenants cost one query per level. */
export interface EntityLoaders {
  connector: DataLoader<string, ConnectorEntity>;
  catalogEntry: DataLoader<string, CatalogEntryEntity>;
  tenantsOfConnector: DataLoader<string, TenantEntity[]>;
  /** null when there is none: a client token's tenant is read here first, and Query.tenant finds it again */
  tenant: DataLoader<string, TenantEntity | null>;
}

export function createEntityLoaders(services: {
  connectors: ConnectorService;
  catalog: CatalogService;
  tenants: TenantService;
}): EntityLoaders {
  return {
    connector: new DataLoader(async (ids) => {
      const rows = await services.connectors.byIds(ids);
      return ids.map((id) => rows.get(id) ?? new Error(`connector ${id} not found`));
    }),
    catalogEntry: new DataLoader(async (connectorIds) => {
      const rows = await services.catalog.forConnectors(connectorIds);
      return connectorIds.map((id) => rows.get(id) ?? new Error(`catalog entry of connector ${id} not found`));
    }),
    tenantsOfConnector: new DataLoader(async (connectorIds) => {
      const rows = await services.tenants.forConnectors(connectorIds);
      return connectorIds.map((id) => rows.filter((tenant) => tenant.connectorId === id));
    }),
    tenant: new DataLoader(async (ids) => {
      const rows = await services.tenants.byIds(ids);
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
