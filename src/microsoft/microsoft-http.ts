import { Agent, errors as undiciErrors } from 'undici';

export interface MicrosoftAnswer {
  status: number;
  /** lower-cased names */
  headers: Record<string, string>;
  text: string;
}

export interface MicrosoftHttpOptions {
  /** how long an idle connection is kept for reuse (default 120 s) */
  keepAliveMs?: number;
  /** the longest wait for an answer's headers, and between body chunks, in one attempt (default 30 s) */
  attemptTimeoutMs?: number;
}

/** Why an HTTP exchange with Microsoft got no answer. */
export class MicrosoftUnreachable extends Error {
  constructor(
    message: string,
    /** the connection was a reused one that the server had already closed: safe to send again at once */
    readonly staleConnection: boolean,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'MicrosoftUnreachable';
  }
}

/**
 * The one HTTP client for Microsoft, Graph and the identity platform alike: pooled keep-alive
 * connections per origin (idle ones kept two minutes, so a gateway asked once a minute reuses its
 * TLS connections), timeouts kept by the pool's own timers instead of one AbortSignal per request,
 * and the caller's signal to cancel. Trusts NODE_EXTRA_CA_CERTS like the rest of Node.
 */
export class MicrosoftHttp {
  private readonly agent: Agent;

  constructor(options: MicrosoftHttpOptions = {}) {
    const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    const keepAliveMs = options.keepAliveMs ?? 120_000;
    this.agent = new Agent({
      keepAliveTimeout: keepAliveMs,
      // A server's own Keep-Alive hint may shorten it, never lengthen it past this.
      keepAliveMaxTimeout: keepAliveMs,
      headersTimeout: attemptTimeoutMs,
      bodyTimeout: attemptTimeoutMs,
      connect: { timeout: Math.min(attemptTimeoutMs, 10_000) },
    });
  }

  async send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: { headers: Record<string, string>; body?: string; signal?: AbortSignal },
  ): Promise<MicrosoftAnswer> {
    try {
      const response = await this.agent.request({
        origin: originOf(url),
        path: pathOf(url),
        method,
        headers: options.headers,
        body: options.body,
        signal: options.signal,
      });
      const text = await response.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers, text };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw unreachable(error);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function unreachable(error: unknown): MicrosoftUnreachable {
  const code = (error as { code?: string })?.code ?? '';
  const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError;
  // "other side closed" / ECONNRESET before any byte of an answer: the pooled socket had died while idle.
  const staleConnection = error instanceof undiciErrors.SocketError || code === 'ECONNRESET' || code === 'EPIPE';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const detail = timedOut ? 'no answer in time' : (cause ?? (error instanceof Error ? error.message : String(error)));
  return new MicrosoftUnreachable(detail, staleConnection, timedOut);
}

function originOf(url: string): string {
  const schemeEnd = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', schemeEnd);
  return pathStart < 0 ? url : url.slice(0, pathStart);
}

function pathOf(url: string): string {
  const schemeEnd = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', schemeEnd);
  return pathStart < 0 ? '/' : url.slice(pathStart);
}
