import { Arg, Authorized, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ConsentService } from './consent.service';

@ObjectType('ConsentLink')
export class ConsentLinkType {
  @Field({ description: "Send this to the customer's admin; it works once, for one hour" }) url!: string;
  @Field() expiresAt!: Date;
}

@Authorized()
@Resolver()
export class ConsentResolver {
  constructor(private readonly consent: ConsentService) {}

  @Mutation(() => ConsentLinkType)
  createConsentLink(
    @Arg('connectorId', () => ID) connectorId: string,
    @Arg('tenantHint', () => String, { nullable: true, description: "The customer's tenant GUID or domain, to skip the account picker" })
    tenantHint?: string | null,
    @Arg('returnTo', () => String, { nullable: true, description: 'Where to send the admin afterwards (an allowed origin only)' })
    returnTo?: string | null,
  ): Promise<ConsentLinkType> {
    return this.consent.createLink(connectorId, tenantHint, returnTo);
  }
}
