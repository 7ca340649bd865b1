import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/db/data-source';
import { EventIdempotencyKeyEntity } from '../../../src/events/idempotency-key.entity';
import { IdempotencyKeyStore } from '../../../src/events/idempotency-key.store';

/** The idempotency keys' rules on a real (in-memory SQLite) database, migrations included. */

let dataSource: DataSource;
const TENANT = '3f2a8c1e-0b4d-4e6f-9a7b-1c2d3e4f5a6b';

beforeAll(async () => {
  dataSource = await openDatabase({ type: 'better-sqlite3', path: ':memory:' });
  // Keys belong to tenants; this test is about the keys alone.
  await dataSource.query('PRAGMA foreign_keys = OFF');
});
afterAll(() => dataSource.destroy());

const request = (key: string, fingerprint = 'a'.repeat(64), userId = 'Adele@Contoso.example') => ({ tenantId: TENANT, userId, key, fingerprint });

it('gives a second claim of the same key and content the same record and transactionId, with the event once settled', async () => {
  const store = new IdempotencyKeyStore(dataSource);
  const first = await store.claim(request('k1'));
  expect(first.eventId).toBeNull();
  expect(first.transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(await store.claim(request('k1', undefined, 'adele@contoso.example'))).toEqual(first);
  await store.settle(first, 'AAMkAGevent=');
  expect(await store.claim(request('k1'))).toEqual({ ...first, eventId: 'AAMkAGevent=' });
});

it('refuses the key with other content, as the caller\'s mistake (HTTP 400)', async () => {
  const store = new IdempotencyKeyStore(dataSource);
  await store.claim(request('k2'));
  await expect(store.claim(request('k2', 'b'.repeat(64)))).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
});

it('frees a released key for other content, under the same transactionId; a settled key is never released', async () => {
  const store = new IdempotencyKeyStore(dataSource);
  const refused = await store.claim(request('k3'));
  await store.release(refused);
  const corrected = await store.claim(request('k3', 'c'.repeat(64)));
  expect(corrected.id).not.toBe(refused.id);
  expect(corrected.transactionId).toBe(refused.transactionId);
  await store.settle(corrected, 'AAMkAGbooked=');
  await store.release(corrected);
  expect((await store.claim(request('k3', 'c'.repeat(64)))).eventId).toBe('AAMkAGbooked=');
});

it('forgets keys older than 30 days', async () => {
  const old = Object.assign(new EventIdempotencyKeyEntity(), {
    id: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    tenantId: TENANT,
    userId: 'old@contoso.example',
    idempotencyKey: 'k4',
    fingerprint: 'd'.repeat(64),
    eventId: 'AAMkAGold=',
    createdAt: new Date(Date.now() - 31 * 86_400_000),
  });
  await dataSource.getRepository(EventIdempotencyKeyEntity).insert(old);
  const fresh = await new IdempotencyKeyStore(dataSource).claim(request('k4', 'e'.repeat(64), 'old@contoso.example'));
  expect(fresh).toMatchObject({ eventId: null });
  expect(fresh.id).not.toBe(old.id);
});
