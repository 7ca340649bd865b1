import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Webhook endpoints and their deliveries (the outbox and the delivery log in one table). */
export class Webhooks1765200000000 implements MigrationInterface {
  name = 'Webhooks1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'events', type: 'text' },
          { name: 'secret_sealed', type: 'text' },
          { name: 'enabled', type: 'boolean' },
          { name: 'disabled_reason', type: 'text', isNullable: true },
          { name: 'created_at', type: dateTime },
          { name: 'updated_at', type: dateTime },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'sequence', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '36', isUnique: true },
          { name: 'endpoint_id', type: 'varchar', length: '36' },
          { name: 'message_id', type: 'varchar', length: '36' },
          { name: 'event_type', type: 'varchar', length: '40' },
          { name: 'ordering_key', type: 'varchar', length: '800' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          { name: 'last_status_code', type: 'integer', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'next_attempt_at', type: dateTime, isNullable: true },
          { name: 'claimed_until', type: dateTime, isNullable: true },
          { name: 'created_at', type: dateTime },
          { name: 'delivered_at', type: dateTime, isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['endpoint_id'], referencedTableName: 'webhook_endpoints', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          { name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_webhook_deliveries_subject', columnNames: ['endpoint_id', 'ordering_key', 'sequence'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
