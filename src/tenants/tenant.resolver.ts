import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AdminKeyOnly, ClientMay, ofTenant } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import type { GatewayContext } from '../context';
import { ConnectorEntity } from '../connectors/connector.entity';
import { DirectoryService } from '../directory/directory.service';
import { AccessToken, User, UserConnection } from '../directory/directory.types';
import { selectedFieldNames } from '../schema/selected-fields';
import { userPageLoads } from '../directory/user-page-loads';
import { TenantEntity } from './tenant.entity';
import { TenantService } from './tenant.service';

@Authorized()
@Resolver(() => TenantEntity)
export class TenantResolver {
  constructor(
    private readonly tenantService: TenantService,
    private readonly directory: DirectoryService,
  ) {}

  @Query(() => [TenantEntity])
  tenants(@Arg('connectorId', () => ID, { nullable: true }) connectorId?: string | null): Promise<TenantEntity[]> {
    return this.tenantService.list(connectorId);
  }

  @ClientMay(null, { tenant: ({ args }) => args.id })
  @Query(() => TenantEntity, { nullable: true, description: "NOT_FOUND when there is none (for a client token: any tenant but its own)" })
  tenant(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<TenantEntity> {
    return this.tenantService.get(id, context.loaders);
  }

  @Mutation(() => TenantEntity, { description: 'Checks consent again: token, roles, organisation name' })
  refreshTenant(@Arg('id', () => ID) id: string): Promise<TenantEntity> {
    return this.tenantService.refresh(id);
  }

  @Mutation(() => Boolean, { description: 'Forgets the tenant (the consent in Azure stays until an admin removes the app)' })
  removeTenant(@Arg('id', () => ID) id: string): Promise<boolean> {
    return this.tenantService.remove(id);
  }

  @FieldResolver(() => ConnectorEntity)
  connector(@Root() tenant: TenantEntity, @Ctx() context: GatewayContext): Promise<ConnectorEntity> {
    return context.loaders.connector.load(tenant.connectorId);
  }

  @ClientMay(null, ofTenant)
  @FieldResolver(() => [String], { description: 'Selected on the connector but not granted by the tenant' })
  async missingScopes(@Root() tenant: TenantEntity, @Ctx() context: GatewayContext): Promise<string[]> {
    return this.tenantService.missingScopes(tenant, await context.loaders.connector.load(tenant.connectorId));
  }

  @AdminKeyOnly()
  @FieldResolver(() => AccessToken, { nullable: true, description: 'An app-only Graph token, from the cache while valid; null with an error when it cannot be had' })
  async accessToken(@Root() tenant: TenantEntity, @Ctx() context: GatewayContext): Promise<AccessToken> {
    const token = await this.tenantService.access(tenant, context).appToken();
    return { token: token.accessToken, expiresAt: token.expiresAt };
  }

  @ClientMay(ClientCapability.READ_DIRECTORY, ofTenant)
  @FieldResolver(() => UserConnection, {
    nullable: true,
    description: "The organisation's users, a page at a time (1 <= first <= 999); null with an error when Microsoft refuses this tenant",
    complexity: ({ args, childComplexity }) => 1 + (Number(args.first) || 100) * Math.max(1, childComplexity - 1),
  })
  users(
    @Root() tenant: TenantEntity,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('search', () => String, { nullable: true, description: 'Users whose display name (a word of it), mail or user principal name starts with this' })
    search: string | null | undefined,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UserConnection> {
    return this.directory.users(tenant, { first, after, search, count: selectedFieldNames(info).has('totalCount') }, context, userPageLoads(info));
  }

  @ClientMay(ClientCapability.READ_DIRECTORY, { ...ofTenant, self: ({ args }) => args.id })
  @FieldResolver(() => User, {
    nullable: true,
    description: "By Graph id or user principal name; null when there is none. A user-bound client token may look up its own user by id without READ_DIRECTORY",
  })
  user(@Root() tenant: TenantEntity, @Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<User | null> {
    return this.directory.user(tenant, id, context);
  }
}
