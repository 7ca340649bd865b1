import { createHash, randomUUID } from 'node:crypto';
import { IsNull, LessThan, type DataSource } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { isUniqueViolation } from '../db/unique-violation';
import { badInput, withHttpStatus } from '../errors';
import { EventIdempotencyKeyEntity } from './idempotency-key.entity';

/** A key held for one create: Graph's transactionId for it, and the event once booked. */
export interface KeyClaim {
  id: string;
  transactionId: string;
  /** set when an earlier attempt with this key got Graph's answer */
  eventId: string | null;
}

export interface KeyRequest {
  tenantId: string;
  userId: string;
  key: string;
  /** what is asked for: the same key must always ask for the same */
  fingerprint: string;
}

/** How long a key is remembered; then it may be used again. */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * createEvent's idempotency keys in the database, shared by every replica. A key is claimed
 * before the create is sent; a second claim with the same content gets the same record (and
 * the same transactionId, so Graph returns the event it booked instead of booking again); with
 * other content it is refused.
 */
export class IdempotencyKeyStore {
  private lastPruneMs = 0;

  constructor(private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(EventIdempotencyKeyEntity);
  }

  async claim(request: KeyRequest): Promise<KeyClaim> {
    await this.pruneNowAndThen();
    const userId = request.userId.toLowerCase();
    const transactionId = transactionIdOf(request.tenantId, userId, request.key);
    // Twice at most: a second round only follows a record released between our insert and our read.
    for (let round = 0; ; round++) {
      const record = Object.assign(new EventIdempotencyKeyEntity(), {
        id: randomUUID(),
        tenantId: request.tenantId,
        userId,
        idempotencyKey: request.key,
        fingerprint: request.fingerprint,
        eventId: null,
        createdAt: new Date(),
      });
      try {
        await runInTransaction(this.dataSource, ({ manager }) => manager.insert(EventIdempotencyKeyEntity, record));
        return { id: record.id, transactionId, eventId: null };
      } catch (error) {
        if (!isUniqueViolation(error) || round > 0) throw error;
      }
      const earlier = await this.keys.findOneBy({ tenantId: request.tenantId, userId, idempotencyKey: request.key });
      if (!earlier) continue;
      if (earlier.fingerprint !== request.fingerprint) {
        throw withHttpStatus(
          badInput(
            'idempotencyKey was used before for a different event (other times, subject, attendees or calendar). A key stands for one booking: use a new key for a new event, or send exactly the same input to get the event booked with it.',
            { field: 'idempotencyKey' },
          ),
          400,
        );
      }
      return { id: earlier.id, transactionId, eventId: earlier.eventId };
    }
  }

  /** Graph answered with the event: later claims read it back instead of asking Graph to create it. */
  async settle(claim: KeyClaim, eventId: string): Promise<void> {
    await runInTransaction(this.dataSource, ({ manager }) => manager.update(EventIdempotencyKeyEntity, { id: claim.id }, { eventId }));
  }

  /** Microsoft refused the create, so nothing was booked: the key may be used again, with corrected input. */
  async release(claim: KeyClaim): Promise<void> {
    await runInTransaction(this.dataSource, ({ manager }) => manager.delete(EventIdempotencyKeyEntity, { id: claim.id, eventId: IsNull() }));
  }

  /** Forgets keys older than the retention, at most once an hour per process. */
  private async pruneNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = now;
    await runInTransaction(this.dataSource, ({ manager }) => manager.delete(EventIdempotencyKeyEntity, { createdAt: LessThan(new Date(now - IDEMPOTENCY_KEY_RETENTION_DAYS * DAY_MS)) }));
  }
}

/**
 * Graph's transactionId for a key: derived from it (never the key itself, which Graph would
 * show on the event), the same on every replica and for every attempt, even after the record
 * was released, so whatever Graph booked under it is found again.
 */
function transactionIdOf(tenantId: string, userId: string, key: string): string {
  const hex = createHash('sha256').update(`${tenantId}\n${userId}\n${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** What a create asks for, as Graph will receive it. */
export function fingerprintOf(calendarId: string | null | undefined, graphBody: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify({ calendarId: calendarId ?? null, body: graphBody })).digest('hex');
}
