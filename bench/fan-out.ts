import { readFileSync } from 'node:fs';
import type { FakeMicrosoft } from '../test/fake-microsoft';
import type { GatewayProcess } from '../test/integration/harness';

/** Page size for "all users": the largest multiple of 20 under Graph's 999, so every $batch is full. */
export const USERS_PAGE = 980;
export const BATCH_LIMIT = 20;

const ALL_USERS_WITH_CALENDARS = `query($tenant: ID!, $after: String) {
  tenant(id: $tenant) { users(first: ${USERS_PAGE}, after: $after) {
    nodes { id calendars { id name } } pageInfo { hasNextPage endCursor } } } }`;

export interface FanOutResult {
  users: number;
  graphCalls: number;
  tokenRequests: number;
  minimumCalls: number;
  wallMs: number;
  latencyBoundMs: number;
  peakRssBytes: number;
}

/** Pages, in order (each page needs the previous cursor), and the users in each. */
export function pageSizes(users: number): number[] {
  return Array.from({ length: Math.ceil(users / USERS_PAGE) }, (_, page) => Math.min(USERS_PAGE, users - page * USERS_PAGE));
}

/**
 * The best any client can do: pages one after the other; within a page one GET /users, then
 * the page's $batch calls in rounds of `concurrency`, each call one round trip of `latencyMs`.
 */
export function latencyBoundMs(users: number, concurrency: number, latencyMs: number): number {
  return pageSizes(users).reduce((total, size) => total + latencyMs * (1 + Math.ceil(Math.ceil(size / BATCH_LIMIT) / concurrency)), 0);
}

export function minimumGraphCalls(users: number): number {
  return Math.ceil(users / 999) + Math.ceil(users / BATCH_LIMIT);
}

/** "All users with their calendars" through the gateway, with the fake's counters and the gateway's memory. */
export async function gatewayFanOut(
  gateway: GatewayProcess,
  fake: FakeMicrosoft,
  tenantId: string,
  options: { users: number; concurrency: number; latencyMs: number },
): Promise<FanOutResult> {
  fake.resetCounters();
  const started = performance.now();
  let after: string | null = null;
  let seen = 0;
  do {
    const page: any = await gateway.gql(ALL_USERS_WITH_CALENDARS, { tenant: tenantId, after });
    if (page.errors) throw new Error(`fan-out query failed: ${JSON.stringify(page.errors[0])}`);
    const connection = page.data.tenant.users;
    seen += connection.nodes.filter((user: { calendars: unknown[] | null }) => user.calendars !== null).length;
    after = connection.pageInfo.endCursor;
  } while (after);
  const wallMs = performance.now() - started;
  const peakRssBytes = peakResidentBytes(gateway.pid);
  if (seen !== options.users) throw new Error(`expected calendars for ${options.users} users, got ${seen}`);
  return {
    users: options.users,
    graphCalls: fake.counters.graphRequests,
    tokenRequests: fake.counters.tokenRequests,
    minimumCalls: minimumGraphCalls(options.users),
    wallMs,
    latencyBoundMs: latencyBoundMs(options.users, options.concurrency, options.latencyMs),
    peakRssBytes,
  };
}

/**
 * The gateway process's peak resident memory so far (Linux's VmHWM): read once after the work,
 * rather than polled during it, so measuring does not slow what is measured.
 */
function peakResidentBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}
