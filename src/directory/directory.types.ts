import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { TenantEntity } from '../tenants/tenant.entity';

/** GraphQL shapes of what the gateway reads from a tenant's Microsoft 365 directory. */

@ObjectType('AccessToken', { description: 'An app-only Graph token for the tenant' })
export class AccessToken {
  @Field() token!: string;
  @Field() expiresAt!: Date;
}

@ObjectType('EmailAddress')
export class EmailAddress {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) address!: string | null;
}

@ObjectType('Calendar')
export class Calendar {
  @Field(() => ID) id!: string;
  // Every field but id is read only when selected: a query for calendar ids downloads ids.
  @Field() name?: string;
  @Field(() => String, { nullable: true }) color?: string | null;
  @Field(() => String, { nullable: true }) hexColor?: string | null;
  @Field(() => Boolean, { nullable: true }) isDefaultCalendar?: boolean | null;
  @Field(() => Boolean, { nullable: true }) canEdit?: boolean | null;
  @Field(() => EmailAddress, { nullable: true }) owner?: EmailAddress | null;
  /** Not fields: whose calendar it is, so its events batch per tenant. */
  userId!: string;
  tenant!: TenantEntity;
}

@ObjectType('User', { description: 'A user of the tenant, from Microsoft Graph' })
export class User {
  @Field(() => ID, { description: 'The Graph user id' }) id!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => String, { nullable: true }) mail!: string | null;
  @Field(() => String, { nullable: true }) userPrincipalName!: string | null;
  @Field(() => String, { nullable: true }) jobTitle!: string | null;
  /** Not a field: which tenant the user was read from, so nested fields batch per tenant. */
  tenant!: TenantEntity;
}

@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page' }) endCursor!: string | null;
}

@ObjectType('UserConnection')
export class UserConnection {
  @Field(() => [User]) nodes!: User[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { nullable: true, description: 'How many users the list (or the search) holds; asked of Graph only when selected' })
  totalCount?: number | null;
}
