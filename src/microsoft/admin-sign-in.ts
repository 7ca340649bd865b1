import { createHash } from 'node:crypto';
import type { MicrosoftHttp } from './microsoft-http';
import { confidentialClient, type AppCredentials } from './msal-client';
import { toMicrosoftTokenError } from './microsoft-token-error';

/** Why the OpenID Connect sign-in did not prove a tenant, in Microsoft's words. */
export class SignInFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SignInFailed';
  }
}

export interface SignInRequest {
  credentials: AppCredentials;
  /** the directory to sign in to: a GUID or one of its domains */
  tenant: string;
  redirectUri: string;
  /** PKCE verifier and nonce, bound to the consent state that asked for this sign-in */
  codeVerifier: string;
  nonce: string;
}

/**
 * The admin's OpenID Connect sign-in right after admin consent (authorization code with `openid`).
 * Microsoft's consent redirect names a tenant, but that parameter is not authenticated: the ID
 * token's `tid` is, so it is what proves which organisation the admin belongs to.
 */
export class AdminSignIn {
  constructor(
    private readonly loginUrl: string,
    private readonly http: MicrosoftHttp,
  ) {}

  authorizeUrl(request: SignInRequest & { state: string }): Promise<string> {
    return confidentialClient(this.loginUrl, request.credentials, this.http).getAuthCodeUrl({
      scopes: ['openid'],
      authority: this.authority(request.tenant),
      redirectUri: request.redirectUri,
      responseMode: 'query',
      state: request.state,
      nonce: request.nonce,
      codeChallenge: createHash('sha256').update(request.codeVerifier).digest('base64url'),
      codeChallengeMethod: 'S256',
    });
  }

  /** Redeems the code; the signed-in user's directory (`tid`) and object id, from the ID token. */
  async redeem(request: SignInRequest & { code: string }): Promise<{ tenantId: string; userId: string | null }> {
    let claims: Record<string, unknown> | undefined;
    try {
      const result = await confidentialClient(this.loginUrl, request.credentials, this.http).acquireTokenByCode({
        code: request.code,
        scopes: ['openid'],
        authority: this.authority(request.tenant),
        redirectUri: request.redirectUri,
        codeVerifier: request.codeVerifier,
        // msal compares it with the ID token's nonce claim.
        nonce: request.nonce,
      });
      claims = result?.idTokenClaims as Record<string, unknown> | undefined;
    } catch (error) {
      throw new SignInFailed(toMicrosoftTokenError(error, request.credentials.clientSecret).reason);
    }
    if (typeof claims?.tid !== 'string') throw new SignInFailed('Microsoft answered the sign-in without an ID token naming the directory.');
    return { tenantId: claims.tid.toLowerCase(), userId: typeof claims.oid === 'string' ? claims.oid : null };
  }

  private authority(tenant: string): string {
    return `${this.loginUrl}/${encodeURIComponent(tenant)}`;
  }
}
