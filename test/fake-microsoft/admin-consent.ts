import { randomUUID } from 'node:crypto';
import { aadDescription, aadErrorPage, aadTimestamp } from './aad-errors';
import type { FakeContext } from './context';
import type { AppRegistration, Tenant } from './directory';
import type { IncomingExchange, OutgoingResponse } from './http-exchange';
import { appNotFoundMessage, malformedTenantMessage, resolveTenantPath, tenantNotFoundMessage } from './tenant-path';
import { GRAPH_DEFAULT_SCOPE } from './token-endpoint';

type ConsentOutcome = { granted: Tenant } | { declined: 'access_denied' | 'consent_required' } | { page: OutgoingResponse };

/**
 * GET /{tenant}/v2.0/adminconsent. Mistakes in the request itself stop on an error page (the browser
 * never returns to the app); only the admin's decision is redirected back to redirect_uri.
 */
export function handleAdminConsentV2(context: FakeContext, tenantSegment: string, exchange: IncomingExchange): OutgoingResponse {
  context.counters.consentPageVisits++;
  const query = exchange.query;
  const checked = checkClientAndRedirect(context, tenantSegment, query, exactRedirectMatch);
  if ('page' in checked) return checked.page;
  const scope = query.get('scope');
  if (scope?.trim() !== GRAPH_DEFAULT_SCOPE) {
    return aadErrorPage(70011, `The provided value for the input parameter 'scope' is not valid. The scope '${scope ?? ''}' is not valid.`);
  }
  const state = query.get('state');
  const outcome = decideConsent(context, tenantSegment, checked.app);
  if ('page' in outcome) return outcome.page;
  if ('declined' in outcome) {
    const text = outcome.declined === 'access_denied' ? 'User declined to consent to access the app.' : 'The resource owner or authorization server denied the request.';
    const description = aadDescription(65004, text, { traceId: randomUUID(), correlationId: randomUUID(), timestamp: aadTimestamp() });
    const errorUri = `${context.baseUrl}/error?code=65004`;
    // The two documented shapes order their parameters differently; a client must not depend on either.
    const pairs: [string, string][] =
      outcome.declined === 'access_denied'
        ? [['error', 'access_denied'], ['error_description', description], ['error_uri', errorUri], ['admin_consent', 'True']]
        : [['admin_consent', 'True'], ['error', 'consent_required'], ['error_description', description]];
    return redirectTo(checked.redirectUri, [...pairs, ...stateParameter(state)]);
  }
  const grantedScopes = context.directory.grantedRoles(outcome.granted, checked.app.clientId) ?? [];
  return redirectTo(checked.redirectUri, [
    ['admin_consent', 'True'],
    ['tenant', outcome.granted.tenantId],
    ['scope', grantedScopes.map((role) => `https://graph.microsoft.com/${role}`).join(' ')],
    ...stateParameter(state),
  ]);
}

/** GET /{tenant}/adminconsent, the v1 endpoint: no scope, and a redirect_uri that may extend a registered one. */
export function handleAdminConsentV1(context: FakeContext, tenantSegment: string, exchange: IncomingExchange): OutgoingResponse {
  context.counters.consentPageVisits++;
  const checked = checkClientAndRedirect(context, tenantSegment, exchange.query, prefixRedirectMatch);
  if ('page' in checked) return checked.page;
  const state = exchange.query.get('state');
  const outcome = decideConsent(context, tenantSegment, checked.app);
  if ('page' in outcome) return outcome.page;
  if ('declined' in outcome) {
    return redirectTo(checked.redirectUri, [['error', 'permission_denied'], ['error_description', 'The admin canceled the request'], ...stateParameter(state)]);
  }
  return redirectTo(checked.redirectUri, [['tenant', outcome.granted.tenantId], ...stateParameter(state), ['admin_consent', 'True']]);
}

function checkClientAndRedirect(
  context: FakeContext,
  tenantSegment: string,
  query: URLSearchParams,
  redirectMatches: (registered: string, requested: string) => boolean,
): { app: AppRegistration; redirectUri: string } | { page: OutgoingResponse } {
  const clientId = query.get('client_id');
  if (!clientId) return { page: aadErrorPage(900144, "The request body must contain the following parameter: 'client_id'.") };
  const app = context.directory.findApp(clientId);
  if (!app) {
    const directoryName = context.directory.findTenant(tenantSegment)?.displayName ?? tenantSegment;
    return { page: aadErrorPage(700016, appNotFoundMessage(clientId, directoryName)) };
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!app.redirectUris.some((registered) => redirectMatches(registered, redirectUri))) {
    return {
      page: aadErrorPage(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. ` +
          'Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. ' +
          'Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.',
      ),
    };
  }
  return { app, redirectUri };
}

function decideConsent(context: FakeContext, tenantSegment: string, app: AppRegistration): ConsentOutcome {
  const answer = context.consentAnswer;
  if (answer && 'error' in answer) return { declined: answer.error };
  let tenant: Tenant | undefined;
  if (answer) {
    tenant = context.directory.findTenant(answer.tenantId);
    if (!tenant) return { page: aadErrorPage(90002, tenantNotFoundMessage(answer.tenantId)) };
  } else {
    const resolution = resolveTenantPath(context.directory, tenantSegment);
    if (resolution.kind === 'unknown') return { page: aadErrorPage(90002, tenantNotFoundMessage(tenantSegment)) };
    // 'organizations' (or anything else that names no directory): the admin signs in to their own, the first tenant.
    tenant = resolution.kind === 'found' ? resolution.tenant : context.directory.firstTenant();
    if (!tenant) return { page: aadErrorPage(900023, malformedTenantMessage(tenantSegment)) };
  }
  context.directory.grantConsent(tenant.tenantId, app.clientId);
  return { granted: tenant };
}

/** Exact, case-sensitive, except that http loopback URIs match on any port (Entra's rule for native apps). */
function exactRedirectMatch(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const a = parseUrl(registered);
  const b = parseUrl(requested);
  if (!a || !b || a.protocol !== 'http:' || b.protocol !== 'http:') return false;
  const loopback = ['localhost', '127.0.0.1'];
  return loopback.includes(a.hostname) && a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search;
}

/** The v1 endpoint also accepts "additional path segments" after a registered URI. */
function prefixRedirectMatch(registered: string, requested: string): boolean {
  return exactRedirectMatch(registered, requested) || requested.startsWith(`${registered.replace(/\/$/, '')}/`);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function stateParameter(state: string | null): [string, string][] {
  return state === null ? [] : [['state', state]];
}

/** Entra encodes like .NET's HttpUtility.UrlEncode: '+' for spaces and lower-case percent escapes. */
function redirectTo(redirectUri: string, pairs: [string, string][]): OutgoingResponse {
  const query = new URLSearchParams(pairs).toString().replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const location = `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}`;
  return { status: 302, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: `<html><body>Object moved to <a href="${location.replace(/"/g, '&quot;')}">here</a>.</body></html>` };
}
