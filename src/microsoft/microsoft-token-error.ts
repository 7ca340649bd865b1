import { AuthError, ServerError } from '@azure/msal-node';

export type TokenFailureKind =
  | 'invalid_client'
  | 'consent_missing'
  | 'tenant_not_found'
  | 'throttled'
  | 'unreachable'
  | 'other';

/** Why Microsoft refused (or could not be asked for) an app token, in words a user can act on. */
export class MicrosoftTokenError extends Error {
  constructor(
    readonly kind: TokenFailureKind,
    /** Microsoft's reason in plain words, no trace/correlation ids, never the secret */
    readonly reason: string,
    readonly aadstsCode?: number,
    /** the token endpoint's HTTP status, when Microsoft answered */
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'MicrosoftTokenError';
  }
}

const KIND_BY_AADSTS: ReadonlyMap<number, TokenFailureKind> = new Map<number, TokenFailureKind>([
  [7000215, 'invalid_client'], // wrong secret
  [7000222, 'invalid_client'], // expired secret
  [7000218, 'invalid_client'], // no credential sent
  [700016, 'consent_missing'], // app not in the tenant: never consented, deleted or revoked
  [7000112, 'consent_missing'], // app disabled in the tenant
  [90002, 'tenant_not_found'],
  [900023, 'tenant_not_found'], // malformed tenant id
]);

const KIND_BY_OAUTH_ERROR: Readonly<Record<string, TokenFailureKind>> = {
  invalid_client: 'invalid_client',
  unauthorized_client: 'consent_missing',
  invalid_tenant: 'tenant_not_found',
};

const LEAD_BY_KIND: Readonly<Record<TokenFailureKind, string>> = {
  invalid_client: 'The client secret was rejected by Microsoft',
  consent_missing: 'The app is not consented in this tenant',
  tenant_not_found: 'Microsoft does not know this tenant',
  throttled: "Microsoft's sign-in service asked the gateway to wait before requesting a token again",
  unreachable: "Microsoft's sign-in service could not be reached",
  other: 'Microsoft refused the token request',
};

/** msal network failures: the request never got a usable answer. */
const UNREACHABLE_MSAL_CODES = new Set(['network_error', 'endpoints_resolution_error', 'token_parsing_error']);

/**
 * Maps what msal-node throws to a MicrosoftTokenError.
 *
 * Two shapes of msal ServerError exist. A real answer carries `status`, `errorNo` and an
 * `errorMessage` of the form "Error(s): … - Description: … - Correlation ID: …". After a 429,
 * a 5xx or a `Retry-After`, msal-node also fails identical requests *locally* for up to an hour;
 * those errors have no status and carry the remembered AADSTS codes in `errorCode` instead.
 */
export function toMicrosoftTokenError(error: unknown, clientSecret: string): MicrosoftTokenError {
  if (error instanceof MicrosoftTokenError) return error;
  if (!(error instanceof AuthError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new MicrosoftTokenError('other', scrub(`${LEAD_BY_KIND.other}: ${detail}`, clientSecret));
  }
  if (UNREACHABLE_MSAL_CODES.has(error.errorCode)) {
    const detail = error.errorMessage || error.errorCode;
    return new MicrosoftTokenError('unreachable', scrub(`${LEAD_BY_KIND.unreachable} (${detail})`, clientSecret));
  }

  const status = error instanceof ServerError ? error.status : undefined;
  const answeredNow = status !== undefined;
  const aadstsCode = firstAadstsCode(error);
  const kind =
    (aadstsCode !== undefined ? KIND_BY_AADSTS.get(aadstsCode) : undefined) ??
    KIND_BY_OAUTH_ERROR[error.errorCode] ??
    (status === 429 || (status !== undefined && status >= 500) || (!answeredNow && error instanceof ServerError)
      ? 'throttled'
      : 'other');

  const description = plainDescription(error.errorMessage);
  const code = aadstsCode !== undefined ? ` (AADSTS${aadstsCode})` : '';
  const reason = description ? `${LEAD_BY_KIND[kind]}${code}: ${description}` : `${LEAD_BY_KIND[kind]}${code}.`;
  return new MicrosoftTokenError(kind, scrub(reason, clientSecret), aadstsCode, status);
}

function firstAadstsCode(error: AuthError): number | undefined {
  const candidates = [
    error instanceof ServerError ? error.errorNo : undefined,
    // msal's locally replayed throttling error puts the remembered codes here ("7000215 …")
    error.errorCode.split(' ')[0],
    /AADSTS(\d+)/.exec(error.errorMessage)?.[1],
  ];
  for (const candidate of candidates) {
    const code = Number(candidate);
    if (candidate !== undefined && candidate !== '' && Number.isInteger(code) && code > 0) return code;
  }
  return undefined;
}

/**
 * Microsoft's own sentence without the AADSTS prefix and without the trace, correlation and
 * timestamp lines (they help nobody reading a GraphQL error, and they change on every call).
 */
function plainDescription(errorMessage: string): string {
  const described = /Description: ([\s\S]*?)(?: - Correlation ID: [\s\S]*)?$/.exec(errorMessage)?.[1];
  const text = described ?? (errorMessage.startsWith('Error(s):') ? '' : errorMessage);
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*(Trace ID|Correlation ID|Timestamp)\s*:/i.test(line))
    .join(' ')
    .replace(/^\s*AADSTS\d+:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Microsoft never echoes the secret, but a reason must not carry it even if some proxy did. */
function scrub(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}
