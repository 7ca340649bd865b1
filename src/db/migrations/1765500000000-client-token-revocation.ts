import { MigrationInterface, QueryRunner } from 'typeorm';

/** When a tenant's client tokens were last revoked, all of them or one user's (see TenantEntity.clientTokensNotBefore). */
export class ClientTokenRevocation1765500000000 implements MigrationInterface {
  name = 'ClientTokenRevocation1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    // Plain ALTER TABLE: TypeORM's SQLite addColumn copies the table, and dropping the old copy would cascade to the rows that reference tenants.
    await queryRunner.query(`ALTER TABLE "tenants" ADD COLUMN "client_tokens_not_before" ${dateTime} NULL`);
    await queryRunner.query('ALTER TABLE "tenants" ADD COLUMN "client_token_user_revocations" text NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "client_token_user_revocations"');
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "client_tokens_not_before"');
  }
}
