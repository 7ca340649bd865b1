import type { FakeMicrosoft } from '../test/fake-microsoft';
import type { GatewayProcess } from '../test/integration/harness';
import type { FloorProcess } from './floor-process';
import { cpuMs } from './process-usage';

/** Page size for "all users": the largest multiple of 20 under Graph's 999, so every $batch is full. */
export const USERS_PAGE = 980;
export const BATCH_LIMIT = 20;

const ALL_USERS_WITH_CALENDARS = `query($tenant: ID!, $after: String) {
  tenant(id: $tenant) { users(first: ${USERS_PAGE}, after: $after) {
    nodes { id calendars { id name } } pageInfo { hasNextPage endCursor } } } }`;

/** One fan-out: how long it took and how much CPU it cost the client, and what the fake was asked meanwhile. */
export interface FanOutRun {
  wallMs: number;
  cpuMs: number;
  graphCalls: number;
  tokenRequests: number;
  /** TLS handshakes the fake accepted: 0 for a client whose connections are still open. */
  tlsConnections: number;
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

/** The fewest Graph calls for pages of USERS_PAGE: per page one GET /users and one $batch per 20 users. */
export function minimumGraphCalls(users: number): number {
  return pageSizes(users).reduce((total, size) => total + 1 + Math.ceil(size / BATCH_LIMIT), 0);
}

/**
 * "All users with their calendars" through the gateway, page after page as a client would;
 * CPU is the gateway process's own, from /proc, sampled right before and after.
 */
export function gatewayFanOut(gateway: GatewayProcess, fake: FakeMicrosoft, tenantId: string, users: number): Promise<FanOutRun> {
  return countedByFake(fake, async () => {
    const cpuBefore = cpuMs(gateway.pid);
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
    const cpu = cpuMs(gateway.pid) - cpuBefore;
    if (seen !== users) throw new Error(`the gateway returned calendars for ${seen} users, expected ${users}`);
    return { wallMs, cpuMs: cpu };
  });
}

/** The same fan-out by the hand-written floor, which times itself. */
export function floorFanOut(floor: FloorProcess, fake: FakeMicrosoft, token: string, users: number): Promise<FanOutRun> {
  return countedByFake(fake, async () => {
    const run = await floor.fanOut(token);
    if (run.users !== users) throw new Error(`the floor read calendars for ${run.users} users, expected ${users}`);
    return run;
  });
}

async function countedByFake(fake: FakeMicrosoft, work: () => Promise<{ wallMs: number; cpuMs: number }>): Promise<FanOutRun> {
  fake.resetCounters();
  const { wallMs, cpuMs: cpu } = await work();
  const { graphRequests, tokenRequests, tlsConnections } = fake.counters;
  return { wallMs, cpuMs: cpu, graphCalls: graphRequests, tokenRequests, tlsConnections };
}
