import type { DataSource, EntityManager } from 'typeorm';

/** A transaction in progress: its manager, and work to run only once it has committed. */
export interface Transaction {
  manager: EntityManager;
  /** runs after COMMIT, never after a rollback: waking a worker that must see the new rows */
  afterCommit(work: () => void): void;
  /** PostgreSQL: rows can be locked (FOR UPDATE … SKIP LOCKED); SQLite: one writer at a time anyway */
  locksRows: boolean;
}

/** One queue per SQLite data source: see runInTransaction. */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a database transaction. On SQLite, TypeORM's better-sqlite3 driver has a single
 * query runner for the whole process, so two transactions awaited at once would interleave on it
 * (the second becomes a savepoint of the first, and one's rollback undoes the other's work): the
 * transactions made here wait for each other instead (so never start one inside another: pass the
 * Transaction down). Keep them short and free of network calls; writes outside any transaction
 * would join whichever one is open on that connection, so background writes go through here too.
 */
export async function runInTransaction<T>(dataSource: DataSource, work: (transaction: Transaction) => Promise<T>): Promise<T> {
  const locksRows = dataSource.options.type === 'postgres';
  const run = async () => {
    const callbacks: Array<() => void> = [];
    const result = await dataSource.transaction((manager) => work({ manager, afterCommit: (callback) => callbacks.push(callback), locksRows }));
    for (const callback of callbacks) callback();
    return result;
  };
  if (locksRows) return run();
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const current = previous.then(run);
  sqliteQueues.set(dataSource, current.catch(() => undefined));
  return current;
}
