import type { IncomingMessage, ServerResponse } from 'node:http';

/** One HTTP request, fully read, in the shape the route handlers need. */
export interface IncomingExchange {
  method: string;
  /** The raw (still percent-encoded) path, without the query. */
  path: string;
  /** The raw query string without '?', kept verbatim so nextLinks can keep the caller's parameters as sent. */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Destroy the connection instead of answering (a lost response). */
  destroyConnection?: boolean;
}

export async function readExchange(request: IncomingMessage): Promise<IncomingExchange> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: queryStart === -1 ? target : target.slice(0, queryStart),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.concat(chunks),
  };
}

/** Writes the response after `delayMs`, which is how the fake simulates a distant service. */
export async function sendAfter(response: ServerResponse, outgoing: OutgoingResponse, delayMs: number): Promise<void> {
  // A client that hangs up ends the wait too, so a long simulated latency leaves no timer behind.
  if (delayMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      response.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  if (response.destroyed) return;
  if (outgoing.destroyConnection) return void response.destroy();
  const body = Buffer.from(outgoing.body, 'utf8');
  response.writeHead(outgoing.status, { ...outgoing.headers, 'Content-Length': String(body.length) });
  response.end(body);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): OutgoingResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}
