import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { ApiKeyRole } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { AdminKeyOnly } from './access-rules';

@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the key, to tell keys apart' }) keyPrefix!: string;
  @Field(() => ApiKeyRole) role!: ApiKeyRole;
  @Field() createdAt!: Date;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKey {
  @Field(() => ApiKeyType) apiKey!: ApiKeyType;
  @Field({ description: 'Shown once: store it now; only its hash is kept' }) key!: string;
}

@Authorized()
@Resolver()
export class ApiKeyResolver {
  constructor(private readonly apiKeyService: ApiKeyService) {}

  @AdminKeyOnly()
  @Query(() => [ApiKeyType])
  apiKeys(): Promise<ApiKeyType[]> {
    return this.apiKeyService.list();
  }

  @Mutation(() => CreatedApiKey)
  async createApiKey(
    @Arg('name') name: string,
    @Arg('role', () => ApiKeyRole, { defaultValue: ApiKeyRole.ADMIN, description: 'READ_ONLY: queries only, never raw tokens or API keys' }) role: ApiKeyRole,
  ): Promise<CreatedApiKey> {
    const { entity, key } = await this.apiKeyService.create(name, role);
    return { apiKey: entity, key };
  }

  @Mutation(() => Boolean)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<boolean> {
    return this.apiKeyService.revoke(id, context.apiKeyId);
  }
}
