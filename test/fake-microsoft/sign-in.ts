import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { aadErrorPage } from './aad-errors';
import type { FakeContext } from './context';
import type { AppRegistration, Tenant } from './directory';
import type { IncomingExchange, OutgoingResponse } from './http-exchange';
import { resolveTenantPath, tenantNotFoundMessage } from './tenant-path';
import { guidFrom } from './seeded-random';

/**
 * OpenID Connect sign-in: GET /{tenant}/oauth2/v2.0/authorize (response_type=code) and the codes
 * it issues, redeemed at the token endpoint with grant_type=authorization_code. The browser's
 * session belongs to an administrator of the tenant in the path unless a test says otherwise
 * (`signedIn`): then signing in to another directory fails as Entra fails it (AADSTS50020).
 */

/** Whose browser session the authorize endpoint sees; null: an admin of the tenant in the path. */
export type SignedInUser = { tenantId: string } | null;

export interface SignInUser {
  oid: string;
  name: string;
  preferredUsername: string;
  tenant: Tenant;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  user: SignInUser;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string;
  scopes: string[];
  expiresAt: number;
}

/** Codes live about ten minutes and work once (Entra: "Authorization codes are short lived"). */
const CODE_LIFETIME_MS = 10 * 60_000;

export class AuthorizationCodes {
  private readonly issued = new Map<string, IssuedCode>();
  private readonly redeemed = new Set<string>();

  issue(code: IssuedCode): string {
    const value = `1.A${randomBytes(48).toString('base64url')}`;
    this.issued.set(value, code);
    return value;
  }

  /** The code's grant, once; 'used' the second time; undefined when unknown or expired. */
  redeem(value: string): IssuedCode | 'used' | undefined {
    if (this.redeemed.has(value)) return 'used';
    const code = this.issued.get(value);
    this.issued.delete(value);
    if (code) this.redeemed.add(value);
    return code && code.expiresAt > Date.now() ? code : undefined;
  }
}

export function adminOf(tenant: Tenant): SignInUser {
  return { oid: guidFrom(`${tenant.tenantId}:admin`), name: `${tenant.displayName} Admin`, preferredUsername: `admin@${tenant.domain}`, tenant };
}

export function handleAuthorize(context: FakeContext, tenantSegment: string, exchange: IncomingExchange): OutgoingResponse {
  context.counters.signInPageVisits++;
  const query = exchange.query;
  const clientId = query.get('client_id');
  if (!clientId) return aadErrorPage(900144, "The request body must contain the following parameter: 'client_id'.");
  const app = context.directory.findApp(clientId);
  if (!app) return aadErrorPage(700016, `Application with identifier '${clientId}' was not found in the directory.`);
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) {
    return aadErrorPage(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`);
  }
  if (!(query.get('response_type') ?? '').split(' ').includes('code')) {
    return redirectWith(redirectUri, [['error', 'unsupported_response_type'], ['error_description', 'AADSTS70005: The response_type is not supported.'], ...state(query)]);
  }
  const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes('openid')) {
    return redirectWith(redirectUri, [['error', 'invalid_request'], ['error_description', "AADSTS900144: The request body must contain the following parameter: 'scope'."], ...state(query)]);
  }
  const user = signedInUser(context, tenantSegment, app);
  if ('page' in user) return user.page;
  const code = context.signIns.issue({
    clientId: app.clientId,
    redirectUri,
    user,
    nonce: query.get('nonce'),
    codeChallenge: query.get('code_challenge'),
    codeChallengeMethod: query.get('code_challenge_method') ?? 'plain',
    scopes,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  return redirectWith(redirectUri, [['code', code], ...state(query), ['session_state', randomUUID()]]);
}

/** PKCE (RFC 7636): S256 or plain, as Entra supports both. */
export function verifierMatches(code: { codeChallenge: string | null; codeChallengeMethod: string }, verifier: string | null): boolean {
  if (code.codeChallenge === null) return true;
  if (!verifier) return false;
  const derived = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === code.codeChallenge;
}

function signedInUser(context: FakeContext, tenantSegment: string, app: AppRegistration): SignInUser | { page: OutgoingResponse } {
  const resolution = resolveTenantPath(context.directory, tenantSegment);
  if (resolution.kind === 'unknown' || resolution.kind === 'malformed') return { page: aadErrorPage(90002, tenantNotFoundMessage(tenantSegment)) };
  const session = context.signedIn ? context.directory.findTenant(context.signedIn.tenantId) : undefined;
  if (resolution.kind === 'multiTenant') {
    const home = session ?? context.directory.firstTenant();
    return home ? adminOf(home) : { page: aadErrorPage(90002, tenantNotFoundMessage(tenantSegment)) };
  }
  if (session && session.tenantId !== resolution.tenant.tenantId) {
    return {
      page: aadErrorPage(
        50020,
        `User account 'admin@${session.domain}' from identity provider 'https://sts.windows.net/${session.tenantId}/' does not exist in tenant '${resolution.tenant.displayName}' and cannot access the application '${app.clientId}'(${app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first.`,
      ),
    };
  }
  return adminOf(resolution.tenant);
}

function state(query: URLSearchParams): [string, string][] {
  const value = query.get('state');
  return value === null ? [] : [['state', value]];
}

function redirectWith(redirectUri: string, pairs: [string, string][]): OutgoingResponse {
  const location = `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${new URLSearchParams(pairs)}`;
  return { status: 302, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: '' };
}
