import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum ConnectorProvider {
  OUTLOOK_CALENDAR_ADMIN = 'OUTLOOK_CALENDAR_ADMIN',
}
registerEnumType(ConnectorProvider, { name: 'ConnectorProvider' });

/** A developer's Azure app registration for one provider. Computed fields live in ConnectorResolver. */
@ObjectType('Connector')
@Entity({ name: 'connectors' })
export class ConnectorEntity {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field()
  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Field(() => ConnectorProvider)
  @Column({ type: 'varchar', length: 40 })
  provider!: ConnectorProvider;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'client_id', type: 'varchar', length: 36, nullable: true })
  clientId!: string | null;

  /** AES-256-GCM sealed; never leaves the process in any other form. */
  @Column({ name: 'client_secret_sealed', type: 'text', nullable: true })
  clientSecretSealed!: string | null;

  @Field(() => String, { nullable: true, description: 'At most the last 4 characters of the client secret' })
  @Column({ name: 'client_secret_hint', type: 'varchar', length: 4, nullable: true })
  clientSecretHint!: string | null;

  @Field(() => [String], { description: 'The selected Graph application permissions; the required ones are always included' })
  @Column({ type: 'simple-json' })
  scopes!: string[];

  /** Bumped whenever the client ID or secret changes, so cached Microsoft clients and tokens are dropped. */
  @Column({ name: 'credentials_version', type: 'integer', default: 0 })
  credentialsVersion!: number;

  @Field()
  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
