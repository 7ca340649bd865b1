import { parseRetryAfterMs } from './graph-retry';

/**
 * Graph refused a request (after any retries), or could not be reached. `status` is 0 when no
 * HTTP answer came back; `graphCode` is the envelope's `error.code` (branch on it, not on the
 * message); `route` is the template, e.g. `GET /users/{id}/calendars`.
 */
export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: string,
    message: string,
    readonly route: string,
    /** what Microsoft asked for on a 429/503, in seconds */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

/** Builds the error for a non-2xx Graph answer, top-level or a `$batch` item. */
export function graphRequestErrorFrom(
  answer: { status: number; headers: Record<string, string>; body: unknown },
  route: string,
): GraphRequestError {
  const envelope = readErrorEnvelope(answer.body);
  const retryAfterMs = parseRetryAfterMs(headerValue(answer.headers, 'retry-after'));
  return new GraphRequestError(
    answer.status,
    envelope?.code ?? `HTTP${answer.status}`,
    envelope?.message || `Microsoft Graph answered HTTP ${answer.status}`,
    route,
    retryAfterMs === null ? undefined : Math.ceil(retryAfterMs / 1000),
  );
}

/** Header lookup that ignores case: batch items carry headers as Graph spelled them. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function readErrorEnvelope(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : '' } : null;
}
