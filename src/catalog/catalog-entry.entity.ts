import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';

/** How a connector appears to the developer's own end users; exactly one per connector. */
@ObjectType('CatalogEntry')
@Entity({ name: 'catalog_entries' })
export class CatalogEntryEntity {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 36, unique: true })
  connectorId!: string;

  @OneToOne(() => ConnectorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connector_id' })
  connector?: ConnectorEntity;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'logo_url', type: 'varchar', length: 2048, nullable: true })
  logoUrl!: string | null;

  @Field()
  @Column({ type: 'boolean', default: false })
  published!: boolean;
}
