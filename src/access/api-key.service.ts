import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { runInTransaction } from '../db/transaction';
import { isUniqueViolation } from '../db/unique-violation';
import { badInput, notFound } from '../errors';
import type { Logger } from '../observability/logger';
import { isGuid, validText } from '../validation/input-rules';
import { ApiKeyEntity, ApiKeyRole } from './api-key.entity';

const CACHE_TTL_MS = 5_000;

const hashOf = (key: string) => createHash('sha256').update(key).digest();

/** An API key that authenticated a request. */
export interface AuthenticatedKey {
  id: string;
  role: ApiKeyRole;
}

/**
 * API keys (ADMIN or READ_ONLY). Only SHA-256 hashes are stored; a revoked key stays as a tombstone. The hash list is cached briefly in memory so
 * authentication costs no database query; a key revoked on another replica stops working within 5 s.
 */
export class ApiKeyService {
  private cache: { at: number; keys: Array<AuthenticatedKey & { hash: Buffer }> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /**
   * At start: registers XKIT_ADMIN_API_KEY, or outside production creates a first key when there is
   * none and returns it so it can be printed once.
   */
  async bootstrap(adminApiKey: string | null, production: boolean): Promise<{ generatedKey: string | null }> {
    if (adminApiKey) {
      const existing = await this.repository.findOneBy({ keyHash: hashOf(adminApiKey).toString('hex') });
      if (!existing) {
        // Replicas starting together race to register the same key: the loser finds it there.
        await this.insert('bootstrap (XKIT_ADMIN_API_KEY)', adminApiKey, ApiKeyRole.ADMIN).catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
        });
      } else if (existing.revokedAt) {
        this.logger.warn('XKIT_ADMIN_API_KEY was revoked through the API and stays revoked; set it to a new key, or sign in with another key');
      }
      return { generatedKey: null };
    }
    if ((await this.repository.countBy({ revokedAt: IsNull() })) > 0) return { generatedKey: null };
    if (production) {
      throw new Error('XKIT_ADMIN_API_KEY is required when NODE_ENV=production and no API key exists yet; generate one with: openssl rand -base64 32');
    }
    const key = newKey();
    await this.insert('bootstrap (generated at first start)', key, ApiKeyRole.ADMIN);
    return { generatedKey: key };
  }

  /** The key when the bearer token is a valid key, else null. Constant-time per comparison. */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    if (!presented || presented.length > 512) return null;
    const hash = hashOf(presented);
    let match: AuthenticatedKey | null = null;
    for (const key of await this.activeKeys()) {
      if (timingSafeEqual(key.hash, hash)) match = { id: key.id, role: key.role };
    }
    return match;
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.repository.find({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async create(name: string, role: ApiKeyRole): Promise<{ entity: ApiKeyEntity; key: string }> {
    const key = newKey();
    return { entity: await this.insert(validText('name', name, 100), key, role), key };
  }

  async revoke(id: string, callerKeyId: string | null): Promise<boolean> {
    const key = isGuid(id) ? await this.repository.findOneBy({ id, revokedAt: IsNull() }) : null;
    if (!key) throw notFound(`No API key with id "${id.slice(0, 64)}"; list them with { apiKeys { id name } }`);
    if (key.id === callerKeyId) throw badInput('You cannot revoke the key this request is using; use another key to revoke it');
    // Kept as a tombstone, so the same XKIT_ADMIN_API_KEY is not registered again at the next start.
    await runInTransaction(this.dataSource, ({ manager }) => manager.update(ApiKeyEntity, { id: key.id }, { revokedAt: new Date() }));
    this.cache = null;
    return true;
  }

  private async insert(name: string, key: string, role: ApiKeyRole): Promise<ApiKeyEntity> {
    const entity = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      name,
      keyHash: hashOf(key).toString('hex'),
      keyPrefix: key.slice(0, 8),
      role,
      createdAt: new Date(),
      revokedAt: null,
    });
    await runInTransaction(this.dataSource, ({ manager }) => manager.insert(ApiKeyEntity, entity));
    this.cache = null;
    return entity;
  }

  private async activeKeys() {
    if (!this.cache || Date.now() - this.cache.at > CACHE_TTL_MS) {
      const rows = await this.repository.find({ select: { id: true, keyHash: true, role: true }, where: { revokedAt: IsNull() } });
      this.cache = { at: Date.now(), keys: rows.map((row) => ({ id: row.id, role: row.role, hash: Buffer.from(row.keyHash, 'hex') })) };
    }
    return this.cache.keys;
  }
}

function newKey(): string {
  return `xkit_${randomBytes(32).toString('base64url')}`;
}
