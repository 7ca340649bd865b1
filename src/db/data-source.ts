import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/config';
import { ApiKeyEntity } from '../access/api-key.entity';
import { CatalogEntryEntity } from '../catalog/catalog-entry.entity';
import { ConnectorEntity } from '../connectors/connector.entity';
import { ConsentStateEntity } from '../consent/consent-state.entity';
import { CalendarEventVersionEntity, ChangeSweepEntity, GraphNotificationEntity } from '../notifications/change-notification-tables';
import { MailboxSubscriptionEntity } from '../notifications/mailbox-subscription.entity';
import { RetiredSubscriptionEntity } from '../notifications/retired-subscription.entity';
import { EventIdempotencyKeyEntity } from '../events/idempotency-key.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { ConsentProofAndKeyTombstones1764900000000 } from './migrations/1764900000000-consent-proof-and-key-tombstones';
import { ApiKeyRoles1765000000000 } from './migrations/1765000000000-api-key-roles';
import { Webhooks1765200000000 } from './migrations/1765200000000-webhooks';
import { ChangeNotifications1765210000000 } from './migrations/1765210000000-change-notifications';
import { EventIdempotencyKeys1765300000000 } from './migrations/1765300000000-event-idempotency-keys';
import { RetiredGraphSubscriptions1765400000000 } from './migrations/1765400000000-retired-graph-subscriptions';
import { ClientTokenRevocation1765500000000 } from './migrations/1765500000000-client-token-revocation';

export const entities = [
  ConnectorEntity,
  CatalogEntryEntity,
  TenantEntity,
  ConsentStateEntity,
  ApiKeyEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  MailboxSubscriptionEntity,
  GraphNotificationEntity,
  CalendarEventVersionEntity,
  ChangeSweepEntity,
  EventIdempotencyKeyEntity,
  RetiredSubscriptionEntity,
];
export const migrations = [
  InitialSchema1764000000000,
  ConsentProofAndKeyTombstones1764900000000,
  ApiKeyRoles1765000000000,
  Webhooks1765200000000,
  ChangeNotifications1765210000000,
  EventIdempotencyKeys1765300000000,
  RetiredGraphSubscriptions1765400000000,
  ClientTokenRevocation1765500000000,
];

export function createDataSource(database: GatewayConfig['database']): DataSource {
  if (database.type === 'postgres') {
    return new DataSource({ type: 'postgres', url: database.url, entities, migrations, poolSize: 10 });
  }
  if (database.path !== ':memory:') createPrivateFile(resolve(database.path));
  return new DataSource({
    type: 'better-sqlite3',
    database: database.path,
    entities,
    migrations,
    // WAL lets readers proceed while a write commits; foreign keys make ON DELETE CASCADE real.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    },
  });
}

/** Connects and applies pending migrations (the only way the schema changes; never synchronize). */
export async function openDatabase(database: GatewayConfig['database']): Promise<DataSource> {
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  if (database.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return dataSource;
  }
  // Replicas starting together must not race to create the same tables: one migrates, the others wait.
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lockHolder.release();
  }
  return dataSource;
}

/**
 * The database holds sealed secrets and tenants' data: readable by the gateway's user only. SQLite
 * gives its -wal and -shm files the database file's permissions, so they follow.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/** An arbitrary, fixed id for PostgreSQL's advisory lock around migrations. */
const MIGRATION_LOCK_ID = 7_243_017;
