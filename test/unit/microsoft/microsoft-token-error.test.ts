import { AuthError, ServerError } from '@azure/msal-node';
import { MicrosoftTokenError, toMicrosoftTokenError } from '../../../src/microsoft/microsoft-token-error';

const SECRET = 'Zq8~abcdefghijklmnopqrstuvwxyz0123456789';

/** What msal-node builds from a token endpoint error body ("Error(s): … - Description: …"). */
function answered(status: number, error: string, aadsts: number, description: string): ServerError {
  const full = `AADSTS${aadsts}: ${description}\r\nTrace ID: 1b2c\r\nCorrelation ID: 3d4e\r\nTimestamp: 2025-01-06 09:00:00Z`;
  const message = `Error(s): ${aadsts} - Timestamp: 2025-01-06 09:00:00Z - Description: ${full} - Correlation ID: 3d4e - Trace ID: 1b2c`;
  return new ServerError(error, '3d4e', message, '', String(aadsts), status);
}

describe('toMicrosoftTokenError', () => {
  it('reports a wrong secret as invalid_client with Microsoft\'s words and no trace lines', () => {
    const failure = toMicrosoftTokenError(
      answered(401, 'invalid_client', 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'abc'."),
      SECRET,
    );
    expect(failure).toBeInstanceOf(MicrosoftTokenError);
    expect(failure.kind).toBe('invalid_client');
    expect(failure.aadstsCode).toBe(7000215);
    expect(failure.reason).toMatch(/^The client secret was rejected by Microsoft \(AADSTS7000215\): Invalid client secret provided\./);
    expect(failure.reason).not.toMatch(/Trace ID|Correlation ID|Timestamp|3d4e|1b2c/);
  });

  it.each([
    [7000222, 'invalid_client', 'invalid_client'],
    [7000218, 'invalid_client', 'invalid_client'],
    [700016, 'unauthorized_client', 'consent_missing'],
    [7000112, 'unauthorized_client', 'consent_missing'],
    [90002, 'invalid_tenant', 'tenant_not_found'],
    [900023, 'invalid_request', 'tenant_not_found'],
  ])('maps AADSTS%s (%s) to %s', (aadsts, error, kind) => {
    expect(toMicrosoftTokenError(answered(400, error, aadsts, 'Something.'), SECRET).kind).toBe(kind);
  });

  it('calls a 429 or 5xx from the token endpoint throttled', () => {
    expect(toMicrosoftTokenError(new ServerError('temporarily_unavailable', '', 'Error(s): NOT_AVAILABLE - Description: busy', '', undefined, 503), SECRET).kind).toBe('throttled');
    expect(toMicrosoftTokenError(new ServerError('', '', 'Error(s): NOT_AVAILABLE', '', undefined, 429), SECRET)).toMatchObject({ kind: 'throttled', status: 429 });
  });

  it('recognises msal-node\'s locally replayed throttling error (no status, remembered codes in errorCode)', () => {
    const replayed = new ServerError('', '', 'Service unavailable, try later');
    expect(toMicrosoftTokenError(replayed, SECRET).kind).toBe('throttled');
    const replayedInvalidClient = new ServerError('7000215', '', 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x');
    expect(toMicrosoftTokenError(replayedInvalidClient, SECRET)).toMatchObject({ kind: 'invalid_client', aadstsCode: 7000215 });
  });

  it('calls network failures and unreadable answers unreachable', () => {
    expect(toMicrosoftTokenError(new AuthError('network_error', '', 'no answer within 30000 ms'), SECRET).kind).toBe('unreachable');
    expect(toMicrosoftTokenError(new AuthError('endpoints_resolution_error', ''), SECRET).kind).toBe('unreachable');
    expect(toMicrosoftTokenError(new AuthError('token_parsing_error', '', 'not JSON'), SECRET).kind).toBe('unreachable');
  });

  it('never lets the secret through, even if an answer echoed it', () => {
    const echoed = answered(401, 'invalid_client', 7000215, `Secret ${SECRET} is wrong.`);
    const failure = toMicrosoftTokenError(echoed, SECRET);
    expect(failure.reason).not.toContain(SECRET);
    expect(failure.message).not.toContain(SECRET);
  });
});
