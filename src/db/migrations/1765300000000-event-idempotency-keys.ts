import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The idempotency keys of createEvent (see src/events/idempotency-key.entity.ts). */
export class EventIdempotencyKeys1765300000000 implements MigrationInterface {
  name = 'EventIdempotencyKeys1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'event_idempotency_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '400' },
          { name: 'idempotency_key', type: 'varchar', length: '255' },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'event_id', type: 'varchar', length: '512', isNullable: true },
          { name: 'created_at', type: dateTime },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          { name: 'uq_event_idempotency_keys_tenant_user_key', columnNames: ['tenant_id', 'user_id', 'idempotency_key'], isUnique: true },
          { name: 'ix_event_idempotency_keys_created_at', columnNames: ['created_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event_idempotency_keys');
  }
}
