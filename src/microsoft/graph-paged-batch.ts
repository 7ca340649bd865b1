import type { GraphClient, TenantAccess } from './graph-client';
import { GraphRequestError, graphRequestErrorFrom } from './graph-request-error';

/** One collection to read in full, e.g. one user's calendars. */
export interface PagedRead {
  key: string;
  /** the first page, relative to /v1.0 */
  url: string;
  /** the route template, e.g. `GET /users/{id}/calendars`, for metrics and errors */
  route: string;
  headers?: Record<string, string>;
}

export type PagedReadResult = { items: Array<Record<string, unknown>> } | { error: GraphRequestError };

/** A runaway nextLink chain (a Graph bug or a hostile proxy) stops here instead of looping. */
const MAX_PAGES_PER_READ = 100;

/**
 * Reads many collections completely with as few round trips as Graph allows: every first page
 * goes out in `$batch` calls, then every collection that has a `@odata.nextLink` sends its next
 * page in the following round, batched again. 100 users' calendars that fit one page each cost
 * exactly 5 `$batch` calls. A failing collection ends with its own error; the others go on.
 */
export async function readPagesInBatches(
  graph: GraphClient,
  access: TenantAccess,
  reads: PagedRead[],
): Promise<Map<string, PagedReadResult>> {
  const results = new Map<string, PagedReadResult>();
  const collected = new Map<string, Array<Record<string, unknown>>>(reads.map((read) => [read.key, []]));
  let round = reads.map((read) => ({ ...read, page: 1 }));

  while (round.length > 0) {
    const answers = await graph.batch(
      access,
      round.map((read, index) => ({ id: String(index), url: read.url, headers: read.headers, route: read.route })),
    );
    const nextRound: typeof round = [];
    round.forEach((read, index) => {
      const route = read.route;
      const answer = answers.get(String(index));
      if (!answer || answer.status < 200 || answer.status >= 300) {
        const failed = answer ?? { status: 502, headers: {}, body: null };
        results.set(read.key, { error: graphRequestErrorFrom(failed, route) });
        return;
      }
      const body = (answer.body ?? {}) as { value?: unknown; '@odata.nextLink'?: unknown };
      if (!Array.isArray(body.value)) {
        results.set(read.key, { error: new GraphRequestError(502, 'InvalidResponse', 'Graph answered without a value list', route) });
        return;
      }
      const items = collected.get(read.key)!;
      items.push(...(body.value as Array<Record<string, unknown>>));
      const nextLink = body['@odata.nextLink'];
      if (typeof nextLink !== 'string' || nextLink === '') {
        results.set(read.key, { items });
        return;
      }
      if (read.page >= MAX_PAGES_PER_READ) {
        const message = `Graph kept sending next pages after ${MAX_PAGES_PER_READ}; the gateway stopped reading`;
        results.set(read.key, { error: new GraphRequestError(502, 'TooManyPages', message, route) });
        return;
      }
      try {
        nextRound.push({ ...read, url: graph.relativeUrlOf(nextLink, route), page: read.page + 1 });
      } catch (error) {
        results.set(read.key, { error: error as GraphRequestError });
      }
    });
    round = nextRound;
  }
  return results;
}
