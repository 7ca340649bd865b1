import { MigrationInterface, QueryRunner, Table, TableForeignKeyOptions } from 'typeorm';

/** Graph subscriptions per mailbox, the inbox of notifications, the versions already told, and the tenant sweeps. */
export class ChangeNotifications1765210000000 implements MigrationInterface {
  name = 'ChangeNotifications1765210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateTime = queryRunner.connection.driver.normalizeType({ type: Date });
    const cascade = (column: string, table: string): TableForeignKeyOptions => ({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await queryRunner.createTable(
      new Table({
        name: 'mailbox_subscriptions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'subscription_id', type: 'varchar', length: '100', isNullable: true },
          { name: 'client_state_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'expires_at', type: dateTime, isNullable: true },
          { name: 'renew_at', type: dateTime, isNullable: true },
          { name: 'reauthorize_requested_at', type: dateTime, isNullable: true },
          { name: 'resync_requested_at', type: dateTime, isNullable: true },
          { name: 'delta_link', type: 'text', isNullable: true },
          { name: 'delta_started_at', type: dateTime, isNullable: true },
          { name: 'synced_at', type: dateTime, isNullable: true },
          { name: 'sweep_at', type: dateTime },
          { name: 'due_at', type: dateTime },
          { name: 'failures', type: 'integer' },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'claimed_until', type: dateTime, isNullable: true },
          { name: 'created_at', type: dateTime },
        ],
        foreignKeys: [cascade('tenant_id', 'tenants')],
        indices: [
          { name: 'uq_mailbox_subscriptions_user', columnNames: ['tenant_id', 'user_id'], isUnique: true },
          { name: 'ix_mailbox_subscriptions_due', columnNames: ['due_at'] },
          { name: 'ix_mailbox_subscriptions_subscription', columnNames: ['subscription_id'] },
          { name: 'ix_mailbox_subscriptions_client_state', columnNames: ['client_state_hash'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'graph_notifications',
        columns: [
          { name: 'sequence', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'mailbox_id', type: 'varchar', length: '36' },
          { name: 'dedupe_key', type: 'varchar', length: '64', isUnique: true },
          { name: 'change_type', type: 'varchar', length: '16' },
          { name: 'event_id', type: 'varchar', length: '512' },
          { name: 'received_at', type: dateTime },
        ],
        foreignKeys: [cascade('mailbox_id', 'mailbox_subscriptions')],
        indices: [{ name: 'ix_graph_notifications_mailbox', columnNames: ['mailbox_id', 'sequence'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'calendar_event_versions',
        columns: [
          { name: 'mailbox_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'version', type: 'varchar', length: '256', isNullable: true },
          { name: 'seen_at', type: dateTime },
        ],
        foreignKeys: [cascade('mailbox_id', 'mailbox_subscriptions')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'change_sweeps',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'due_at', type: dateTime },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'claimed_until', type: dateTime, isNullable: true },
        ],
        foreignKeys: [cascade('tenant_id', 'tenants')],
        indices: [{ name: 'ix_change_sweeps_due', columnNames: ['due_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['change_sweeps', 'calendar_event_versions', 'graph_notifications', 'mailbox_subscriptions']) await queryRunner.dropTable(table);
  }
}
