import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { GatewayKeys } from '../crypto/keys';
import type { SharedTokenCache } from '../microsoft/app-token.service';
import type { Logger } from '../observability/logger';

const KEY_PREFIX = 'xkit:';
// Deletes the lock only if this process still holds it (it may have expired and been taken).
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * App tokens shared by every replica through Redis. Tokens are encrypted with XKIT_SECRET_KEY,
 * so a Redis snapshot is no more useful to a reader than the database is. Commands fail fast
 * while Redis is away (no offline queue): the token service then falls back to its own memory.
 */
export class RedisTokenCache implements SharedTokenCache {
  private readonly redis: Redis;
  private readonly lockOwner = randomBytes(12).toString('base64url');
  private available = false;

  constructor(url: string, private readonly keys: GatewayKeys, private readonly logger: Logger) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
    });
    this.redis.on('ready', () => {
      if (!this.available) this.logger.info('redis connected: app tokens are shared by all replicas');
      this.available = true;
    });
    this.redis.on('error', () => undefined); // reported once through 'close' below, not on every retry
    this.redis.on('close', () => {
      if (this.available) this.logger.warn('redis unavailable: serving app tokens from this process\'s memory until it returns');
      this.available = false;
    });
  }

  get status(): 'ok' | 'unavailable' {
    return this.available ? 'ok' : 'unavailable';
  }

  async get(key: string): Promise<string | null> {
    const sealed = await this.redis.get(KEY_PREFIX + key);
    if (sealed === null) return null;
    try {
      return this.keys.decrypt(sealed, key);
    } catch {
      return null; // written under another XKIT_SECRET_KEY: treat as absent
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(KEY_PREFIX + key, this.keys.encrypt(value, key), 'EX', Math.max(1, Math.floor(ttlSeconds)));
  }

  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${KEY_PREFIX}lock:${key}`, this.lockOwner, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX')) === 'OK';
  }

  async unlock(key: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK, 1, `${KEY_PREFIX}lock:${key}`, this.lockOwner);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
