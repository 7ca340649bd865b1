import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { TenantEntity } from '../tenants/tenant.entity';
import { ApiKeyRole } from './api-key.entity';
import { AdminKeyOnly, AnyCaller } from './access-rules';
import { ClientCapability, type Caller } from './caller';
import { ClientTokenService } from './client-token.service';

@ObjectType('ClientToken')
export class ClientTokenType {
  @Field({ description: 'Send as "Authorization: Bearer <token>"; treat it as a secret of the end-user session' }) token!: string;
  @Field() expiresAt!: Date;
}

@ObjectType('Viewer', { description: 'Who the caller is' })
export class Viewer {
  @Field(() => TenantEntity, { nullable: true, description: "A client token's tenant; null for an API key" })
  tenant!: TenantEntity | null;

  @Field(() => ID, { nullable: true, description: 'The Graph user a client token is bound to; null when it covers the whole tenant' })
  userId!: string | null;

  @Field(() => [ClientCapability], { description: "A client token's capabilities; for an API key, what its role allows" })
  capabilities!: ClientCapability[];

  @Field(() => Date, { nullable: true, description: 'When a client token expires; null for an API key' })
  expiresAt!: Date | null;

  @Field(() => ApiKeyRole, { nullable: true, description: "An API key's role; null for a client token" })
  apiKeyRole!: ApiKeyRole | null;
}

const READS = [ClientCapability.READ_DIRECTORY, ClientCapability.READ_CALENDARS, ClientCapability.READ_SCHEDULES];

@Resolver()
export class AccessResolver {
  constructor(private readonly clientTokens: ClientTokenService) {}

  @AnyCaller()
  @Query(() => Viewer, { description: 'Who the caller is: for a client token, its tenant, user and capabilities' })
  viewer(@Ctx() context: GatewayContext): Viewer {
    return viewerOf(context.caller);
  }

  @AdminKeyOnly()
  @Mutation(() => ClientTokenType, {
    description: 'ADMIN keys only. A short-lived token for a browser app: one tenant, optionally one user, these capabilities',
  })
  createClientToken(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID, { nullable: true, description: 'The Graph user id: per-user fields and writes for this user only' }) userId: string | null | undefined,
    @Arg('capabilities', () => [ClientCapability]) capabilities: ClientCapability[],
    @Arg('ttlSeconds', () => Int, { defaultValue: 900, description: '60 to 3600' }) ttlSeconds: number,
    @Ctx() context: GatewayContext,
  ): Promise<ClientTokenType> {
    return this.clientTokens.mint({ tenantId, userId, capabilities, ttlSeconds }, context.loaders);
  }

  @AdminKeyOnly()
  @Mutation(() => Date, {
    description:
      'ADMIN keys only. Refuses the client tokens of the tenant issued until now, on every replica at once: all of them (a leaked token, a compromised frontend), or with userId only those bound to that user (signed out, deprovisioned). Tokens minted afterwards work. Returns the instant: tokens issued before it are refused',
  })
  revokeClientTokens(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID, { nullable: true, description: "The Graph user id: only this user's tokens" }) userId: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<Date> {
    return this.clientTokens.revoke(tenantId, userId, context.loaders);
  }
}

function viewerOf(caller: Caller): Viewer {
  switch (caller.kind) {
    case 'client':
      return { tenant: caller.tenant, userId: caller.userId, capabilities: [...caller.capabilities], expiresAt: caller.expiresAt, apiKeyRole: null };
    case 'apiKey': {
      const capabilities = caller.role === ApiKeyRole.ADMIN ? Object.values(ClientCapability) : READS;
      return { tenant: null, userId: null, capabilities, expiresAt: null, apiKeyRole: caller.role };
    }
    case 'anonymous':
      throw new Error('the access checker lets no anonymous caller reach viewer');
  }
}
