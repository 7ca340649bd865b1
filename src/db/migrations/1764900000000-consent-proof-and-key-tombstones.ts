import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Consent states remember the tenant hint they were made for and the tenant Microsoft's consent
 * redirect claimed, until the admin's sign-in proves it. Revoked API keys stay as tombstones, so
 * a revoked XKIT_ADMIN_API_KEY is not registered again at the next start.
 */
export class ConsentProofAndKeyTombstones1764900000000 implements MigrationInterface {
  name = 'ConsentProofAndKeyTombstones1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.addColumns('consent_states', [
      new TableColumn({ name: 'tenant_hint', type: 'varchar', length: '253', isNullable: true }),
      new TableColumn({ name: 'consented_tenant_id', type: 'varchar', length: '36', isNullable: true }),
    ]);
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'revoked_at', type: dateTime, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'revoked_at');
    await queryRunner.dropColumns('consent_states', ['consented_tenant_id', 'tenant_hint']);
  }
}
