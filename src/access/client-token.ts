import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { GatewayKeys } from '../crypto/keys';
import { isGuid } from '../validation/input-rules';
import { ClientCapability } from './caller';

/** The HKDF purpose of the signing key: nothing else signs with it, and it signs nothing else. */
export const CLIENT_TOKEN_KEY_PURPOSE = 'xkit/client-token/v1';
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 3600;
const ISSUER = 'xkit';
const AUDIENCE = 'xkit:client';
/** Verified tokens remembered per process; a frontend sends the same one with every request of its session. */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface ClientTokenClaims {
  /** the gateway's tenant row id: a removed tenant's row is gone, and a re-consented one gets a new id */
  tenantId: string;
  userId: string | null;
  capabilities: ClientCapability[];
  /** whole seconds, as in the token */
  issuedAt: Date;
  expiresAt: Date;
}

/** Why a presented client token was refused; the message never repeats the token. */
export class ClientTokenRejected extends Error {
  constructor(readonly reason: 'expired' | 'invalid', message: string) {
    super(message);
    this.name = 'ClientTokenRejected';
  }
}

const guid = z.string().refine(isGuid);
const payloadSchema = z.object({
  sub: guid,
  usr: guid.optional(),
  cap: z.array(z.enum(ClientCapability)).min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * Client tokens are JWTs (HS256) signed with a key derived from XKIT_SECRET_KEY: any replica
 * verifies one with no shared state, and nothing but this gateway can make one.
 */
export class ClientTokenSigner {
  private readonly key: KeyObject;
  /** token → its claims; the same string always verifies the same way, and expiry is checked on every use */
  private readonly verified = new Map<string, ClientTokenClaims>();

  constructor(keys: GatewayKeys) {
    this.key = createSecretKey(keys.subkey(CLIENT_TOKEN_KEY_PURPOSE));
  }

  /**
   * `notBefore`: the tenant's revocation instant, if any. A token minted in the second of a
   * revocation says it was issued at that instant (rounded up), so it is not taken for one of the
   * tokens revoked.
   */
  async sign(claims: Omit<ClientTokenClaims, 'issuedAt' | 'expiresAt'>, ttlSeconds: number, notBefore: Date | null = null): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.max(Math.floor(Date.now() / 1000), notBefore ? Math.ceil(notBefore.getTime() / 1000) : 0);
    const token = await new SignJWT({ cap: claims.capabilities, ...(claims.userId ? { usr: claims.userId } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.tenantId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
  }

  /** The claims of a token this gateway signed and that has not expired; throws ClientTokenRejected otherwise. */
  async verify(token: string): Promise<ClientTokenClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt.getTime() > Date.now()) return known;
    this.verified.delete(token);
    const claims = await this.verifySignature(token);
    // Oldest first out: a bound on memory, not a cache policy worth tuning.
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  /** The signature and claims checked with jose: about 20 µs, a few per cent of a small query. */
  private async verifySignature(token: string): Promise<ClientTokenClaims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['iat', 'exp', 'sub'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        const expiredAt = typeof error.payload.exp === 'number' ? ` at ${new Date(error.payload.exp * 1000).toISOString()}` : '';
        throw new ClientTokenRejected('expired', `This client token expired${expiredAt}; ask your backend for a new one (createClientToken)`);
      }
      if (error instanceof errors.JOSEError) throw invalid();
      throw error;
    }
    const claims = payloadSchema.safeParse(payload);
    // A token that lives longer than any the gateway mints was not minted by it as it is now.
    if (!claims.success || claims.data.exp - claims.data.iat > MAX_TTL_SECONDS) throw invalid();
    const { sub, usr, cap, iat, exp } = claims.data;
    return { tenantId: sub, userId: usr ?? null, capabilities: cap, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  }
}

const invalid = () =>
  new ClientTokenRejected('invalid', 'This client token is not valid: it was altered, or not signed by this gateway; ask your backend for a new one (createClientToken)');
