import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Rows of one entity by primary key, read with one plain SQL statement and hydrated the way
 * TypeORM's driver hydrates them (dates, simple-json). For the reads every request makes (a
 * tenant, its connector), TypeORM's query builder costs several times the query itself
 * (about 78 µs against 16 µs on SQLite), so these skip it.
 */
export class RowsById<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly selectFrom: string;
  private readonly postgres: boolean;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    const driver = dataSource.driver;
    const [primary] = this.metadata.primaryColumns;
    if (!primary || this.metadata.primaryColumns.length !== 1) throw new Error(`${this.metadata.name} needs exactly one primary column`);
    const columns = this.metadata.columns.map((column) => driver.escape(column.databaseName)).join(', ');
    this.selectFrom = `SELECT ${columns} FROM ${driver.escape(this.metadata.tableName)} WHERE ${driver.escape(primary.databaseName)} IN `;
    this.postgres = driver.options.type === 'postgres';
  }

  async load(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const placeholders = ids.map((_, index) => (this.postgres ? `$${index + 1}` : '?')).join(', ');
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`${this.selectFrom}(${placeholders})`, [...ids]);
    return rows.map((row) => this.hydrate(row));
  }

  private hydrate(row: Record<string, unknown>): T {
    const entity = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      (entity as Record<string, unknown>)[column.propertyName] = this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return entity;
  }
}
