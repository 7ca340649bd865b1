import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/db/data-source';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from '../../../src/webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../../../src/webhooks/webhook-endpoint.entity';
import { WebhookEventType } from '../../../src/webhooks/webhook-event-type';
import { BackgroundWorkers, type BackgroundJob, type Clock } from '../../../src/workers/background-workers';
import { LeasedClaims } from '../../../src/workers/leased-claims';
import { logger } from '../../../src/observability/logger';
import { freshDatabaseUrl, newDataDir } from '../../integration/harness';

/**
 * Database claims, the basis of every background job: on SQLite (one process), and on PostgreSQL
 * when XKIT_TEST_POSTGRES_URL is set, with two data sources standing in for two replicas.
 */

const T0 = new Date('2026-03-01T12:00:00.000Z');
const due = (now: Date) => (query: any) => query.where('delivery.status = :pending', { pending: WebhookDeliveryStatus.PENDING }).andWhere('delivery.next_attempt_at <= :now', { now }).orderBy('delivery.sequence', 'ASC');

async function database(): Promise<{ sources: DataSource[]; close: () => Promise<void> }> {
  const url = await freshDatabaseUrl(newDataDir());
  const config = url.startsWith('sqlite:') ? ({ type: 'better-sqlite3', path: url.slice('sqlite:'.length) } as const) : ({ type: 'postgres', url } as const);
  const first = await openDatabase(config);
  // SQLite has one process: a second "replica" there is a second claimer on the same connection.
  const sources = config.type === 'postgres' ? [first, await openDatabase(config)] : [first, first];
  return { sources, close: async () => void (await Promise.all([...new Set(sources)].map((source) => source.destroy()))) };
}

async function pendingDeliveries(source: DataSource, count: number, at = T0): Promise<void> {
  const endpoint = Object.assign(new WebhookEndpointEntity(), { id: randomUUID(), url: 'https://hooks.example.com/', events: [WebhookEventType.WEBHOOK_TEST], secretSealed: 'x', enabled: true, disabledReason: null, createdAt: at, updatedAt: at });
  await source.manager.insert(WebhookEndpointEntity, endpoint);
  for (let index = 0; index < count; index++) {
    await source.manager.insert(WebhookDeliveryEntity, {
      id: randomUUID(), endpointId: endpoint.id, webhookId: randomUUID(), eventType: WebhookEventType.WEBHOOK_TEST, orderingKey: `test:${index}`, payload: '{}',
      status: WebhookDeliveryStatus.PENDING, attempts: 0, lastStatusCode: null, lastError: null, nextAttemptAt: at, claimedUntil: null, createdAt: at, deliveredAt: null,
    });
  }
}

const claimsOn = (source: DataSource, leaseMs = 60_000) => new LeasedClaims(source, { entity: WebhookDeliveryEntity, alias: 'delivery', key: 'sequence', leaseMs });

describe('leased claims', () => {
  it('give each due row to one claimer only, however many claim at once', async () => {
    const { sources, close } = await database();
    try {
      await pendingDeliveries(sources[0]!, 40);
      const claimers = [claimsOn(sources[0]!), claimsOn(sources[1]!)];
      const rounds = await Promise.all(Array.from({ length: 10 }, (_, index) => claimers[index % 2]!.claim(T0, 7, due(T0))));
      const claimed = rounds.flat();
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(40);
    } finally {
      await close();
    }
  });

  it('keep a row leased until the lease ends, then let anyone take it', async () => {
    const { sources, close } = await database();
    try {
      await pendingDeliveries(sources[0]!, 1);
      const [mine, theirs] = [claimsOn(sources[0]!, 60_000), claimsOn(sources[1]!)];
      expect(await mine.claim(T0, 5, due(T0))).toHaveLength(1);
      const later = new Date(T0.getTime() + 59_000);
      expect(await theirs.claim(later, 5, due(later))).toEqual([]);
      const expired = new Date(T0.getTime() + 60_000);
      expect(await theirs.claim(expired, 5, due(expired))).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('give back at stop what was claimed and not finished', async () => {
    const { sources, close } = await database();
    try {
      await pendingDeliveries(sources[0]!, 3);
      const stopping = claimsOn(sources[0]!);
      const [first] = await stopping.claim(T0, 3, due(T0));
      stopping.finish(first!);
      await stopping.releaseAll();
      const rows = await sources[1]!.manager.find(WebhookDeliveryEntity, { order: { sequence: 'ASC' } });
      expect(rows.map((row) => row.claimedUntil === null)).toEqual([false, true, true]);
    } finally {
      await close();
    }
  });
});

describe('background workers', () => {
  it('run a job on its clock, again at once when it has more, and at once when woken', async () => {
    const clock: Clock = { now: () => T0 };
    const seen: Date[] = [];
    let more = 2;
    let wakeSeen: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (wakeSeen = resolve));
    const job: BackgroundJob = {
      name: 'test',
      runDue: async ({ now }) => {
        seen.push(now);
        if (seen.length === 4) wakeSeen();
        return more-- > 0;
      },
    };
    // An hour between rounds: only "more" and wake can make the rounds this test waits for.
    const workers = new BackgroundWorkers({ intervalMs: 3600_000, clock, logger });
    workers.add(job);
    workers.start();
    while (seen.length < 3) await new Promise((resolve) => setImmediate(resolve));
    workers.wake('test');
    await woken;
    await workers.stop();
    expect(seen).toHaveLength(4);
    expect(seen.every((now) => now === T0)).toBe(true);
  });
});
