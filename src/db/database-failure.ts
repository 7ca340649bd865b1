import { TypeORMError } from 'typeorm';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', 'SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN']);

/** Whether an error is the database failing (gone, refusing, busy) rather than a bug: worth a 503 and a retry. */
export function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof TypeORMError) return true;
  const code = (error as { code?: string; driverError?: { code?: string } } | null)?.driverError?.code ?? (error as { code?: string } | null)?.code;
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  // pg's pool and TypeORM's destroyed data source say so in words only.
  return error instanceof Error && /connection terminated|Connection is not established|pool (is|has been) (closed|ended)|database is (locked|closed)/i.test(error.message);
}
