import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A SaaS's webhook endpoint in tests: plain http on 127.0.0.1 (the gateway runs with
 * XKIT_WEBHOOK_ALLOW_LOCAL), verifying every delivery with the `standardwebhooks` package as a
 * receiver would, answering as scripted, and recording what came.
 */

export interface ReceivedWebhook {
  webhookId: string;
  timestamp: number;
  /** the signature checked out with the endpoint's secret */
  verified: boolean;
  /** what the receiver answered ('hang': nothing) */
  answer: number | 'hang';
  type: string;
  data: Record<string, any>;
  body: string;
  at: number;
}

export class SignedWebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** One per POST, in order; once empty, 200. */
  readonly replies: Array<number | 'hang'> = [];
  /** The endpoint's whsec_ secret, from createWebhookEndpoint. */
  secret: string | null = null;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/webhooks/xkit'): Promise<SignedWebhookReceiver> {
    let receiver: SignedWebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver!.answer(request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new SignedWebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return receiver;
  }

  /** Verified deliveries the receiver acknowledged (2xx), optionally of one type. */
  acknowledged(type?: string): ReceivedWebhook[] {
    return this.received.filter((entry) => entry.verified && typeof entry.answer === 'number' && entry.answer < 300 && (type === undefined || entry.type === type));
  }

  /** Waits for the receiver to see what the test expects (not a fixed sleep): polls until `check` returns a value. */
  async waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.received.map(({ type, answer, verified }) => ({ type, answer, verified })))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  reset(): void {
    this.received.length = 0;
    this.replies.length = 0;
    this.releaseHanging();
  }

  async stop(): Promise<void> {
    this.releaseHanging();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private releaseHanging(): void {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
  }

  private answer(headers: IncomingHttpHeaders, body: string, response: ServerResponse): void {
    let verified = false;
    try {
      new Webhook(this.secret ?? 'whsec_bm90IHNldA==').verify(body, headers as Record<string, string>);
      verified = true;
    } catch {
      verified = false;
    }
    const answer = verified ? (this.replies.shift() ?? 200) : 401;
    const parsed = (() => {
      try {
        return JSON.parse(body) as { type?: string; data?: Record<string, any> };
      } catch {
        return {};
      }
    })();
    this.received.push({
      webhookId: String(headers['webhook-id']),
      timestamp: Number(headers['webhook-timestamp']),
      verified,
      answer,
      type: parsed.type ?? '',
      data: parsed.data ?? {},
      body,
      at: Date.now(),
    });
    if (answer === 'hang') {
      this.hanging.add(response);
      return;
    }
    response.writeHead(answer).end();
  }
}
