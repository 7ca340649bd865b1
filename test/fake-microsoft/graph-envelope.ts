import type { AppTokenClaims } from './access-tokens';
import type { Tenant } from './directory';

export const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** One Graph call, top-level or a $batch item, after authentication. */
export interface GraphRequest {
  method: string;
  /** Path under /v1.0, still percent-encoded, e.g. '/users/abc/calendars'. */
  path: string;
  /** Raw query without '?', kept verbatim for nextLinks. */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-cased header names (Prefer, ConsistencyLevel, Content-Type…). */
  headers: Record<string, string | undefined>;
  /** The JSON body of a POST or PATCH, parsed; undefined when there is none. */
  body: unknown;
  claims: AppTokenClaims;
  tenant: Tenant;
  requestId: string;
  clientRequestId: string;
}

export interface GraphResult {
  status: number;
  body: unknown;
  /** Extra headers, such as Retry-After. */
  headers?: Record<string, string>;
  /** The work is done but the answer is lost: the connection is destroyed instead (a faults.dropNextCreateAnswer). */
  dropConnection?: boolean;
}

/** Thrown by a handler to answer with Graph's error envelope. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}; `date` has no fraction and no zone, as Graph sends it. */
export function errorEnvelope(code: string, message: string, ids: { requestId: string; clientRequestId: string }, innerExtras: Record<string, string> = {}): unknown {
  return {
    error: {
      code,
      message,
      innerError: { ...innerExtras, date: new Date().toISOString().slice(0, 19), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

export function graphErrorResult(error: GraphError, ids: { requestId: string; clientRequestId: string }): GraphResult {
  return { status: error.status, body: errorEnvelope(error.code, error.message, ids), headers: error.headers };
}

/** The 429 body from Microsoft's throttling guide, with the status repeated inside innerError. */
export function throttledResult(code: string, message: string, retryAfterSeconds: number, ids: { requestId: string; clientRequestId: string }): GraphResult {
  return {
    status: 429,
    body: errorEnvelope(code, message, ids, { code: '429', message: 'Please retry after', status: '429' }),
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

/** Reads a paging integer such as $top or $skip; `invalid` builds the error the owning service answers with. */
export function pagingNumber(query: URLSearchParams, name: string, fallback: number, min: number, max: number, invalid: (raw: string) => GraphError): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw invalid(raw);
  const value = Number(raw.trim());
  if (value < min || value > max) throw invalid(raw);
  return value;
}

/**
 * The absolute nextLink: the caller's own query, as sent, minus the old paging parameter, plus the
 * new one. Graph keeps $select, $top and the calendarView window, so a client can follow it blindly.
 */
export function nextLink(graphBase: string, path: string, rawQuery: string, pagingName: string, pagingValue: string | number): string {
  const kept = rawQuery.split('&').filter((part) => part && decodeQueryName(part).toLowerCase() !== pagingName.toLowerCase());
  return `${graphBase}${path}?${[...kept, `${pagingName}=${encodeURIComponent(String(pagingValue))}`].join('&')}`;
}

/**
 * $select as a list of canonical property names. Names match case-insensitively, as Graph does;
 * an unknown name fails the request the way the owning service fails it.
 */
export function selectedProperties(query: URLSearchParams, known: readonly string[], unknown: (name: string) => GraphError): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return undefined;
  const byLowerName = new Map(known.map((name) => [name.toLowerCase(), name]));
  return raw.split(',').map((name) => {
    const canonical = byLowerName.get(name.trim().toLowerCase());
    if (!canonical) throw unknown(name.trim());
    return canonical;
  });
}

/** Copies the selected properties, in the resource's own order, plus those always present (id, @odata.etag). */
export function project(resource: Record<string, unknown>, selected: string[] | undefined, alwaysKept: readonly string[]): Record<string, unknown> {
  if (!selected) return resource;
  const wanted = new Set([...selected, ...alwaysKept]);
  const projected: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) if (wanted.has(name)) projected[name] = value;
  // Properties that exist on the type but that the fake does not model read as unset.
  for (const name of wanted) if (!(name in projected)) projected[name] = null;
  return projected;
}

function decodeQueryName(part: string): string {
  const name = part.split('=')[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
