import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ConnectorEntity } from '../connectors/connector.entity';
import { CatalogEntryEntity } from './catalog-entry.entity';
import { CatalogService } from './catalog.service';

@Resolver(() => CatalogEntryEntity)
export class CatalogResolver {
  constructor(private readonly catalogService: CatalogService) {}

  @Query(() => [CatalogEntryEntity], { description: 'Public: the published entries, without client IDs or secrets' })
  catalog(): Promise<CatalogEntryEntity[]> {
    return this.catalogService.published();
  }

  /** Admin only: the public catalog must not lead to client IDs. */
  @Authorized()
  @FieldResolver(() => ConnectorEntity)
  connector(@Root() entry: CatalogEntryEntity, @Ctx() context: GatewayContext): Promise<ConnectorEntity> {
    return context.loaders.connector.load(entry.connectorId);
  }
}
