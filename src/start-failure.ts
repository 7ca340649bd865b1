import type { GatewayConfig } from './config/config';

/**
 * The failures an operator meets at start, each as one line naming the variable and the fix.
 * Never the database password: URLs are shown without their credentials.
 */
export function describeStartFailure(config: GatewayConfig, step: 'database' | 'listen', error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (step === 'listen') {
    switch (code) {
      case 'EADDRINUSE':
        return `PORT ${config.port} on HOST ${config.host} is already in use by another process: stop it, or set PORT to a free port`;
      case 'EACCES':
        return `PORT ${config.port} needs privileges this process does not have: use a port above 1023, or set PORT accordingly`;
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `HOST "${config.host}" is not an address of this machine: set HOST to one of its addresses, 0.0.0.0 for all, or 127.0.0.1 for this machine only`;
      default:
        return `could not listen on ${config.host}:${config.port} (${code ?? message}); check HOST and PORT`;
    }
  }
  if (config.database.type === 'postgres') {
    const where = safeDatabaseUrl(config.database.url);
    switch (code) {
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ETIMEDOUT':
        return `XKIT_DATABASE_URL: PostgreSQL at ${where} cannot be reached (${code}); check that the server runs and that host and port are right`;
      case '28P01':
      case '28000':
        return `XKIT_DATABASE_URL: PostgreSQL at ${where} refused the user name or password; fix the credentials in the URL`;
      case '3D000':
        return `XKIT_DATABASE_URL: the database in ${where} does not exist; create it (createdb) or fix the name`;
      default:
        return `XKIT_DATABASE_URL: PostgreSQL at ${where} failed: ${scrubUrl(message, config.database.url)}`;
    }
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'ENOENT' || code === 'SQLITE_READONLY') {
    return `XKIT_DATABASE_URL: the SQLite database ${config.database.path} cannot be opened for writing (${code}); check that its folder exists and belongs to this user`;
  }
  return `XKIT_DATABASE_URL: the SQLite database ${config.database.path} failed: ${message}`;
}

function safeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return '(the configured URL)';
  }
}

function scrubUrl(message: string, url: string): string {
  try {
    const { password } = new URL(url);
    return password ? message.split(decodeURIComponent(password)).join('[redacted]') : message;
  } catch {
    return message;
  }
}
