import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ConnectorEntity } from '../connectors/connector.entity';

/**
 * The server side of a consent link's `state`. The signed state names this row; the row makes
 * the state single-use across every replica (consumed by one conditional UPDATE).
 */
@Entity({ name: 'consent_states' })
export class ConsentStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 43 })
  id!: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 36 })
  connectorId!: string;

  @ManyToOne(() => ConnectorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connector_id' })
  connector?: ConnectorEntity;

  @Column({ name: 'return_to', type: 'varchar', length: 2048, nullable: true })
  returnTo!: string | null;

  /** The link works for this tenant only (a GUID or a domain), when it was made with one. */
  @Column({ name: 'tenant_hint', type: 'varchar', length: 253, nullable: true })
  tenantHint!: string | null;

  /** The tenant Microsoft's consent redirect named, waiting for the admin's sign-in to prove it. */
  @Column({ name: 'consented_tenant_id', type: 'varchar', length: 36, nullable: true })
  consentedTenantId!: string | null;

  @Column({ name: 'expires_at' })
  expiresAt!: Date;

  @Column({ name: 'used_at', nullable: true, type: Date })
  usedAt!: Date | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
