import { createHash } from 'node:crypto';
import type { Logger } from '../observability/logger';
import { readAppTokenClaims } from './app-token-claims';

/** A cache shared by all gateway processes (Redis in production). */
export interface SharedTokenCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** single-flight across processes; resolves false if another holder has it */
  tryLock?(key: string, ttlMs: number): Promise<boolean>;
  unlock?(key: string): Promise<void>;
}

/** Which token: one per app registration version and tenant. */
export interface AppTokenKey {
  connectorId: string;
  clientId: string;
  version: string;
  tenantId: string;
}

export interface CachedAppToken {
  accessToken: string;
  expiresAt: Date;
  roles: string[];
  tenantId: string;
}

interface MemoryEntry extends CachedAppToken {
  connectorId: string;
}

/**
 * Two layers of app tokens: this process's memory first, then the optional shared cache.
 *
 * A token counts as usable until `refreshMarginSeconds` before it expires (msal-node uses a
 * fixed 300 s), so a caller never receives a token that dies mid-request. The shared layer is
 * best effort: if it fails or hangs, requests carry on with the memory layer and one warning
 * is logged per outage, because a Redis hiccup must not turn into failed GraphQL requests.
 */
export class AppTokenCache {
  private readonly memory = new Map<string, MemoryEntry>();
  private sharedCacheDown = false;

  constructor(
    private readonly options: {
      refreshMarginSeconds: number;
      logger: Logger;
      sharedCache?: SharedTokenCache;
      /** how long a shared-cache call may take before we go on without it */
      sharedCacheTimeoutMs: number;
    },
  ) {}

  get hasSharedLayer(): boolean {
    return this.options.sharedCache !== undefined;
  }

  readMemory(key: AppTokenKey): CachedAppToken | null {
    const entry = this.memory.get(memoryKeyOf(key));
    return entry && this.isUsable(entry.expiresAt) ? entry : null;
  }

  async readShared(key: AppTokenKey): Promise<CachedAppToken | null> {
    const shared = this.options.sharedCache;
    if (!shared) return null;
    const stored = await this.guard('get', () => shared.get(sharedKeyOf(key)), null);
    const token = stored === null ? null : parseSharedEntry(stored, key.tenantId);
    if (!token || !this.isUsable(token.expiresAt)) return null;
    this.memory.set(memoryKeyOf(key), { ...token, connectorId: key.connectorId });
    return token;
  }

  async write(key: AppTokenKey, token: CachedAppToken): Promise<void> {
    this.memory.set(memoryKeyOf(key), { ...token, connectorId: key.connectorId });
    const shared = this.options.sharedCache;
    const ttlSeconds = Math.floor((token.expiresAt.getTime() - Date.now()) / 1000) - this.options.refreshMarginSeconds;
    if (!shared || ttlSeconds <= 0) return;
    const value = JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt.getTime() });
    await this.guard('set', () => shared.set(sharedKeyOf(key), value, ttlSeconds), undefined);
  }

  /**
   * Runs `produce` while holding the shared lock for this key, so that when many processes miss
   * at once only one asks Microsoft. A process that does not get the lock waits for the holder's
   * token to appear in the shared cache, and produces its own if it does not appear in time.
   */
  async singleFlightAcrossProcesses(
    key: AppTokenKey,
    lockTtlMs: number,
    produce: () => Promise<CachedAppToken>,
  ): Promise<{ token: CachedAppToken; produced: boolean }> {
    const shared = this.options.sharedCache;
    if (!shared?.tryLock) return { token: await produce(), produced: true };
    const lockKey = `${sharedKeyOf(key)}:lock`;
    const locked = await this.guard('lock', () => shared.tryLock!(lockKey, lockTtlMs), true);
    if (!locked) {
      const deadline = Date.now() + lockTtlMs;
      while (Date.now() < deadline) {
        await delay(100);
        const token = await this.readShared(key);
        if (token) return { token, produced: false };
        if (this.sharedCacheDown) break;
      }
      return { token: await produce(), produced: true };
    }
    try {
      // The previous holder may have stored the token between our miss and our lock.
      const token = await this.readShared(key);
      return token ? { token, produced: false } : { token: await produce(), produced: true };
    } finally {
      if (shared.unlock) await this.guard('unlock', () => shared.unlock!(lockKey), undefined);
    }
  }

  forgetConnector(connectorId: string): void {
    for (const [memoryKey, entry] of this.memory) {
      if (entry.connectorId === connectorId) this.memory.delete(memoryKey);
    }
  }

  /** usable means not expiring within the refresh margin */
  isUsable(expiresAt: Date | null): boolean {
    return expiresAt !== null && expiresAt.getTime() - this.options.refreshMarginSeconds * 1000 > Date.now();
  }

  private async guard<T>(operation: string, call: () => Promise<T>, fallback: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.sharedCacheTimeoutMs} ms`)),
        this.options.sharedCacheTimeoutMs,
      );
    });
    try {
      const result = await Promise.race([call(), timeout]);
      if (this.sharedCacheDown) {
        this.sharedCacheDown = false;
        this.options.logger.info('shared token cache is answering again');
      }
      return result;
    } catch (error) {
      if (!this.sharedCacheDown) {
        this.sharedCacheDown = true;
        this.options.logger.warn(
          { operation, err: error instanceof Error ? error.message : String(error) },
          'shared token cache failed; using this process memory until it answers again',
        );
      }
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}

function memoryKeyOf(key: AppTokenKey): string {
  return JSON.stringify([key.connectorId, key.version, key.tenantId.toLowerCase()]);
}

/**
 * The shared key names the app registration (client id + a hash of the credentials version) and
 * the tenant, so every process serving the same connector finds the same token. The version is
 * hashed because callers may derive it from the secret; the secret itself never goes near a key.
 */
function sharedKeyOf(key: AppTokenKey): string {
  const versionHash = createHash('sha256').update(key.version).digest('hex').slice(0, 16);
  return `xkit:app-token:v1:${key.clientId}:${versionHash}:${key.tenantId.toLowerCase()}`;
}

function parseSharedEntry(stored: string, tenantId: string): CachedAppToken | null {
  let entry: unknown;
  try {
    entry = JSON.parse(stored);
  } catch {
    return null;
  }
  const { accessToken, expiresAt } = (entry ?? {}) as Record<string, unknown>;
  if (typeof accessToken !== 'string' || typeof expiresAt !== 'number') return null;
  const claims = readAppTokenClaims(accessToken);
  // Anything in a shared store is re-checked: it must still be a token for this tenant.
  if (!claims || claims.tenantId.toLowerCase() !== tenantId.toLowerCase()) return null;
  return { accessToken, expiresAt: new Date(expiresAt), roles: claims.roles, tenantId: claims.tenantId };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
