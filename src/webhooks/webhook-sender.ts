import { isIP } from 'node:net';
import { Agent, errors as undiciErrors } from 'undici';
import { isPublicAddress, publicOnlyLookup } from './endpoint-address-policy';

/** What one attempt got: the receiver's status, or why there was none. */
export interface AttemptAnswer {
  statusCode: number | null;
  error: string | null;
}

/** The receiver's answer is not used; reading a little of it lets the connection be reused. */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * POSTs signed webhook bodies. One pooled client for every endpoint; each attempt is cut off after
 * the time-out (XKIT_WEBHOOK_TIMEOUT_SECONDS) and when the gateway stops. Unless local endpoints
 * are allowed, connections go only to public addresses, checked as they are made.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: { timeoutMs: number; allowLocal: boolean }) {
    this.agent = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, ...(options.allowLocal ? {} : { lookup: publicOnlyLookup }) },
    });
  }

  async post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<AttemptAnswer> {
    const target = new URL(url);
    const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
    // A literal address needs no lookup, so the connection-time check never sees it.
    if (!this.options.allowLocal && isIP(literal) && !isPublicAddress(literal)) {
      return { statusCode: null, error: `${literal} is not a public address; the delivery was not sent (XKIT_WEBHOOK_ALLOW_LOCAL is off)` };
    }
    try {
      const response = await this.agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'xkit-gateway-webhooks', ...headers },
        body,
        // The pool's own timers end a silent receiver's attempt; the signal only ends it when the gateway stops.
        signal,
      });
      await response.body.dump({ limit: MAX_ANSWER_BYTES }).catch(() => undefined);
      return { statusCode: response.statusCode, error: response.statusCode >= 200 && response.statusCode < 300 ? null : `the endpoint answered HTTP ${response.statusCode}` };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return { statusCode: null, error: describeFailure(error, this.options.timeoutMs) };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const timedOut =
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError;
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: string })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
