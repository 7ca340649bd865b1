import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Graph subscriptions to delete at Graph after their tenant was removed (see src/notifications/retired-subscription.entity.ts). */
export class RetiredGraphSubscriptions1765400000000 implements MigrationInterface {
  name = 'RetiredGraphSubscriptions1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'retired_graph_subscriptions',
        columns: [
          { name: 'subscription_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'connector_id', type: 'varchar', length: '36' },
          { name: 'microsoft_tenant_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: dateTime, isNullable: true },
          { name: 'due_at', type: dateTime },
          { name: 'attempts', type: 'integer' },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'claimed_until', type: dateTime, isNullable: true },
          { name: 'created_at', type: dateTime },
        ],
        foreignKeys: [{ columnNames: ['connector_id'], referencedTableName: 'connectors', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [{ name: 'ix_retired_graph_subscriptions_due', columnNames: ['due_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retired_graph_subscriptions');
  }
}
