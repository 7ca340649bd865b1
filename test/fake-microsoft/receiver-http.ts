import http from 'node:http';
import https from 'node:https';

/**
 * Graph's side of a webhook call: one POST to the app's receiver (its notificationUrl or
 * lifecycleNotificationUrl), cut off after a deadline the way Graph's HTTP client is (10 s for
 * the validation handshake, 3 s for a notification). No connection pooling, so stop() leaves
 * no socket behind and every call is independent, as Graph's are from the receiver's view.
 */

export interface ReceiverAnswer {
  /** undefined when there was no HTTP answer in time (refused, reset, timed out). */
  status?: number;
  contentType?: string;
  body: string;
  /** 'timeout' or the socket error's message, when there is no status. */
  error?: string;
}

const MAX_ANSWER_BYTES = 64 * 1024;

export function postToReceiver(url: URL, request: { contentType: string; body: string }, timeoutMs: number, inFlight: Set<http.ClientRequest>): Promise<ReceiverAnswer> {
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const payload = Buffer.from(request.body, 'utf8');
    let settled = false;
    const finish = (answer: ReceiverAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      inFlight.delete(outgoing);
      outgoing.destroy();
      resolve(answer);
    };
    const outgoing = client.request(
      url,
      { method: 'POST', agent: false, headers: { 'Content-Type': request.contentType, 'Content-Length': String(payload.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        response.on('end', () => finish({ status: response.statusCode, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => finish({ body: '', error: error.message }));
      },
    );
    const timer = setTimeout(() => finish({ body: '', error: 'timeout' }), timeoutMs);
    inFlight.add(outgoing);
    outgoing.on('error', (error) => finish({ body: '', error: error.message }));
    outgoing.end(payload);
  });
}

/** Graph requires https; the gateway under test listens on plain http on the loopback interface, which the fake alone allows. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
