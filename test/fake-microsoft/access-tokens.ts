import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppRegistration, Tenant } from './directory';
import { guidFrom } from './seeded-random';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** The claims of an app-only Graph token (v1 token, as Graph receives them). */
export interface AppTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  app_displayname: string;
  appid: string;
  appidacr: '1';
  idp: string;
  idtyp: 'app';
  oid: string;
  sub: string;
  roles?: string[];
  tid: string;
  uti: string;
  ver: '1.0';
}

export type TokenCheck =
  | { valid: true; claims: AppTokenClaims }
  | { valid: false; reason: 'empty' | 'unparseable' | 'foreignSignature' | 'expired' };

/**
 * Issues JWT-shaped access tokens signed with a key that lives only in this fake (HS256, where
 * Entra uses RS256), so the Graph routes can tell their own tokens from garbage and from tokens
 * of an earlier run. Clients must treat Graph tokens as opaque, so the algorithm does not matter.
 */
export class AccessTokenService {
  private readonly signingKey = randomBytes(32);
  /** Token ids per tenant+client, so revoking consent can also kill tokens already handed out. */
  private readonly issuedIds = new Map<string, string[]>();
  private readonly invalidatedIds = new Set<string>();

  issue(tenant: Tenant, app: AppRegistration, roles: string[], lifetimeSeconds: number): string {
    const now = Math.floor(Date.now() / 1000);
    const servicePrincipalId = guidFrom(`${tenant.tenantId}:service-principal:${app.clientId.toLowerCase()}`);
    const claims: AppTokenClaims = {
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetimeSeconds,
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      idp: `https://sts.windows.net/${tenant.tenantId}/`,
      idtyp: 'app',
      oid: servicePrincipalId,
      sub: servicePrincipalId,
      // Entra omits the claim entirely, rather than sending [], when no application role is granted.
      ...(roles.length > 0 ? { roles: [...roles] } : {}),
      tid: tenant.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    const key = issuedKey(tenant.tenantId, app.clientId);
    this.issuedIds.set(key, [...(this.issuedIds.get(key) ?? []), claims.uti]);
    const signedPart = `${encodeSegment({ typ: 'JWT', alg: 'HS256', kid: 'fake-microsoft' })}.${encodeSegment(claims)}`;
    return `${signedPart}.${this.sign(signedPart)}`;
  }

  /**
   * What a user's authorization-code sign-in returns: a v2 ID token for the app (the claims the
   * identity platform documents: aud, iss, tid, oid, sub, nonce, preferred_username…) and a
   * delegated access token for Graph. Graph here only serves app-only tokens, so the latter opens nothing.
   */
  issueSignIn(tenant: Tenant, app: AppRegistration, user: { oid: string; name: string; preferredUsername: string }, nonce: string | null, lifetimeSeconds: number) {
    const now = Math.floor(Date.now() / 1000);
    const idClaims = {
      aud: app.clientId,
      iss: `${this.issuerBase}/${tenant.tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + lifetimeSeconds,
      name: user.name,
      ...(nonce ? { nonce } : {}),
      oid: user.oid,
      preferred_username: user.preferredUsername,
      rh: `0.A${randomBytes(24).toString('base64url')}.`,
      sub: createHmac('sha256', this.signingKey).update(`${user.oid}:${app.clientId}`).digest('base64url').slice(0, 43),
      tid: tenant.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    };
    const accessClaims = { aud: GRAPH_AUDIENCE, iss: `https://sts.windows.net/${tenant.tenantId}/`, iat: now, nbf: now, exp: now + lifetimeSeconds, appid: app.clientId, idtyp: 'user', oid: user.oid, scp: 'openid profile email', tid: tenant.tenantId, uti: randomBytes(16).toString('base64url'), ver: '1.0' };
    return { idToken: this.signed(idClaims), accessToken: this.signed(accessClaims) };
  }

  /** Where ID tokens say they come from: the fake's own base URL, set once it listens. */
  issuerBase = '';

  check(token: string | undefined): TokenCheck {
    if (!token) return { valid: false, reason: 'empty' };
    const parts = token.split('.');
    if (parts.length !== 3) return { valid: false, reason: 'unparseable' };
    let claims: AppTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AppTokenClaims;
      JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    } catch {
      return { valid: false, reason: 'unparseable' };
    }
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'foreignSignature' };
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp <= now || claims.nbf > now || this.invalidatedIds.has(claims.uti)) return { valid: false, reason: 'expired' };
    return { valid: true, claims };
  }

  /** Makes every token issued so far for this tenant+client fail as expired, like a revoked session would. */
  invalidateIssued(tenantId: string, clientId: string): void {
    const key = issuedKey(tenantId, clientId);
    for (const id of this.issuedIds.get(key) ?? []) this.invalidatedIds.add(id);
    this.issuedIds.delete(key);
  }

  private signed(claims: object): string {
    const signedPart = `${encodeSegment({ typ: 'JWT', alg: 'HS256', kid: 'fake-microsoft' })}.${encodeSegment(claims)}`;
    return `${signedPart}.${this.sign(signedPart)}`;
  }

  private sign(signedPart: string): string {
    return createHmac('sha256', this.signingKey).update(signedPart).digest('base64url');
  }
}

function issuedKey(tenantId: string, clientId: string): string {
  return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}`;
}

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
