import { aadErrorResponse } from './aad-errors';
import { handleAdminConsentV1, handleAdminConsentV2 } from './admin-consent';
import type { FakeContext } from './context';
import { countRoute } from './counters';
import { jsonResponse, type IncomingExchange, type OutgoingResponse } from './http-exchange';
import { malformedTenantMessage, resolveTenantPath, tenantNotFoundMessage } from './tenant-path';
import { handleAuthorize } from './sign-in';
import { handleTokenRequest } from './token-endpoint';

/** Routes of login.microsoftonline.com: discovery, admin consent and the token endpoint. */
export function handleIdentityRequest(context: FakeContext, exchange: IncomingExchange): OutgoingResponse {
  const segments = exchange.path.split('/').filter(Boolean).map(safeDecode);
  const [tenantSegment = '', ...rest] = segments;
  const route = `${exchange.method} /${rest.join('/')}`.toLowerCase();
  const count = (key: string) => countRoute(context.counters, key);

  if (tenantSegment.toLowerCase() === 'common' && route === 'get /discovery/instance') {
    count('GET /common/discovery/instance');
    context.counters.instanceDiscoveryRequests++;
    return instanceDiscovery(context, exchange.query);
  }
  switch (route) {
    case 'get /v2.0/.well-known/openid-configuration':
    case 'get /.well-known/openid-configuration': {
      const version = route.includes('v2.0') ? 'v2.0' : 'v1';
      count(`GET /{tenant}/${version === 'v2.0' ? 'v2.0/' : ''}.well-known/openid-configuration`);
      context.counters.discoveryRequests++;
      return openIdConfiguration(context, tenantSegment, version);
    }
    case 'get /v2.0/adminconsent':
      count('GET /{tenant}/v2.0/adminconsent');
      return handleAdminConsentV2(context, tenantSegment, exchange);
    case 'get /adminconsent':
      count('GET /{tenant}/adminconsent');
      return handleAdminConsentV1(context, tenantSegment, exchange);
    case 'get /oauth2/v2.0/authorize':
      count('GET /{tenant}/oauth2/v2.0/authorize');
      return handleAuthorize(context, tenantSegment, exchange);
    case 'post /oauth2/v2.0/token':
      count('POST /token');
      return handleTokenRequest(context, tenantSegment, exchange);
    case 'get /discovery/v2.0/keys':
    case 'get /discovery/keys':
      count('GET /{tenant}/discovery/keys');
      // Tokens are HMAC-signed with a key that never leaves the fake; clients must not validate Graph tokens anyway.
      return jsonResponse(200, { keys: [] });
    default:
      count(`${exchange.method} (no route)`);
      return jsonResponse(404, { error: 'not_found', error_description: `The fake identity platform has no route ${exchange.method} ${exchange.path}.` });
  }
}

/** What msal asks for when the authority host is not a known Microsoft cloud and not in knownAuthorities. */
function instanceDiscovery(context: FakeContext, query: URLSearchParams): OutgoingResponse {
  const host = new URL(context.baseUrl).host;
  const authorizeUrl = query.get('authorization_endpoint');
  const tenant = authorizeUrl ? safeTenantOf(authorizeUrl) : 'common';
  return jsonResponse(200, {
    tenant_discovery_endpoint: `${context.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

/** Like Entra, a domain in the path comes back as the tenant GUID in every endpoint, and the aliases keep the {tenantid} placeholder. */
function openIdConfiguration(context: FakeContext, tenantSegment: string, version: 'v1' | 'v2.0'): OutgoingResponse {
  const resolution = resolveTenantPath(context.directory, tenantSegment);
  if (resolution.kind === 'malformed') {
    return aadErrorResponse(context.baseUrl, { status: 400, error: 'invalid_tenant', aadsts: 900023, description: malformedTenantMessage(tenantSegment) });
  }
  if (resolution.kind === 'unknown') {
    return aadErrorResponse(context.baseUrl, { status: 400, error: 'invalid_tenant', aadsts: 90002, description: tenantNotFoundMessage(tenantSegment) });
  }
  const pathTenant = resolution.kind === 'found' ? resolution.tenant.tenantId : tenantSegment;
  const issuerTenant = resolution.kind === 'found' ? resolution.tenant.tenantId : '{tenantid}';
  const base = `${context.baseUrl}/${pathTenant}`;
  const v2 = version === 'v2.0';
  return jsonResponse(200, {
    token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${context.baseUrl}/${issuerTenant}/v2.0` : `https://sts.windows.net/${issuerTenant}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
    end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
}

function safeTenantOf(authorizeUrl: string): string {
  try {
    return new URL(authorizeUrl).pathname.split('/').filter(Boolean)[0] ?? 'common';
  } catch {
    return 'common';
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
