import { Field, ID, ObjectType } from 'type-graphql';
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
  @Field() name!: string;
  @Field(() => String, { nullable: true }) color!: string | null;
  @Field(() => String, { nullable: true }) hexColor!: string | null;
  @Field(() => Boolean, { nullable: true }) isDefaultCalendar!: boolean | null;
  @Field(() => Boolean, { nullable: true }) canEdit!: boolean | null;
  @Field(() => EmailAddress, { nullable: true }) owner!: EmailAddress | null;
}

@ObjectType('Event', { description: "An occurrence in the user's default calendar, times in UTC" })
export class Event {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field() start!: Date;
  @Field() end!: Date;
  @Field() isAllDay!: boolean;
  @Field(() => String, { nullable: true }) showAs!: string | null;
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
}
