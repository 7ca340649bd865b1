import type { AadError } from './aad-errors';
import type { FakeContext } from './context';
import type { AppRegistration, Tenant } from './directory';
import { jsonResponse, type OutgoingResponse } from './http-exchange';
import { verifierMatches } from './sign-in';
import { missingParameter } from './token-endpoint';

const SIGN_IN_TOKEN_LIFETIME_SECONDS = 3599;

/**
 * grant_type=authorization_code, after the client has authenticated. The code works once, for the
 * app, redirect URI and tenant it was issued for, with the PKCE verifier of its challenge.
 * Codes: 54005 reuse, 700005 another tenant's code, 501481 a wrong verifier (as Entra names them);
 * unknown or expired codes answer 70008.
 */
export function redeemAuthorizationCode(
  context: FakeContext,
  tenant: Tenant,
  app: AppRegistration,
  form: URLSearchParams,
  fail: (failure: AadError) => OutgoingResponse,
  correlationId: string | undefined,
): OutgoingResponse {
  const value = form.get('code');
  if (!value) return fail(missingParameter('code'));
  const redemption = context.signIns.redeem(value);
  if (redemption === 'used') {
    return fail(invalidGrant(54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'));
  }
  if (!redemption || redemption.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
    return fail(invalidGrant(70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'));
  }
  if (redemption.user.tenant.tenantId !== tenant.tenantId) {
    return fail(invalidGrant(700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.'));
  }
  // Not documented word for word; Entra refuses a redirect_uri other than the authorize request's.
  if (form.get('redirect_uri') !== redemption.redirectUri) {
    return fail(invalidGrant(500112, 'The reply address does not match the reply address provided when requesting the authorization code.'));
  }
  if (!verifierMatches(redemption, form.get('code_verifier'))) {
    return fail(invalidGrant(501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'));
  }
  const { idToken, accessToken } = context.tokens.issueSignIn(tenant, app, redemption.user, redemption.nonce, SIGN_IN_TOKEN_LIFETIME_SECONDS);
  const scopes = redemption.scopes.filter((scope) => ['openid', 'profile', 'email', 'offline_access'].includes(scope));
  return jsonResponse(
    200,
    {
      token_type: 'Bearer',
      scope: 'openid profile email',
      expires_in: SIGN_IN_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: SIGN_IN_TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
      ...(scopes.includes('offline_access') ? { refresh_token: `1.A${Buffer.from(`${redemption.user.oid}:${Date.now()}`).toString('base64url')}` } : {}),
      id_token: idToken,
      // msal builds the account from client_info: the user's object id and home tenant.
      client_info: Buffer.from(JSON.stringify({ uid: redemption.user.oid, utid: redemption.user.tenant.tenantId })).toString('base64url'),
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', ...(correlationId ? { 'client-request-id': correlationId } : {}) },
  );
}

function invalidGrant(aadsts: number, description: string): AadError {
  return { status: 400, error: 'invalid_grant', aadsts, description };
}
