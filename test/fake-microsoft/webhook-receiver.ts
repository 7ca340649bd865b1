import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the gateway's webhook routes in tests of the fake: a plain-http server on
 * 127.0.0.1 that answers Graph's validation handshake (as told) and records every POST.
 */

export interface ReceivedPost {
  path: string;
  /** Verbatim, as Graph encoded it. */
  rawQuery: string;
  contentType: string | undefined;
  body: string;
  /** The parsed body of a notification POST; undefined for a handshake. */
  json: { value: Array<Record<string, any>> } | undefined;
}

/** How to answer: a status (200 with the right token for a handshake, 202 for a notification), or 'hang' to never answer. */
export type ReceiverReply = number | 'hang';

/**
 * How to answer a handshake: 'echo' the decoded token as text/plain (correct), 'echo-raw' the token
 * as it stood in the query, 'echo-json' the right token as application/json, a status, or 'hang'.
 */
export type HandshakeReply = 'echo' | 'echo-raw' | 'echo-json' | ReceiverReply;

export class WebhookReceiver {
  readonly posts: ReceivedPost[] = [];
  /** Consumed one per notification POST; once empty, 202. */
  readonly replies: ReceiverReply[] = [];
  handshake: HandshakeReply = 'echo';
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver!.answer(request.url ?? '/', request.headers['content-type'], Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  /** The notifications (or lifecycle notifications) received, flattened across POSTs, in arrival order. */
  notifications(path?: string): Array<Record<string, any>> {
    return this.posts.filter((post) => post.json && (path === undefined || post.path === path)).flatMap((post) => post.json!.value);
  }

  handshakes(): ReceivedPost[] {
    return this.posts.filter((post) => new URLSearchParams(post.rawQuery).has('validationToken'));
  }

  reset(): void {
    this.posts.length = 0;
    this.replies.length = 0;
    this.handshake = 'echo';
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(target: string, contentType: string | undefined, body: string, response: ServerResponse): void {
    const queryStart = target.indexOf('?');
    const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
    const token = new URLSearchParams(rawQuery).get('validationToken');
    let json: ReceivedPost['json'];
    try {
      json = token === null ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    this.posts.push({ path: queryStart === -1 ? target : target.slice(0, queryStart), rawQuery, contentType, body, json });
    const reply = token === null ? (this.replies.shift() ?? 202) : this.handshake;
    if (reply === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (token === null || typeof reply === 'number') {
      response.writeHead(typeof reply === 'number' ? reply : 202).end();
      return;
    }
    const echoed = reply === 'echo-raw' ? rawQuery.replace(/^.*validationToken=([^&]*).*$/, '$1') : token;
    response.writeHead(200, { 'Content-Type': reply === 'echo-json' ? 'application/json' : 'text/plain; charset=utf-8' }).end(echoed);
  }
}
