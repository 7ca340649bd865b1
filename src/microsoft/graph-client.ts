import { logger as defaultLogger, type Logger } from '../observability/logger';
import { graphRequests, graphRetries, graphThrottled } from '../observability/metrics';
import { ConcurrencyLimit } from './concurrency-limit';
import {
  MAX_BATCH_REQUESTS,
  itemFromError,
  missingItem,
  readBatchResponses,
  type GraphBatchRequest,
  type GraphBatchResponse,
} from './graph-batch-items';
import { GraphRequestError, graphRequestErrorFrom, headerValue } from './graph-request-error';
import { isRetryableStatus, retryDelayMs, type RetryTiming } from './graph-retry';
import { ItemCounts } from './graph-batch-metrics';
import { graphRouteTemplate } from './graph-route';
import { MicrosoftHttp, MicrosoftUnreachable } from './microsoft-http';
import { GatewayStopping, RequestDeadlineExceeded, sleep, untilAborted } from '../request-signal';

export { GraphRequestError, MAX_BATCH_REQUESTS, type GraphBatchRequest, type GraphBatchResponse };
export { toGatewayError, type GraphErrorContext } from './to-gateway-error';

export interface TenantAccess {
  tenantId: string;
  /** resolves an access token; fresh=true forces a new one (after a 401) */
  getToken(options?: { fresh?: boolean }): Promise<string>;
  /** aborts every call made with this access: the request ended, its deadline passed, the gateway stops */
  signal?: AbortSignal;
  /** epoch ms by which the request must be answered: a retry that would wait past it is not made */
  deadline?: number;
}

export interface GraphClientOptions {
  /** Graph base without the version, e.g. https://graph.microsoft.com */
  graphUrl: string;
  /** concurrent HTTP requests per tenant; a `$batch` counts as one (default 8) */
  maxConcurrentRequestsPerTenant?: number;
  /** retries of a throttled, unavailable or unreachable request (default 4) */
  maxRetries?: number;
  /** longest single wait before a retry (default 30) */
  maxRetryWaitSeconds?: number;
  /** first backoff step when Graph sends no Retry-After; doubles each time (default 1000) */
  baseRetryDelayMs?: number;
  /** the HTTP client shared with the identity platform (default: a new one) */
  http?: MicrosoftHttp;
  logger?: Logger;
}

interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** set when the request was sent again after an attempt that may have been carried out */
  resent?: boolean;
}

export type GraphWriteMethod = 'POST' | 'PATCH' | 'DELETE';

export interface GraphWriteOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether the write may be sent again when an attempt got no answer, or 429/503/504: only for
   * writes Microsoft never performs twice (a create with a transactionId, a delete). Otherwise
   * it is sent once, and a lost answer is reported as such: the write may have been made.
   */
  resend: boolean;
}

export interface GraphWriteAnswer extends GraphAnswer {
  /** the route template, for errors */
  route: string;
  /** a delete that was sent again and now finds nothing is done */
  resent: boolean;
}

interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** see GraphWriteOptions.resend (default true: reads may always be sent again) */
  resend?: boolean;
}

/**
 * HTTP to Microsoft Graph v1.0: retries, token renewal, a per-tenant concurrency cap and
 * `$batch`, over the pooled keep-alive client shared with the identity platform. Every wait
 * (a queue slot, a Retry-After, an answer) ends when the caller's signal aborts.
 */
export class GraphClient {
  /** `${graphUrl}/v1.0`: every request and every followed nextLink stays under it */
  readonly baseUrl: string;
  private readonly maxConcurrent: number;
  private readonly maxRetries: number;
  private readonly timing: RetryTiming;
  private readonly http: MicrosoftHttp;
  private readonly logger: Logger;
  private readonly limits = new Map<string, ConcurrencyLimit>();

  constructor(options: GraphClientOptions) {
    this.baseUrl = `${options.graphUrl.replace(/\/+$/, '')}/v1.0`;
    this.maxConcurrent = options.maxConcurrentRequestsPerTenant ?? 8;
    new ConcurrencyLimit(this.maxConcurrent); // refuses a bad setting at start, not at the first request
    this.maxRetries = options.maxRetries ?? 4;
    this.timing = {
      maxRetryWaitSeconds: options.maxRetryWaitSeconds ?? 30,
      baseRetryDelayMs: options.baseRetryDelayMs ?? 1000,
    };
    this.http = options.http ?? new MicrosoftHttp();
    this.logger = options.logger ?? defaultLogger;
  }

  /** GET a relative URL such as `/users?$top=10`; throws GraphRequestError for a non-2xx answer. */
  async get<T>(access: TenantAccess, relativeUrl: string, headers?: Record<string, string>): Promise<T> {
    const route = `GET ${graphRouteTemplate(relativeUrl)}`;
    const answer = await this.send(access, 'GET', relativeUrl, route, { headers });
    if (answer.status < 200 || answer.status >= 300) throw graphRequestErrorFrom(answer, route);
    return answer.body as T;
  }

  /**
   * Any method, with a JSON body and extra headers; resent like a GET on 429/503/504 and lost
   * answers. For writes Graph tolerates twice (subscriptions: a duplicate is found and removed by
   * the next sweep). Throws GraphRequestError for a non-2xx answer.
   */
  async request<T>(
    access: TenantAccess,
    method: 'GET' | GraphWriteMethod,
    relativeUrl: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Record<string, string>; body: T }> {
    const route = `${method} ${graphRouteTemplate(relativeUrl)}`;
    const answer = await this.send(access, method, relativeUrl, route, options);
    if (answer.status < 200 || answer.status >= 300) throw graphRequestErrorFrom(answer, route);
    return { status: answer.status, headers: answer.headers, body: answer.body as T };
  }

  /** A POST, PATCH or DELETE outside `$batch`, answered whatever its status: the caller decides what each means. */
  async write(access: TenantAccess, method: GraphWriteMethod, relativeUrl: string, options: GraphWriteOptions): Promise<GraphWriteAnswer> {
    const route = `${method} ${graphRouteTemplate(relativeUrl)}`;
    const answer = await this.send(access, method, relativeUrl, route, options);
    return { ...answer, route, resent: answer.resent === true };
  }

  /**
   * Sends any number of GETs as `$batch` calls of at most 20, in parallel under the tenant's
   * cap. Items answered 429/503/504 are sent again on their own after their Retry-After; every
   * other item is final. Returns each request's final answer by id (errors included: callers
   * decide per item, so one forbidden mailbox fails only its own key). Rejects only when no
   * request could be made at all, e.g. the tenant's token was refused.
   */
  async batch(access: TenantAccess, requests: GraphBatchRequest[]): Promise<Map<string, GraphBatchResponse>> {
    const ids = new Set(requests.map((request) => request.id));
    if (ids.size !== requests.length) throw new RangeError('batch request ids must be unique');
    const results = new Map<string, GraphBatchResponse>();
    const chunks: GraphBatchRequest[][] = [];
    for (let start = 0; start < requests.length; start += MAX_BATCH_REQUESTS) {
      chunks.push(requests.slice(start, start + MAX_BATCH_REQUESTS));
    }
    await Promise.all(
      chunks.map((chunk) =>
        this.sendBatchChunk(access, chunk, results).catch((error: unknown) => {
          // Graph refused the $batch call itself (still 503, unreachable…): that fails this
          // chunk's items, each with the same answer, and leaves the other chunks' results alone.
          if (!(error instanceof GraphRequestError)) throw error;
          for (const request of chunk) if (!results.has(request.id)) results.set(request.id, itemFromError(request.id, error));
        }),
      ),
    );
    return results;
  }

  /**
   * The relative URL of a `@odata.nextLink`, to fetch the next page through `get` or `$batch`.
   * Only links under our own Graph base are followed: a link is data from the network, and
   * following it elsewhere would send the tenant's token there.
   */
  relativeUrlOf(nextLink: string, route: string): string {
    const base = new URL(`${this.baseUrl}/`);
    const link = URL.canParse(nextLink) ? new URL(nextLink) : null;
    if (!link || link.origin !== base.origin || !link.pathname.startsWith(base.pathname)) {
      throw new GraphRequestError(502, 'UnexpectedNextLink', `Graph sent a next-page link outside ${this.baseUrl}; the gateway does not follow it`, route);
    }
    return `/${link.pathname.slice(base.pathname.length)}${link.search}`;
  }

  private async sendBatchChunk(
    access: TenantAccess,
    chunk: GraphBatchRequest[],
    results: Map<string, GraphBatchResponse>,
  ): Promise<void> {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const body = {
        requests: pending.map(({ id, url, method, headers, body: itemBody }) => ({ id, method: method ?? 'GET', url, headers, body: itemBody })),
      };
      const answer = await this.send(access, 'POST', '/$batch', 'POST /$batch', { body });
      if (answer.status < 200 || answer.status >= 300) throw graphRequestErrorFrom(answer, 'POST /$batch');
      const byId = readBatchResponses(answer.body);

      const again: GraphBatchRequest[] = [];
      const counts = new ItemCounts();
      let waitMs = 0;
      for (const request of pending) {
        const item = byId.get(request.id) ?? missingItem(request.id);
        counts.add(request, item.status);
        const delay =
          isRetryableStatus(item.status) && attempt < this.maxRetries
            ? retryDelayMs(attempt, headerValue(item.headers, 'retry-after'), this.timing)
            : null;
        if (delay === null || !this.fitsDeadline(access, delay)) {
          results.set(request.id, item);
        } else {
          again.push(request);
          waitMs = Math.max(waitMs, delay);
        }
      }
      counts.record(again.length);
      if (again.length > 0) {
        this.logger.debug({ tenantId: access.tenantId, items: again.length, waitMs }, 'retrying $batch items Graph could not serve yet');
        await this.wait(waitMs, access, 'POST /$batch');
      }
      pending = again;
    }
  }

  /** One logical request: retried on 429/503/504 and network failures unless `resend` is false, renewed once on 401. */
  private async send(
    access: TenantAccess,
    method: 'GET' | GraphWriteMethod,
    relativeUrl: string,
    route: string,
    { body, headers: extraHeaders, resend = true }: SendOptions,
  ): Promise<GraphAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let renewedToken = false;
    let freshToken = false;
    let resentStale = false;
    let resent = false;
    for (let attempt = 0; ; ) {
      const token = await this.token(access, freshToken, route);
      freshToken = false;
      let answer: GraphAnswer;
      try {
        answer = await this.limitFor(access.tenantId).run(() => this.exchange(method, relativeUrl, token, payload, access.signal, extraHeaders), access.signal);
      } catch (error) {
        if (!(error instanceof MicrosoftUnreachable)) throw this.stopped(error, access, route);
        graphRequests.inc({ route, status: error.timedOut ? 'timeout' : 'network_error' });
        // A pooled connection the server closed while idle fails at once: send again on a new one, without waiting.
        if (error.staleConnection && !resentStale && resend) {
          resentStale = resent = true;
          graphRetries.inc({ reason: 'stale_connection' });
          continue;
        }
        const delay = resend && attempt < this.maxRetries ? (retryDelayMs(attempt, undefined, this.timing) ?? 0) : null;
        if (delay !== null && this.fitsDeadline(access, delay)) {
          attempt++;
          resent = true;
          graphRetries.inc({ reason: error.timedOut ? 'timeout' : 'unavailable' });
          await this.wait(delay, access, route);
          continue;
        }
        this.logger.warn({ route, tenantId: access.tenantId, detail: error.message }, resend ? 'Microsoft Graph unreachable after retries' : 'no answer from Microsoft Graph to a write sent once');
        throw new GraphRequestError(0, error.timedOut ? 'Timeout' : 'Unreachable', error.message, route);
      }
      graphRequests.inc({ route, status: String(answer.status) });

      // An app token can be invalidated before its expiry (consent revoked, keys rolled):
      // one new token settles whether it was the token or the consent.
      if (answer.status === 401 && !renewedToken) {
        renewedToken = freshToken = true;
        graphRetries.inc({ reason: 'token_expired' });
        continue;
      }
      if (isRetryableStatus(answer.status)) {
        if (answer.status === 429) graphThrottled.inc();
        const delay =
          resend && attempt < this.maxRetries ? retryDelayMs(attempt, headerValue(answer.headers, 'retry-after'), this.timing) : null;
        if (delay !== null && this.fitsDeadline(access, delay)) {
          graphRetries.inc({ reason: answer.status === 429 ? 'throttled' : 'unavailable' });
          this.logger.debug({ route, tenantId: access.tenantId, status: answer.status, delay }, 'retrying Graph request');
          attempt++;
          resent = true;
          await this.wait(delay, access, route);
          continue;
        }
        if (resend) this.logger.warn({ route, tenantId: access.tenantId, status: answer.status }, 'Graph still refusing after retries');
      }
      if (resent) answer.resent = true;
      return answer;
    }
  }

  private async token(access: TenantAccess, fresh: boolean, route: string): Promise<string> {
    try {
      return await untilAborted(access.getToken(fresh ? { fresh: true } : undefined), access.signal);
    } catch (error) {
      throw this.stopped(error, access, route);
    }
  }

  private async exchange(method: 'GET' | GraphWriteMethod, relativeUrl: string, token: string, payload: string | undefined, signal?: AbortSignal, extraHeaders?: Record<string, string>): Promise<GraphAnswer> {
    const headers: Record<string, string> = { ...extraHeaders, authorization: `Bearer ${token}`, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await this.http.send(method, `${this.baseUrl}${relativeUrl}`, { headers, body: payload, signal });
    const parsed = parseJson(response.text);
    // A 2xx we cannot read (a proxy's HTML page) is no success: report it as a bad gateway.
    const ok = response.status >= 200 && response.status < 300;
    return { status: parsed.ok || !ok ? response.status : 502, headers: response.headers, body: parsed.value };
  }

  /** A retry whose wait would outlast the request's deadline is not worth starting. */
  private fitsDeadline(access: TenantAccess, delayMs: number): boolean {
    return access.deadline === undefined || Date.now() + delayMs < access.deadline;
  }

  private async wait(ms: number, access: TenantAccess, route: string): Promise<void> {
    try {
      await sleep(ms, access.signal);
    } catch (error) {
      throw this.stopped(error, access, route);
    }
  }

  /** The signal's reason as a Graph failure the caller can read, or the error itself when it is not an abort. */
  private stopped(error: unknown, access: TenantAccess, route: string): unknown {
    if (!access.signal?.aborted || error !== access.signal.reason) return error;
    if (error instanceof RequestDeadlineExceeded) return new GraphRequestError(0, 'Timeout', `no answer before ${error.message}`, route);
    if (error instanceof GatewayStopping) return new GraphRequestError(0, 'Cancelled', `${error.message}; try again`, route);
    return new GraphRequestError(0, 'Cancelled', error instanceof Error ? error.message : 'the request was cancelled', route);
  }

  private limitFor(tenantId: string): ConcurrencyLimit {
    let limit = this.limits.get(tenantId);
    if (!limit) {
      limit = new ConcurrencyLimit(this.maxConcurrent);
      this.limits.set(tenantId, limit);
    }
    return limit;
  }
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  if (text === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const message = `Graph answered with a body that is not JSON: ${text.slice(0, 120)}`;
    return { ok: false, value: { error: { code: 'InvalidResponse', message } } };
  }
}
