import 'reflect-metadata';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { ApiKeyRole } from '../../../src/access/api-key.entity';
import { ApiKeyService } from '../../../src/access/api-key.service';
import { openDatabase } from '../../../src/db/data-source';
import { runInTransaction } from '../../../src/db/transaction';
import { EventIdempotencyKeyEntity } from '../../../src/events/idempotency-key.entity';
import { IdempotencyKeyStore } from '../../../src/events/idempotency-key.store';

/**
 * SQLite serves the whole process on one connection: a write sent while another request's
 * transaction is open would become part of it, and vanish when that one rolls back. The services'
 * writes wait their turn instead, so another request's failure never undoes them.
 */

let dataSource: DataSource;

beforeAll(async () => {
  dataSource = await openDatabase({ type: 'better-sqlite3', path: ':memory:' });
  // The idempotency keys belong to tenants; this test is about the writes alone.
  await dataSource.query('PRAGMA foreign_keys = OFF');
});
afterAll(() => dataSource.destroy());

/** A transaction that is open until `fail` is called, and then rolls back. */
async function transactionThatWillRollBack() {
  let rollBack!: () => void;
  const failing = new Promise<void>((resolve) => (rollBack = resolve));
  // better-sqlite3 answers synchronously: a write that does not wait is sent within a few turns of the event loop.
  const fail = async () => {
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    rollBack();
  };
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const done = runInTransaction(dataSource, async () => {
    opened();
    await failing;
    throw new Error('this other request failed');
  });
  await open;
  return { fail, done };
}

it('keeps an API key created while another transaction is open and then rolls back', async () => {
  const other = await transactionThatWillRollBack();
  const keys = new ApiKeyService(dataSource, pino({ level: 'silent' }));
  const created = keys.create('survives the other request', ApiKeyRole.READ_ONLY);
  await other.fail();
  await expect(other.done).rejects.toThrow('this other request failed');
  const { entity } = await created;
  expect((await keys.list()).map((key) => key.id)).toContain(entity.id);

  const revoking = await transactionThatWillRollBack();
  const revoked = keys.revoke(entity.id, null);
  await revoking.fail();
  await expect(revoking.done).rejects.toThrow();
  await revoked;
  expect((await keys.list()).map((key) => key.id)).not.toContain(entity.id);
});

it('keeps an idempotency key claimed and settled while another transaction rolls back', async () => {
  const store = new IdempotencyKeyStore(dataSource);
  const other = await transactionThatWillRollBack();
  const claiming = store.claim({ tenantId: '3f2a8c1e-0b4d-4e6f-9a7b-1c2d3e4f5a6b', userId: 'adele@contoso.example', key: 'kept', fingerprint: 'f'.repeat(64) });
  await other.fail();
  await expect(other.done).rejects.toThrow();
  const claim = await claiming;

  const settling = await transactionThatWillRollBack();
  const settled = store.settle(claim, 'AAMkAGkept=');
  await settling.fail();
  await expect(settling.done).rejects.toThrow();
  await settled;
  expect(await dataSource.manager.findOneBy(EventIdempotencyKeyEntity, { id: claim.id })).toMatchObject({ eventId: 'AAMkAGkept=' });
});
