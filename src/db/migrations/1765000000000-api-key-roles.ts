import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** API keys get a role: ADMIN (every key made before, so nothing loses access) or READ_ONLY. */
export class ApiKeyRoles1765000000000 implements MigrationInterface {
  name = 'ApiKeyRoles1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'role', type: 'varchar', length: '16', default: "'ADMIN'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'role');
  }
}
