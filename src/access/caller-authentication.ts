import type DataLoader from 'dataloader';
import { GatewayError, withHttpStatus } from '../errors';
import { clientTokenRefusals } from '../observability/metrics';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { ApiKeyService } from './api-key.service';
import { ANONYMOUS, type Caller } from './caller';
import type { ClientRateLimit } from './client-rate-limit';
import { revokedBefore } from './client-token.service';
import { ClientTokenRejected, type ClientTokenSigner } from './client-token';

// A JWT: three base64url parts (the last empty when unsigned, refused like any forgery). API keys
// (xkit_…, or an operator's XKIT_ADMIN_API_KEY) never take this shape.
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Decides who sent a request, once, before it executes. An API key is looked up among the cached
 * hashes; a client token is verified by its signature, counted against its subject's rate limit,
 * and its tenant read (the one database read, which the request's resolvers then reuse). A client
 * token that fails refuses the whole request with HTTP 401; a wrong API key leaves the caller
 * anonymous, so that the public catalog still answers.
 */
export class CallerAuthentication {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly signer: ClientTokenSigner,
    private readonly rateLimit: ClientRateLimit,
  ) {}

  async callerOf(authorization: string | undefined, tenants: DataLoader<string, TenantEntity | null>): Promise<Caller> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!bearer) return ANONYMOUS;
    if (!JWT_SHAPE.test(bearer)) {
      const key = await this.apiKeys.authenticate(bearer);
      return key ? { kind: 'apiKey', keyId: key.id, role: key.role } : ANONYMOUS;
    }
    const claims = await this.signer.verify(bearer).catch((error: unknown) => {
      if (!(error instanceof ClientTokenRejected)) throw error;
      clientTokenRefusals.inc({ reason: error.reason });
      throw unauthenticated(error.message);
    });
    const admitted = this.rateLimit.admit(`${claims.tenantId}:${claims.userId ?? '*'}`).catch((error: unknown) => {
      clientTokenRefusals.inc({ reason: 'rate_limited' });
      throw error;
    });
    const [tenant] = await Promise.all([tenants.load(claims.tenantId), admitted]);
    if (!tenant) {
      clientTokenRefusals.inc({ reason: 'tenant_removed' });
      throw unauthenticated('This client token is no longer valid: its tenant was removed; ask your backend for a new one once the tenant is connected again');
    }
    const revokedAt = revokedBefore(tenant, claims.userId);
    if (revokedAt && claims.issuedAt < revokedAt) {
      clientTokenRefusals.inc({ reason: 'revoked' });
      throw unauthenticated(`This client token was revoked at ${revokedAt.toISOString()} (revokeClientTokens); ask your backend for a new one`);
    }
    return { kind: 'client', tenant, userId: claims.userId, capabilities: new Set(claims.capabilities), expiresAt: claims.expiresAt };
  }
}

function unauthenticated(message: string) {
  return withHttpStatus(new GatewayError('UNAUTHENTICATED', message), 401, new Map([['www-authenticate', 'Bearer error="invalid_token"']]));
}
