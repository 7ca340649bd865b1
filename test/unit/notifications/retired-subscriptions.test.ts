import 'reflect-metadata';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/db/data-source';
import { runInTransaction } from '../../../src/db/transaction';
import type { GraphClient } from '../../../src/microsoft/graph-client';
import { GraphRequestError } from '../../../src/microsoft/graph-request-error';
import { MicrosoftTokenError } from '../../../src/microsoft/microsoft-token-error';
import { RetiredSubscriptionEntity } from '../../../src/notifications/retired-subscription.entity';
import { RetiredSubscriptionsJob } from '../../../src/notifications/retired-subscriptions.job';
import { retireSubscriptions } from '../../../src/notifications/subscription-retirement';
import type { TenantService } from '../../../src/tenants/tenant.service';

/**
 * The retirement job's rules, on a real (in-memory SQLite) database and with the time given to
 * each round: what Graph deleted (or no longer has) is forgotten, a failure is tried again after
 * its backoff, and nothing is asked of Graph past a subscription's expiry. Graph's answers are
 * scripted here; the integration test deletes real subscriptions at the fake.
 */

const CONNECTOR = '8b0c2f4e-1a3d-4c5b-9e7f-0a1b2c3d4e5f';
const DIRECTORY = '3f2a8c1e-0b4d-4e6f-9a7b-1c2d3e4f5a6b';
const T0 = new Date('2026-12-01T10:00:00Z');
const MINUTE = 60_000;

let dataSource: DataSource;
/** What Graph answers to each DELETE, by subscription id: undefined deletes it. */
let answers: Map<string, () => never>;
let deletesSent: string[];
let job: RetiredSubscriptionsJob;

const graph = {
  request: async (_access: unknown, method: string, path: string) => {
    const id = decodeURIComponent(path.split('/').pop()!);
    deletesSent.push(`${method} ${id}`);
    answers.get(id)?.();
    return undefined;
  },
} as unknown as GraphClient;
const tenants = {
  formerTenantAccess: async (_connectorId: string, microsoftTenantId: string) => ({ tenantId: microsoftTenantId, getToken: async () => 'token' }),
} as unknown as TenantService;

beforeAll(async () => {
  dataSource = await openDatabase({ type: 'better-sqlite3', path: ':memory:' });
  // The rows belong to a connector; this test is about the rows alone.
  await dataSource.query('PRAGMA foreign_keys = OFF');
});
afterAll(() => dataSource.destroy());
beforeEach(async () => {
  await dataSource.manager.clear(RetiredSubscriptionEntity);
  answers = new Map();
  deletesSent = [];
  job = new RetiredSubscriptionsJob(dataSource, tenants, graph, pino({ level: 'silent' }));
});

const retire = (subscriptions: Array<{ subscriptionId: string; expiresAt: Date | null }>) =>
  runInTransaction(dataSource, (transaction) => retireSubscriptions(transaction, { connectorId: CONNECTOR, microsoftTenantId: DIRECTORY, subscriptions }, T0, () => undefined));
const round = (at: Date) => job.runDue({ now: at, signal: new AbortController().signal });
const left = async () => (await dataSource.manager.find(RetiredSubscriptionEntity, { order: { subscriptionId: 'ASC' } })).map((row) => row.subscriptionId);
const later = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

it('deletes each subscription once and forgets it; one Graph no longer has (404) is forgotten too', async () => {
  await retire([
    { subscriptionId: 'AAAA-1', expiresAt: later(3 * 24 * 60) },
    { subscriptionId: 'aaaa-2', expiresAt: null },
  ]);
  answers.set('aaaa-2', () => {
    throw new GraphRequestError(404, 'ResourceNotFound', 'The object was not found.', 'DELETE /subscriptions/{id}');
  });
  await round(T0);
  expect(deletesSent.sort()).toEqual(['DELETE aaaa-1', 'DELETE aaaa-2']);
  expect(await left()).toEqual([]);
  await round(later(1));
  expect(deletesSent).toHaveLength(2);
});

it('tries a failed delete again after its backoff, not before', async () => {
  await retire([{ subscriptionId: 'bbbb-1', expiresAt: later(3 * 24 * 60) }]);
  answers.set('bbbb-1', () => {
    throw new GraphRequestError(503, 'ServiceUnavailable', 'Service Unavailable', 'DELETE /subscriptions/{id}');
  });
  await round(T0);
  const failed = await dataSource.manager.findOneByOrFail(RetiredSubscriptionEntity, { subscriptionId: 'bbbb-1' });
  expect(failed).toMatchObject({ attempts: 1, claimedUntil: null, lastError: expect.stringContaining('503 ServiceUnavailable') });
  // One minute, with 10% jitter either way.
  expect(failed.dueAt.getTime() - T0.getTime()).toBeGreaterThanOrEqual(0.9 * MINUTE);
  expect(failed.dueAt.getTime() - T0.getTime()).toBeLessThanOrEqual(1.1 * MINUTE);

  await round(later(0.5));
  expect(deletesSent).toHaveLength(1);
  answers.clear();
  await round(later(2));
  expect(deletesSent).toEqual(['DELETE bbbb-1', 'DELETE bbbb-1']);
  expect(await left()).toEqual([]);
});

it('asks Graph nothing for a subscription past its expiry, or in a directory that no longer grants the app anything', async () => {
  await retire([
    { subscriptionId: 'cccc-expired', expiresAt: later(-1) },
    { subscriptionId: 'cccc-unknown-expiry', expiresAt: null },
  ]);
  await round(later(10_081));
  expect(deletesSent).toEqual([]);
  expect(await left()).toEqual([]);

  await retire([{ subscriptionId: 'cccc-revoked', expiresAt: later(60) }]);
  answers.set('cccc-revoked', () => {
    throw new MicrosoftTokenError('consent_missing', 'The admin has not consented.', 65001, 400);
  });
  await round(T0);
  expect(await left()).toEqual([]);
});

it('keeps one row per subscription however often it is retired', async () => {
  await retire([{ subscriptionId: 'DDDD-1', expiresAt: null }]);
  await retire([{ subscriptionId: 'dddd-1', expiresAt: null }]);
  expect(await left()).toEqual(['dddd-1']);
});
