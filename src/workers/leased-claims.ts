import type { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { runInTransaction } from '../db/transaction';

/** A row background work can claim: `claimed_until` is the lease. */
export interface Claimable extends ObjectLiteral {
  claimedUntil: Date | null;
}

export interface ClaimQuery<T extends Claimable> {
  entity: EntityTarget<T>;
  /** the alias the `due` conditions use */
  alias: string;
  /** the primary key's property name (one column) */
  key: string;
  /** how long a claim holds if its replica dies before finishing: longer than the work can take */
  leaseMs: number;
}

/**
 * Claims rows for one replica: in one short transaction, due rows not leased by anyone are
 * selected (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two replicas claiming at once get different
 * rows; SQLite has one process and one writer) and leased until now + leaseMs. The work runs after
 * the commit, outside any transaction; `finish` is how it gives a row back, and `releaseAll`, at
 * stop, gives back what this process still holds so another process can take it at once.
 */
export class LeasedClaims<T extends Claimable> {
  private readonly held = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly query: ClaimQuery<T>,
  ) {}

  /** Keys of up to `limit` due rows, now leased to this process. `due` adds the where and order clauses. */
  async claim(now: Date, limit: number, due: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>): Promise<string[]> {
    if (limit <= 0) return [];
    const { alias, key } = this.query;
    const keys = await runInTransaction(this.dataSource, async ({ manager, locksRows }) => {
      let select = due(manager.createQueryBuilder(this.query.entity, alias).select(`${alias}.${key}`, 'claim_key'))
        .andWhere(`(${alias}.claimed_until IS NULL OR ${alias}.claimed_until <= :claimNow)`, { claimNow: now })
        .limit(limit);
      if (locksRows) select = select.setLock('pessimistic_write', undefined, [alias]).setOnLocked('skip_locked');
      const found = (await select.getRawMany<{ claim_key: string | number }>()).map((row) => String(row.claim_key));
      if (found.length > 0) {
        await manager
          .createQueryBuilder()
          .update(this.query.entity)
          .set({ claimedUntil: new Date(now.getTime() + this.query.leaseMs) } as never)
          .where(`${this.keyColumn()} IN (:...claimed)`, { claimed: found })
          .execute();
      }
      return found;
    });
    for (const claimed of keys) this.held.add(claimed);
    return keys;
  }

  /** The work on this row is done (its own update cleared the lease) or abandoned. */
  finish(key: string): void {
    this.held.delete(key);
  }

  /** At stop: rows claimed and not finished are free again for any replica. */
  async releaseAll(): Promise<void> {
    const keys = [...this.held];
    this.held.clear();
    if (keys.length === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .update(this.query.entity)
      .set({ claimedUntil: null } as never)
      .where(`${this.keyColumn()} IN (:...keys)`, { keys })
      .execute();
  }

  private keyColumn(): string {
    const column = this.dataSource.getMetadata(this.query.entity).findColumnWithPropertyName(this.query.key);
    if (!column) throw new Error(`no column for the claim key ${this.query.key}`);
    return column.databaseName;
  }
}
