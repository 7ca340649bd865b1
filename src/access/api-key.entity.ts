import { registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ApiKeyRole {
  ADMIN = 'ADMIN',
  READ_ONLY = 'READ_ONLY',
}
registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  valuesConfig: {
    ADMIN: { description: 'Every operation' },
    READ_ONLY: { description: 'Every query except Tenant.accessToken and apiKeys; no mutation' },
  },
});

/** An API key, stored only as its SHA-256 hash. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash!: string;

  /** The first characters of the key, so an operator can tell keys apart. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 12 })
  keyPrefix!: string;

  @Column({ type: 'varchar', length: 16, default: ApiKeyRole.ADMIN })
  role!: ApiKeyRole;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** Set when revoked: the row stays so a revoked XKIT_ADMIN_API_KEY is never registered again. */
  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;
}
