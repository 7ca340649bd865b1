import { randomUUID } from 'node:crypto';
import type { AppTokenClaims } from './access-tokens';
import { executeBatch } from './batch';
import type { FakeContext } from './context';
import { countRoute } from './counters';
import type { Tenant } from './directory';
import { consumeCountedFault } from './faults';
import { GRAPH_CONTENT_TYPE, errorEnvelope, throttledResult, type GraphResult } from './graph-envelope';
import { executeGraphRoute, matchGraphRoute } from './graph-routes';
import type { IncomingExchange, OutgoingResponse } from './http-exchange';

export const TRANSIENT_FAILURES: Record<number, { code: string; message: string }> = {
  500: { code: 'generalException', message: 'General exception while processing.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable. Try the request again after a delay.' },
  504: { code: 'timeout', message: 'The operation timed out before it could be completed.' },
};

/** A request under /v1.0: counted, then faults, then authentication, then the route or the batch. */
export async function handleGraphRequest(context: FakeContext, exchange: IncomingExchange): Promise<OutgoingResponse> {
  const ids = { requestId: randomUUID(), clientRequestId: exchange.headers['client-request-id'] ?? '' };
  ids.clientRequestId ||= ids.requestId;
  const path = exchange.path.slice('/v1.0'.length) || '/';
  const isBatch = exchange.method === 'POST' && /^\/(\$|%24)batch\/?$/i.test(path);
  const match = isBatch ? undefined : matchGraphRoute(exchange.method, path);
  context.counters.graphRequests++;
  if (isBatch) context.counters.batchRequests++;
  countRoute(context.counters, isBatch ? 'POST /$batch' : match!.key);

  const result = await (async (): Promise<GraphResult> => {
    const throttle = context.faults.throttleGraphRequests;
    if (!isBatch && consumeCountedFault(throttle)) return throttledResult('TooManyRequests', 'Please retry again later.', throttle!.retryAfterSeconds, ids);
    const failure = context.faults.failGraphRequests;
    if (consumeCountedFault(failure)) {
      const { code, message } = TRANSIENT_FAILURES[failure!.status] ?? TRANSIENT_FAILURES[500];
      return { status: failure!.status, body: errorEnvelope(code, message, ids) };
    }
    const caller = authenticate(context, exchange.headers.authorization);
    if ('status' in caller) return { ...caller, body: errorEnvelope('InvalidAuthenticationToken', caller.message, ids) };
    if (isBatch) return executeBatch(context, { ...caller, ...ids }, exchange.body);
    const body = readJsonBody(exchange);
    if (body === INVALID_JSON) return { status: 400, body: errorEnvelope('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', ids) };
    return executeGraphRoute(context, { method: exchange.method, path, rawQuery: exchange.rawQuery, query: exchange.query, headers: exchange.headers, body, ...caller, ...ids }, match);
  })();

  return {
    status: result.status,
    headers: {
      'Content-Type': GRAPH_CONTENT_TYPE,
      'Cache-Control': 'no-cache',
      'OData-Version': '4.0',
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Loopback', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: 'FAKE-MICROSOFT' } }),
      ...result.headers,
    },
    // 204 No Content (DELETE, reauthorize) has no body at all.
    body: result.body === undefined || result.status === 204 ? '' : JSON.stringify(result.body),
    ...(result.dropConnection ? { destroyConnection: true } : {}),
  };
}

type Authentication = { claims: AppTokenClaims; tenant: Tenant } | { status: 401; message: string; headers: Record<string, string> };

function authenticate(context: FakeContext, authorization: string | undefined): Authentication {
  const token = authorization?.match(/^Bearer\s+(.*)$/i)?.[1]?.trim();
  const check = context.tokens.check(token);
  const unauthorized = (message: string): Authentication => ({
    status: 401,
    message,
    headers: {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${context.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    },
  });
  if (!check.valid) {
    switch (check.reason) {
      case 'empty':
        return unauthorized('Access token is empty.');
      case 'unparseable':
        return unauthorized('CompactToken parsing failed with error code: 80049217');
      case 'foreignSignature':
        return unauthorized('Access token validation failure.');
      case 'expired':
        return unauthorized('Access token has expired or is not yet valid.');
    }
  }
  const tenant = context.directory.findTenant(check.claims.tid);
  if (!tenant) return unauthorized('Access token validation failure.');
  return { claims: check.claims, tenant };
}

const INVALID_JSON = Symbol('invalid JSON');

/** A write's body; Graph refuses a body it cannot parse before it looks at the route. */
function readJsonBody(exchange: IncomingExchange): unknown {
  if (exchange.body.length === 0) return undefined;
  try {
    return JSON.parse(exchange.body.toString('utf8')) as unknown;
  } catch {
    return INVALID_JSON;
  }
}
