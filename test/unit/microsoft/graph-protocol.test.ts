import { GraphClient } from '../../../src/microsoft/graph-client';
import { skipTokenOf } from '../../../src/microsoft/graph-directory';
import { GraphRequestError } from '../../../src/microsoft/graph-request-error';
import { graphDateTimeToDate } from '../../../src/microsoft/graph-resources';
import { retryDelayMs } from '../../../src/microsoft/graph-retry';
import { graphRouteTemplate } from '../../../src/microsoft/graph-route';
import { MicrosoftTokenError } from '../../../src/microsoft/microsoft-token-error';
import { toGatewayError } from '../../../src/microsoft/to-gateway-error';

describe('Graph protocol details', () => {
  it('labels metrics with route templates, never with ids or query values', () => {
    expect(graphRouteTemplate('/users/6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0/calendars?$top=999')).toBe('/users/{id}/calendars');
    expect(graphRouteTemplate('/users/adele@contoso.com/calendarView?startDateTime=2025-01-06T00:00:00Z')).toBe('/users/{id}/calendarView');
    expect(graphRouteTemplate('/users?$select=id&$top=10')).toBe('/users');
    expect(graphRouteTemplate('/$batch')).toBe('/$batch');
  });

  it('keeps only the $skiptoken value of a nextLink, with a literal plus intact', () => {
    const link = 'https://graph.microsoft.com/v1.0/users?$select=id,displayName&$top=2&$skiptoken=RFNwdAIA%2BAQ+AAD8';
    expect(skipTokenOf(link)).toBe('RFNwdAIA+AQ+AAD8');
    expect(skipTokenOf('https://graph.microsoft.com/v1.0/users?$top=2')).toBeNull();
    expect(skipTokenOf(undefined)).toBeNull();
  });

  it('reads Graph\'s seven-digit UTC date-times as UTC instants', () => {
    expect(graphDateTimeToDate({ dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'UTC' }).toISOString()).toBe('2025-01-06T09:00:00.000Z');
    expect(graphDateTimeToDate({ dateTime: '2025-01-06T09:30:15.1234567', timeZone: 'UTC' }).toISOString()).toBe('2025-01-06T09:30:15.123Z');
    expect(() => graphDateTimeToDate({ dateTime: '2025-01-06T09:00:00', timeZone: 'Pacific Standard Time' })).toThrow(/UTC/);
  });

  it('follows nextLinks only under its own Graph base', () => {
    const graph = new GraphClient({ graphUrl: 'https://graph.example.test/' });
    const route = 'GET /users/{id}/calendars';
    expect(graph.relativeUrlOf('https://graph.example.test/v1.0/users/u1/calendars?$skip=10', route)).toBe('/users/u1/calendars?$skip=10');
    for (const foreign of [
      'https://evil.example/v1.0/users/u1/calendars?$skip=10',
      'http://graph.example.test/v1.0/users?$skip=1',
      'https://graph.example.test/beta/users?$skip=1',
      'https://graph.example.test/v1.0/../beta/users',
      'not a url',
    ]) {
      expect(() => graph.relativeUrlOf(foreign, route)).toThrow(GraphRequestError);
    }
  });

  it('waits as long as Retry-After says, and gives up rather than retry early', () => {
    const timing = { baseRetryDelayMs: 1000, maxRetryWaitSeconds: 30 };
    expect(retryDelayMs(0, '3', timing)).toBe(3000);
    expect(retryDelayMs(0, '120', timing)).toBeNull();
    const backoff = retryDelayMs(3, undefined, timing)!;
    expect(backoff).toBeGreaterThanOrEqual(4000);
    expect(backoff).toBeLessThanOrEqual(8000);
    expect(retryDelayMs(10, undefined, timing)).toBeLessThanOrEqual(30_000);
  });
});

describe('toGatewayError', () => {
  const graphError = (status: number, code: string, route: string) => new GraphRequestError(status, code, 'Graph says no', route);

  it('names the missing calendar permission on a 403 from a calendar route', () => {
    const error = toGatewayError(graphError(403, 'ErrorAccessDenied', 'GET /users/{id}/calendars'), { userId: 'u1' });
    expect(error.extensions.code).toBe('GRAPH_FORBIDDEN');
    expect(error.message).toMatch(/Calendars\.Read/);
    expect(error.message).toMatch(/consent again/);
  });

  it('names the directory permissions on a 403 from /users', () => {
    const error = toGatewayError(graphError(403, 'Authorization_RequestDenied', 'GET /users'));
    expect(error.message).toMatch(/permission to list the users \(User\.Read\.All or .*Directory\.Read\.All.*\)/);
  });

  it('explains a mailbox that is not in Exchange Online', () => {
    const error = toGatewayError(graphError(404, 'MailboxNotEnabledForRESTAPI', 'GET /users/{id}/calendars'), { userId: 'u1' });
    expect(error.extensions.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/user u1 is not in Exchange Online/);
  });

  it('maps throttling, outages and a rejected fresh token to the contract codes', () => {
    expect(toGatewayError(new GraphRequestError(429, 'TooManyRequests', 'slow down', 'GET /users', 12)).extensions).toMatchObject({
      code: 'GRAPH_THROTTLED',
      retryAfterSeconds: 12,
    });
    expect(toGatewayError(graphError(503, 'ServiceUnavailable', 'POST /$batch')).extensions.code).toBe('UPSTREAM_ERROR');
    expect(toGatewayError(graphError(0, 'Unreachable', 'GET /users')).extensions.code).toBe('UPSTREAM_ERROR');
    expect(toGatewayError(graphError(401, 'InvalidAuthenticationToken', 'GET /users')).extensions.code).toBe('CONSENT_REQUIRED');
  });

  it('maps token failures: revoked consent, rejected secret', () => {
    expect(toGatewayError(new MicrosoftTokenError('consent_missing', 'The app is not consented in this tenant.')).extensions.code).toBe('CONSENT_REQUIRED');
    expect(toGatewayError(new MicrosoftTokenError('invalid_client', 'The client secret was rejected by Microsoft.')).extensions.code).toBe('CONSENT_REQUIRED');
    expect(toGatewayError(new MicrosoftTokenError('throttled', 'Too many token requests.', undefined, 429)).extensions.code).toBe('GRAPH_THROTTLED');
  });
});
