import { randomUUID } from 'node:crypto';
import type { AppTokenClaims } from './access-tokens';
import type { FakeContext } from './context';
import { countRoute } from './counters';
import type { Tenant } from './directory';
import { consumeCountedFault } from './faults';
import { GRAPH_CONTENT_TYPE, errorEnvelope, throttledResult, type GraphRequest, type GraphResult } from './graph-envelope';
import { executeGraphRoute, matchGraphRoute } from './graph-routes';
import { SeededRandom } from './seeded-random';

/** JSON batching (POST /v1.0/$batch): up to 20 relative requests, answered in no particular order. */

export const MAX_BATCH_ITEMS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface BatchCaller {
  claims: AppTokenClaims;
  tenant: Tenant;
  requestId: string;
  clientRequestId: string;
}

export async function executeBatch(context: FakeContext, caller: BatchCaller, payload: Buffer): Promise<GraphResult> {
  const parsed = parseBatch(payload);
  if (typeof parsed === 'string') return { status: 400, body: errorEnvelope('BadRequest', parsed, caller) };
  context.counters.batchItems += parsed.length;

  const responses = new Map<string, BatchItemResponse>();
  let dropConnection = false;
  for (const item of parsed) {
    // dependsOn may only name earlier items (checked in parseBatch), so they have already run.
    const failedDependency = (item.dependsOn ?? []).some((id) => (responses.get(id)?.status ?? 500) >= 400);
    const outcome: BatchItemResponse & { dropConnection?: boolean } = failedDependency ? dependencyFailed(item, caller) : await executeItem(context, caller, item);
    const { dropConnection: dropped, ...response } = outcome;
    dropConnection ||= Boolean(dropped);
    responses.set(item.id, response);
  }
  return { status: 200, body: { responses: shuffled(context, [...responses.values()]) }, dropConnection };
}

async function executeItem(context: FakeContext, caller: BatchCaller, item: BatchItem): Promise<BatchItemResponse & { dropConnection?: boolean }> {
  const method = item.method.toUpperCase();
  context.batchItemLog.push({ id: item.id, method, url: item.url, headers: { ...(item.headers ?? {}) }, body: item.body });
  const ids = { requestId: randomUUID(), clientRequestId: item.headers?.['client-request-id'] ?? caller.clientRequestId };
  if (/^[a-z][a-z0-9+.-]*:/i.test(item.url)) {
    return itemResponse(item.id, { status: 400, body: errorEnvelope('BadRequest', 'Invalid request URL: a batch item url must be relative to the version, e.g. /users.', ids) });
  }
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const queryStart = relative.indexOf('?');
  const path = queryStart === -1 ? relative : relative.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : relative.slice(queryStart + 1);
  const match = matchGraphRoute(method, path);
  countRoute(context.counters, `batch ${match.key}`);

  const throttle = context.faults.throttleBatchItems;
  if (consumeCountedFault(throttle)) {
    const isMailboxRoute = match.key.includes('/calendar');
    const result = isMailboxRoute
      ? throttledResult('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', throttle!.retryAfterSeconds, ids)
      : throttledResult('TooManyRequests', 'Please retry again later.', throttle!.retryAfterSeconds, ids);
    return itemResponse(item.id, result);
  }
  const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const request: GraphRequest = { method, path, rawQuery, query: new URLSearchParams(rawQuery), headers, body: item.body, claims: caller.claims, tenant: caller.tenant, ...ids };
  return itemResponse(item.id, await executeGraphRoute(context, request, match));
}

function dependencyFailed(item: BatchItem, caller: BatchCaller): BatchItemResponse {
  const ids = { requestId: randomUUID(), clientRequestId: caller.clientRequestId };
  return itemResponse(item.id, { status: 424, body: errorEnvelope('FailedDependency', 'The request was not executed because a request it depends on failed.', ids) });
}

/** A lost answer inside a batch loses the whole batch's answer. */
function itemResponse(id: string, result: GraphResult): BatchItemResponse & { dropConnection?: boolean } {
  return { id, status: result.status, headers: { 'Cache-Control': 'no-cache', 'Content-Type': GRAPH_CONTENT_TYPE, ...result.headers }, body: result.body, dropConnection: result.dropConnection };
}

/** The items, or the message of the 400 that rejects the whole batch before anything runs. */
function parseBatch(payload: Buffer): BatchItem[] | string {
  let document: unknown;
  try {
    document = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
  }
  const requests = (document as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return "Invalid batch payload format: expected a non-empty 'requests' array.";
  if (requests.length > MAX_BATCH_ITEMS) return `The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH_ITEMS}.`;
  const seen = new Set<string>();
  for (const candidate of requests as Partial<BatchItem>[]) {
    if (typeof candidate?.id !== 'string' || candidate.id === '') return "Invalid batch payload format: every request needs a string 'id'.";
    if (typeof candidate.method !== 'string' || typeof candidate.url !== 'string') return `Invalid batch payload format: request '${candidate.id}' needs 'method' and 'url'.`;
    if (seen.has(candidate.id)) return `Request Id '${candidate.id}' is not unique within the batch; ids must be unique.`;
    if (candidate.body !== undefined && !Object.keys(candidate.headers ?? {}).some((name) => name.toLowerCase() === 'content-type')) {
      return `Request '${candidate.id}' has a body but no Content-Type header.`;
    }
    const dependsOn = candidate.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((id) => !seen.has(id))) {
      return `Request '${candidate.id}' depends on a request that does not precede it in the batch.`;
    }
    seen.add(candidate.id);
  }
  return requests as BatchItem[];
}

/** Graph does not keep the request order; a fixed-seed shuffle that never returns the original order makes clients prove they correlate by id. */
function shuffled<T>(context: FakeContext, items: T[]): T[] {
  const random = new SeededRandom(`batch:${context.batchSequence++}`);
  const order = [...items];
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random.next() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  if (order.length > 1 && order.every((item, index) => item === items[index])) order.push(order.shift()!);
  return order;
}
