import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectorProvider } from './connector.entity';

export enum ConnectorStatus {
  INCOMPLETE = 'INCOMPLETE',
  READY = 'READY',
}
registerEnumType(ConnectorStatus, {
  name: 'ConnectorStatus',
  valuesConfig: {
    INCOMPLETE: { description: 'Client ID or client secret is not set yet' },
    READY: { description: 'Client ID and secret are set: consent links can be created' },
  },
});

@ObjectType('Scope', { description: 'A Microsoft Graph application permission the connector can ask for' })
export class Scope {
  @Field() name!: string;
  @Field() description!: string;
  @Field({ description: 'Always selected; cannot be removed' }) required!: boolean;
  @Field() selected!: boolean;
}

@InputType()
export class CreateConnectorInput {
  @Field(() => ConnectorProvider) provider!: ConnectorProvider;
  @Field(() => String, { nullable: true, description: 'url-safe and unique; defaults to the provider\'s, e.g. "outlook-calendar-admin"' })
  slug?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType()
export class CatalogInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it' }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'An https URL; null clears it' }) logoUrl?: string | null;
  @Field(() => Boolean, { nullable: true }) published?: boolean | null;
}

@InputType({ description: 'Any subset of fields; a rejected update changes nothing' })
export class UpdateConnectorInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'The Application (client) ID GUID from the Azure portal' })
  clientId?: string | null;
  @Field(() => String, { nullable: true, description: 'Write-only: the secret Value from Certificates & secrets' })
  clientSecret?: string | null;
  @Field(() => [String], { nullable: true }) scopes?: string[] | null;
  @Field(() => CatalogInput, { nullable: true }) catalog?: CatalogInput | null;
}
