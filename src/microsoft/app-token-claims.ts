/**
 * The claims the gateway reads from an app-only Graph token.
 *
 * Graph access tokens are opaque to clients: Microsoft may change their format and clients
 * must not validate them. We still read two claims, without checking the signature, because
 * they are the only place Microsoft tells us what an admin actually granted (`roles`) and which
 * directory the token belongs to (`tid`, the proof of the consent callback's `tenant`).
 */
export interface AppTokenClaims {
  tenantId: string;
  roles: string[];
  /** `exp` as a Date, when present */
  expiresAt: Date | null;
}

export function readAppTokenClaims(accessToken: string): AppTokenClaims | null {
  const payload = accessToken.split('.')[1];
  if (!payload) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const { tid, roles, exp } = claims as Record<string, unknown>;
  if (typeof tid !== 'string' || tid === '') return null;
  return {
    tenantId: tid,
    // With no application permission granted, Microsoft omits the claim altogether.
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : null,
  };
}
