import { badInput } from '../errors';
import type { EntityLoaders } from '../entity-loaders';
import { TenantStatus, type TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import { isGuid } from '../validation/input-rules';
import type { ClientCapability } from './caller';
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, type ClientTokenSigner } from './client-token';

export interface ClientTokenRequest {
  tenantId: string;
  userId?: string | null;
  capabilities: ClientCapability[];
  ttlSeconds: number;
}

/** Mints client tokens for the SaaS backend: one per end-user session, handed to its frontend. */
export class ClientTokenService {
  constructor(
    private readonly tenants: TenantService,
    private readonly signer: ClientTokenSigner,
  ) {}

  async mint(request: ClientTokenRequest, loaders: EntityLoaders): Promise<{ token: string; expiresAt: Date }> {
    checkClientTokenRequest(request);
    const tenant = await this.tenants.get(request.tenantId, loaders);
    if (tenant.status !== TenantStatus.CONSENTED) {
      throw badInput(
        `Tenant ${tenant.id} is ${tenant.status}, not CONSENTED, so a client token for it would only meet errors: ${tenant.statusReason ?? 'check it with refreshTenant'}`,
        { field: 'tenantId' },
      );
    }
    const userId = request.userId?.toLowerCase() ?? null;
    return this.signer.sign({ tenantId: tenant.id, userId, capabilities: [...new Set(request.capabilities)].sort() }, request.ttlSeconds, revokedBefore(tenant, userId));
  }

  /**
   * Refuses, on every replica at once, the client tokens issued until now: all of the tenant's (a
   * leaked token, a compromised frontend), or only those bound to one user (signed out,
   * deprovisioned). Tokens minted afterwards work. Returns the instant.
   */
  async revoke(tenantId: string, userId: string | null | undefined, loaders: EntityLoaders): Promise<Date> {
    checkGraphUserId(userId);
    const tenant = await this.tenants.get(tenantId, loaders);
    // Whole seconds, as tokens count time: every token issued in this second is refused too.
    const notBefore = new Date(Math.ceil(Date.now() / 1000) * 1000);
    await this.tenants.revokeClientTokens(tenant.id, notBefore, userId?.toLowerCase() ?? null, MAX_TTL_SECONDS * 1000);
    return notBefore;
  }
}

/** The instant before which the tenant's tokens for this user (or for the whole tenant) are refused; null when none is. */
export function revokedBefore(tenant: TenantEntity, userId: string | null): Date | null {
  const forUser = userId ? tenant.clientTokenUserRevocations?.[userId] : undefined;
  const times = [tenant.clientTokensNotBefore?.getTime() ?? 0, forUser ? Date.parse(forUser) : 0];
  const latest = Math.max(...times);
  return latest > 0 ? new Date(latest) : null;
}

function checkGraphUserId(userId: string | null | undefined): void {
  if (userId != null && !isGuid(userId)) {
    throw badInput("userId must be the user's Graph id (a GUID, the id from Tenant.users), not a name or an email address", { field: 'userId' });
  }
}

/** Also run before execution (see argument-preflight), so a bad request is refused with HTTP 400. */
export function checkClientTokenRequest(request: Omit<ClientTokenRequest, 'tenantId'>): void {
  const { ttlSeconds, capabilities, userId } = request;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL_SECONDS || ttlSeconds > MAX_TTL_SECONDS) {
    throw badInput(`ttlSeconds must be between ${MIN_TTL_SECONDS} and ${MAX_TTL_SECONDS}; got ${ttlSeconds}. Mint a new token when it runs out`, { field: 'ttlSeconds' });
  }
  if (capabilities.length === 0) {
    throw badInput('capabilities cannot be empty: list what the frontend needs, e.g. [READ_DIRECTORY, READ_CALENDARS]', { field: 'capabilities' });
  }
  checkGraphUserId(userId);
}

export const accessArgumentChecks = {
  'Mutation.createClientToken': checkClientTokenRequest,
  'Mutation.revokeClientTokens': ({ userId }: { userId?: string | null }) => checkGraphUserId(userId),
};
