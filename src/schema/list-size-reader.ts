import type { DataSource } from 'typeorm';
import type { TenantChangeListener } from '../tenants/tenant-changes';
import type { ListSizes } from './query-cost';

/** How long list sizes are reused: another replica's new tenant counts in the cost within this. */
const MAX_AGE_MS = 1_000;

/**
 * The list sizes the query cost multiplies by (connectors, tenants per connector), read with one
 * statement and reused for a second: the cost limit needs their order of magnitude, not the last
 * row, and reading them for every request cost a cheap list query a sixth of its throughput.
 * This process's own additions and removals are seen at once (`invalidate`).
 */
export class ListSizeReader {
  private cached: { readAt: number; sizes: Promise<ListSizes> } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  read(): Promise<ListSizes> {
    const now = Date.now();
    if (!this.cached || now - this.cached.readAt > MAX_AGE_MS) {
      const sizes = this.query();
      const entry = { readAt: now, sizes };
      this.cached = entry;
      // A failed read (the database away) is not reused.
      sizes.catch(() => {
        if (this.cached === entry) this.cached = null;
      });
    }
    return this.cached.sizes;
  }

  /** A connector or tenant was added or removed here: the next request reads the sizes again. */
  invalidate(): void {
    this.cached = null;
  }

  /** Invalidates once a transaction that records or removes a tenant has committed. */
  readonly tenantListener: TenantChangeListener = {
    changed: async (transaction, { before, after }) => {
      if (!before || !after) transaction.afterCommit(() => this.invalidate());
    },
  };

  private async query(): Promise<ListSizes> {
    const rows: Array<{ id: string; tenants: string | number }> = await this.dataSource.query(
      'SELECT c.id AS id, (SELECT COUNT(*) FROM tenants t WHERE t.connector_id = c.id) AS tenants FROM connectors c',
    );
    return { connectors: rows.length, tenantsByConnector: new Map(rows.map((row) => [row.id, Number(row.tenants)])) };
  }
}
