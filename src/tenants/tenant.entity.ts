import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';

export enum TenantStatus {
  CONSENTED = 'CONSENTED',
  REVOKED = 'REVOKED',
  ERROR = 'ERROR',
}
registerEnumType(TenantStatus, { name: 'TenantStatus' });

/** A customer organisation whose admin consented to a connector's Azure app. */
@ObjectType('Tenant')
@Entity({ name: 'tenants' })
@Index('uq_tenants_connector_microsoft_tenant', ['connectorId', 'microsoftTenantId'], { unique: true })
export class TenantEntity {
  @Field(() => ID, { description: "The gateway's own id" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 36 })
  connectorId!: string;

  @ManyToOne(() => ConnectorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connector_id' })
  connector?: ConnectorEntity;

  @Field({ description: 'The directory (tenant) GUID Microsoft returned' })
  @Column({ name: 'microsoft_tenant_id', type: 'varchar', length: 36 })
  microsoftTenantId!: string;

  @Field(() => TenantStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: TenantStatus;

  @Field(() => String, { nullable: true, description: "The organisation's name from Graph, when it could be read" })
  @Column({ name: 'display_name', type: 'varchar', length: 256, nullable: true })
  displayName!: string | null;

  @Field(() => [String], { description: "The roles of the tenant's app token" })
  @Column({ name: 'granted_scopes', type: 'simple-json' })
  grantedScopes!: string[];

  /** Microsoft's reason in plain words when status is ERROR or REVOKED. */
  @Field(() => String, { nullable: true, description: "Why the tenant is in ERROR or REVOKED, in Microsoft's words, and what to do" })
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Field()
  @Column({ name: 'consented_at' })
  consentedAt!: Date;

  @Field({ description: 'When the consent was last checked against Microsoft' })
  @Column({ name: 'checked_at' })
  checkedAt!: Date;

  /** Client tokens issued before this instant are refused (revokeClientTokens); null: none revoked. */
  @Field(() => Date, { nullable: true, description: 'Client tokens of this tenant issued before this instant are refused (revokeClientTokens)' })
  @Column({ name: 'client_tokens_not_before', type: Date, nullable: true })
  clientTokensNotBefore!: Date | null;

  /**
   * One user's client tokens issued before the instant are refused: Graph user id → ISO instant.
   * Only the last hour's are kept (older tokens have expired anyway), so the row stays small.
   */
  @Column({ name: 'client_token_user_revocations', type: 'simple-json', nullable: true })
  clientTokenUserRevocations!: Record<string, string> | null;
}
