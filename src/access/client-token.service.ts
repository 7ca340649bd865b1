import { badInput } from '../errors';
import type { EntityLoaders } from '../entity-loaders';
import { TenantStatus } from '../tenants/tenant.entity';
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
    return this.signer.sign(
      { tenantId: tenant.id, userId: request.userId?.toLowerCase() ?? null, capabilities: [...new Set(request.capabilities)].sort() },
      request.ttlSeconds,
      tenant.clientTokensNotBefore,
    );
  }

  /**
   * Refuses, on every replica at once, every client token of the tenant issued until now (a
   * leaked token, a compromised frontend). Tokens minted afterwards work. Returns the instant.
   */
  async revokeAll(tenantId: string, loaders: EntityLoaders): Promise<Date> {
    const tenant = await this.tenants.get(tenantId, loaders);
    // Whole seconds, as tokens count time: every token issued in this second is refused too.
    const notBefore = new Date(Math.ceil(Date.now() / 1000) * 1000);
    await this.tenants.revokeClientTokens(tenant.id, notBefore);
    return notBefore;
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
  if (userId != null && !isGuid(userId)) {
    throw badInput("userId must be the user's Graph id (a GUID, the id from Tenant.users), not a name or an email address", { field: 'userId' });
  }
}

export const accessArgumentChecks = {
  'Mutation.createClientToken': checkClientTokenRequest,
};
