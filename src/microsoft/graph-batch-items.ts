/** The `$batch` wire format: what goes in, what comes back, and the answers we stand in when Graph gives none. */
import { GraphRequestError } from './graph-request-error';

export { MAX_BATCH_REQUESTS } from './graph-limits';

/** One request inside a `$batch`; `url` is relative to /v1.0, e.g. `/users/{id}/calendars`. */
export interface GraphBatchRequest {
  id: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON body of a POST item (Graph then requires a Content-Type header) */
  body?: unknown;
  /** the route template for metrics, e.g. `GET /users/{id}/calendars`, when the caller knows it */
  route?: string;
}

/** One item of a `$batch` answer (headers as Graph spelled them; look them up with headerValue). */
export interface GraphBatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The items of a `$batch` answer by id; Graph answers them in no particular order. */
export function readBatchResponses(body: unknown): Map<string, GraphBatchResponse> {
  const responses = (body as { responses?: unknown } | null)?.responses;
  if (!Array.isArray(responses)) {
    throw new GraphRequestError(502, 'InvalidBatchResponse', 'Graph answered a $batch without a responses list', 'POST /$batch');
  }
  const byId = new Map<string, GraphBatchResponse>();
  for (const raw of responses as Array<Partial<GraphBatchResponse>>) {
    if (typeof raw?.id !== 'string' || typeof raw.status !== 'number') continue;
    byId.set(raw.id, { id: raw.id, status: raw.status, headers: raw.headers ?? {}, body: raw.body ?? null });
  }
  return byId;
}

/** Graph refused the `$batch` call itself: each of its items gets that answer. */
export function itemFromError(id: string, error: GraphRequestError): GraphBatchResponse {
  return {
    id,
    status: error.status,
    headers: error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) },
    body: { error: { code: error.graphCode, message: error.message } },
  };
}

/** Graph answers every item; if one is missing, that item alone fails. */
export function missingItem(id: string): GraphBatchResponse {
  return {
    id,
    status: 502,
    headers: {},
    body: { error: { code: 'MissingBatchItem', message: 'Graph left this request out of its $batch answer' } },
  };
}
