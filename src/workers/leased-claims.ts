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
 * Claims rows for one replica: in one `UPDATE … WHERE key IN (SELECT …) RETURNING key`, due rows
 * not leased by anyone are chosen (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two replicas claiming
 * at once get different rows; SQLite has one process and one writer) and leased until now +
 * leaseMs. The work runs afterwards, outside any transaction; `finish` forgets a row whose own
 * update cleared the lease, and `releaseAll`, at stop, gives back what this process still holds so
 * another process can take it at once.
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
    const metadata = this.dataSource.getMetadata(this.query.entity);
    const driver = this.dataSource.driver;
    let select = due(this.dataSource.createQueryBuilder(this.query.entity, alias).select(`${alias}.${key}`))
      .andWhere(`(${alias}.claimed_until IS NULL OR ${alias}.claimed_until <= :claimNow)`, { claimNow: now })
      .limit(limit);
    const postgres = driver.options.type === 'postgres';
    if (postgres) select = select.setLock('pessimistic_write', undefined, [alias]).setOnLocked('skip_locked');
    const [selected, parameters] = select.getQueryAndParameters();
    const keyColumn = driver.escape(this.keyColumn());
    const leasedUntil = driver.preparePersistentValue(new Date(now.getTime() + this.query.leaseMs), metadata.findColumnWithPropertyName('claimedUntil')!);
    // One statement, in a transaction only so that SQLite's single connection serves it between others' transactions.
    const rows = await runInTransaction(this.dataSource, async ({ manager }) => {
      const result = await manager.queryRunner!.query(
        `UPDATE ${driver.escape(metadata.tableName)} SET ${driver.escape('claimed_until')} = ${driver.createParameter('leasedUntil', parameters.length)} WHERE ${keyColumn} IN (${selected}) RETURNING ${keyColumn} AS claim_key`,
        // PostgreSQL's parameters are numbered ($n: the lease is the last); SQLite's are positional (the lease comes first in the text).
        postgres ? [...parameters, leasedUntil] : [leasedUntil, ...parameters],
        true,
      );
      return (result as { records?: Array<{ claim_key: string | number }> }).records ?? [];
    });
    const keys = rows.map((row) => String(row.claim_key));
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
    await runInTransaction(this.dataSource, ({ manager }) =>
      manager.createQueryBuilder().update(this.query.entity).set({ claimedUntil: null } as never).where(`${this.keyColumn()} IN (:...keys)`, { keys }).execute(),
    );
  }

  private keyColumn(): string {
    const column = this.dataSource.getMetadata(this.query.entity).findColumnWithPropertyName(this.query.key);
    if (!column) throw new Error(`no column for the claim key ${this.query.key}`);
    return column.databaseName;
  }
}
