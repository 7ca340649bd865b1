/** The v2 admin-consent request and Microsoft's answer on the redirect URI. */

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export function adminConsentUrl(options: {
  loginUrl: string;
  tenant: string;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const query = new URLSearchParams({
    client_id: options.clientId,
    scope: GRAPH_DEFAULT_SCOPE,
    redirect_uri: options.redirectUri,
    state: options.state,
  });
  return `${options.loginUrl}/${encodeURIComponent(options.tenant)}/v2.0/adminconsent?${query}`;
}

export type AdminConsentAnswer =
  | { outcome: 'granted'; tenant: string | null; scopes: string[] }
  | { outcome: 'refused'; error: string; description: string };

/**
 * Reads Microsoft's redirect. An error answer may still say admin_consent=True, so `error` wins.
 * The `tenant` here is only a claim: the gateway confirms it with a token taken for that tenant.
 */
export function parseAdminConsentAnswer(query: Record<string, unknown>): AdminConsentAnswer {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : null);
  const error = text('error');
  if (error) {
    return { outcome: 'refused', error: error.slice(0, 100), description: plainDescription(text('error_description') ?? '') };
  }
  if (text('admin_consent')?.toLowerCase() !== 'true') {
    return { outcome: 'refused', error: 'no_consent', description: 'Microsoft did not report that an admin consented.' };
  }
  return { outcome: 'granted', tenant: text('tenant'), scopes: (text('scope') ?? '').split(' ').filter(Boolean) };
}

/** "AADSTS65004: User declined to consent…\r\nTrace ID: …" → the first line, without the ids. */
export function plainDescription(description: string): string {
  const firstLine = description.split(/\r?\n/)[0]?.trim() ?? '';
  return firstLine.slice(0, 500);
}
