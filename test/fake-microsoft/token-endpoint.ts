import { aadErrorResponse, type AadError } from './aad-errors';
import type { FakeContext } from './context';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from './faults';
import { jsonResponse, type IncomingExchange, type OutgoingResponse } from './http-exchange';
import { redeemAuthorizationCode } from './code-redemption';
import { appNotFoundMessage, malformedTenantMessage, resolveTenantPath, tenantNotFoundMessage } from './tenant-path';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * POST /{tenant}/oauth2/v2.0/token with grant_type=client_credentials. The checks run in the
 * order Entra appears to run them, so the error a client sees for a combination of mistakes is
 * the one it would see in production (tenant first, the secret before the consent).
 */
export function handleTokenRequest(context: FakeContext, tenantSegment: string, exchange: IncomingExchange): OutgoingResponse {
  const isCodeRedemption = new URLSearchParams(exchange.body.toString('utf8')).get('grant_type') === 'authorization_code';
  // App tokens and sign-ins are counted apart: tests assert how often the gateway asks for app tokens.
  if (isCodeRedemption) context.counters.codeRedemptions++;
  else context.counters.tokenRequests++;
  // msal sends its correlation id as ?client-request-id; Entra echoes it as the Correlation ID.
  const correlationId = exchange.query.get('client-request-id') ?? undefined;
  const fail = (failure: AadError) => aadErrorResponse(context.baseUrl, failure, correlationId);
  if (context.faults.tokenFailure) return fail(context.faults.tokenFailure);
  if (!isCodeRedemption && context.faults.clientCredentialsFailure) return fail(context.faults.clientCredentialsFailure);

  const resolution = resolveTenantPath(context.directory, tenantSegment);
  if (resolution.kind === 'malformed') return fail({ status: 400, error: 'invalid_request', aadsts: 900023, description: malformedTenantMessage(tenantSegment) });
  if (resolution.kind === 'unknown') return fail({ status: 400, error: 'invalid_tenant', aadsts: 90002, description: tenantNotFoundMessage(tenantSegment) });
  if (resolution.kind === 'multiTenant') {
    return fail({ status: 400, error: 'invalid_request', aadsts: 50059, description: 'No tenant-identifying information found in either the request or implied by any provided credentials.' });
  }
  const tenant = resolution.tenant;

  const form = new URLSearchParams(exchange.body.toString('utf8'));
  const basic = basicCredentials(exchange.headers.authorization);
  const grantType = form.get('grant_type');
  if (!grantType) return fail(missingParameter('grant_type'));
  if (grantType !== 'client_credentials' && grantType !== 'authorization_code') {
    return fail({ status: 400, error: 'unsupported_grant_type', aadsts: 70003, description: `The app requested an unsupported grant type '${grantType}'.` });
  }
  const clientId = form.get('client_id') ?? basic?.clientId;
  if (!clientId) return fail(missingParameter('client_id'));
  if (grantType === 'client_credentials') {
    const scopeFailure = checkScope(form.get('scope'));
    if (scopeFailure) return fail(scopeFailure);
  }

  const app = context.directory.findApp(clientId);
  if (!app) return fail({ status: 400, error: 'unauthorized_client', aadsts: 700016, description: appNotFoundMessage(clientId, tenant.displayName) });
  const secret = form.get('client_secret') ?? basic?.clientSecret;
  if (!secret) {
    return fail({ status: 401, error: 'invalid_client', aadsts: 7000218, description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." });
  }
  if (secret !== app.clientSecret) {
    return fail({
      status: 401,
      error: 'invalid_client',
      aadsts: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    });
  }
  if (grantType === 'authorization_code') return redeemAuthorizationCode(context, tenant, app, form, fail, correlationId);
  const roles = context.directory.grantedRoles(tenant, app.clientId);
  // Without an enterprise app (never consented, or consent revoked) the app does not exist in that directory.
  if (!roles) return fail({ status: 400, error: 'unauthorized_client', aadsts: 700016, description: appNotFoundMessage(app.clientId, tenant.displayName) });

  const lifetime = context.faults.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  return jsonResponse(
    200,
    { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: context.tokens.issue(tenant, app, roles, lifetime) },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', ...(correlationId ? { 'client-request-id': correlationId } : {}) },
  );
}

export function missingParameter(name: string): AadError {
  return { status: 400, error: 'invalid_request', aadsts: 900144, description: `The request body must contain the following parameter: '${name}'.` };
}

/** Client credentials take exactly one scope, the resource's /.default. */
function checkScope(scope: string | null): AadError | undefined {
  if (!scope) return { status: 400, error: 'invalid_scope', aadsts: 70011, description: "The provided request must include a 'scope' input parameter." };
  const scopes = scope.split(' ').filter(Boolean);
  if (scopes.length === 1 && scopes[0] === GRAPH_DEFAULT_SCOPE) return undefined;
  if (!scopes.every((each) => each.endsWith('/.default'))) {
    return {
      status: 400,
      error: 'invalid_scope',
      aadsts: 1002012,
      description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  return { status: 400, error: 'invalid_scope', aadsts: 70011, description: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.` };
}

/** RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded client id and secret. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = header?.match(/^Basic\s+(.+)$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
