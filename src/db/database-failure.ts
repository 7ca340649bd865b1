import { TypeORMError } from 'typeorm';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', '55000', '3D000']);
/** PostgreSQL's SQLSTATE classes for a server that cannot serve: connection exception, insufficient resources, operator intervention, system error. */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);

/** Whether an error is the database failing (gone, refusing, busy) rather than a bug: worth a 503 and a retry. */
export function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof TypeORMError) return true;
  const code = (error as { code?: string; driverError?: { code?: string } } | null)?.driverError?.code ?? (error as { code?: string } | null)?.code;
  if (code !== undefined && (CONNECTION_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2))))) return true;
  // pg's pool and TypeORM's destroyed data source say so in words only.
  return error instanceof Error && /connection terminated|Connection is not established|pool (is|has been) (closed|ended)|database is (locked|closed)/i.test(error.message);
}
