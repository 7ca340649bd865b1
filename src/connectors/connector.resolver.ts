import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CatalogEntryEntity } from '../catalog/catalog-entry.entity';
import type { GatewayContext } from '../context';
import { TenantEntity } from '../tenants/tenant.entity';
import { ConnectorEntity } from './connector.entity';
import { ConnectorService } from './connector.service';
import { ConnectorStatus, CreateConnectorInput, Scope, UpdateConnectorInput } from './connector.types';

@Authorized()
@Resolver(() => ConnectorEntity)
export class ConnectorResolver {
  constructor(private readonly connectorService: ConnectorService) {}

  @Query(() => [ConnectorEntity])
  connectors(): Promise<ConnectorEntity[]> {
    return this.connectorService.list();
  }

  @Query(() => ConnectorEntity, { nullable: true, description: 'By id or slug; NOT_FOUND when there is none' })
  connector(
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
  ): Promise<ConnectorEntity> {
    return this.connectorService.find({ id, slug });
  }

  @Mutation(() => ConnectorEntity, { description: 'Shows callbackUrl at once: paste it into Azure as the redirect URI' })
  createConnector(@Arg('input', () => CreateConnectorInput) input: CreateConnectorInput): Promise<ConnectorEntity> {
    return this.connectorService.create(input);
  }

  @Mutation(() => ConnectorEntity)
  updateConnector(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateConnectorInput) input: UpdateConnectorInput,
  ): Promise<ConnectorEntity> {
    return this.connectorService.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Also removes its catalog entry and tenants' })
  deleteConnector(@Arg('id', () => ID) id: string): Promise<boolean> {
    return this.connectorService.delete(id);
  }

  @FieldResolver(() => String, { description: '$XKIT_PUBLIC_URL/callback/<slug>: the redirect URI to register in Azure' })
  callbackUrl(@Root() connector: ConnectorEntity): string {
    return this.connectorService.callbackUrl(connector);
  }

  @FieldResolver(() => Boolean, { description: 'The secret itself is write-only' })
  hasClientSecret(@Root() connector: ConnectorEntity): boolean {
    return connector.clientSecretSealed !== null;
  }

  @FieldResolver(() => [Scope])
  availableScopes(@Root() connector: ConnectorEntity): Scope[] {
    return this.connectorService.availableScopes(connector);
  }

  @FieldResolver(() => ConnectorStatus)
  status(@Root() connector: ConnectorEntity): ConnectorStatus {
    return this.connectorService.status(connector);
  }

  @FieldResolver(() => CatalogEntryEntity)
  catalog(@Root() connector: ConnectorEntity, @Ctx() context: GatewayContext): Promise<CatalogEntryEntity> {
    return context.loaders.catalogEntry.load(connector.id);
  }

  @FieldResolver(() => [TenantEntity])
  tenants(@Root() connector: ConnectorEntity, @Ctx() context: GatewayContext): Promise<TenantEntity[]> {
    return context.loaders.tenantsOfConnector.load(connector.id);
  }
}
