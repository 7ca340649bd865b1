import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

/**
 * Written with TypeORM's Table API rather than raw SQL so that one migration serves SQLite and
 * PostgreSQL; column types come from the driver, exactly as the entities map them.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const driver = queryRunner.connection.driver;
    const dateTime = driver.normalizeType({ type: Date });
    const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: name === 'id' });
    const connectorRef = (): TableColumnOptions => ({ name: 'connector_id', type: 'varchar', length: '36' });
    const cascadeToConnector = {
      columnNames: ['connector_id'],
      referencedTableName: 'connectors',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    };

    await queryRunner.createTable(
      new Table({
        name: 'connectors',
        columns: [
          id(),
          { name: 'slug', type: 'varchar', length: '63', isUnique: true },
          { name: 'provider', type: 'varchar', length: '40' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'client_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'client_secret_sealed', type: 'text', isNullable: true },
          { name: 'client_secret_hint', type: 'varchar', length: '4', isNullable: true },
          { name: 'scopes', type: 'text' },
          { name: 'credentials_version', type: 'integer', default: 0 },
          { name: 'created_at', type: dateTime, default: 'CURRENT_TIMESTAMP' },
          { name: 'updated_at', type: dateTime, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'catalog_entries',
        columns: [
          id(),
          { ...connectorRef(), isUnique: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'logo_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'published', type: 'boolean', default: false },
        ],
        foreignKeys: [cascadeToConnector],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tenants',
        columns: [
          id(),
          connectorRef(),
          { name: 'microsoft_tenant_id', type: 'varchar', length: '36' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'display_name', type: 'varchar', length: '256', isNullable: true },
          { name: 'granted_scopes', type: 'text' },
          { name: 'status_reason', type: 'text', isNullable: true },
          { name: 'consented_at', type: dateTime },
          { name: 'checked_at', type: dateTime },
        ],
        foreignKeys: [cascadeToConnector],
        indices: [
          { name: 'uq_tenants_connector_microsoft_tenant', columnNames: ['connector_id', 'microsoft_tenant_id'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consent_states',
        columns: [
          { name: 'id', type: 'varchar', length: '43', isPrimary: true },
          connectorRef(),
          { name: 'return_to', type: 'varchar', length: '2048', isNullable: true },
          { name: 'expires_at', type: dateTime },
          { name: 'used_at', type: dateTime, isNullable: true },
          { name: 'created_at', type: dateTime },
        ],
        foreignKeys: [cascadeToConnector],
        indices: [{ name: 'ix_consent_states_expires_at', columnNames: ['expires_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id(),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'key_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'key_prefix', type: 'varchar', length: '12' },
          { name: 'created_at', type: dateTime },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['api_keys', 'consent_states', 'tenants', 'catalog_entries', 'connectors']) {
      await queryRunner.dropTable(table);
    }
  }
}
