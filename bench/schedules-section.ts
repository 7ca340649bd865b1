import type { BenchSection } from './bench-context';
import { BATCH_LIMIT, pageSizes, USERS_PAGE } from './fan-out';
import { cpuMs } from './process-usage';
import { spreadOf } from './stats';
import { markdownTable, ms, times, withSpread } from './table';

/** The size: a page of a thousand people's free/busy. */
const USERS = 1_000;
/** Mailboxes per getSchedule call, as the gateway sends them. */
const MAILBOXES_PER_CALL = 20;
const SCHEDULE_ROUTE = 'batch POST /users/{id}/calendar/getSchedule';

const ALL_SCHEDULES = `query($tenant: ID!, $after: String) {
  tenant(id: $tenant) { users(first: ${USERS_PAGE}, after: $after) {
    nodes { schedule(start: "2026-01-05T00:00:00Z", end: "2026-01-10T00:00:00Z") { availabilityView } } pageInfo { endCursor } } } }`;

interface ScheduleRun {
  wallMs: number;
  cpuMs: number;
  /** this process's CPU meanwhile: the fake Microsoft, which computes every schedule on one thread */
  fakeCpuMs: number;
  graphCalls: number;
  scheduleRequests: number;
}

/** Per page: one GET /users, then its getSchedule requests (20 mailboxes each) in $batch calls of 20. */
function minimumCalls(users: number): { graphCalls: number; scheduleRequests: number } {
  const requests = pageSizes(users).map((size) => Math.ceil(size / MAILBOXES_PER_CALL));
  return {
    graphCalls: requests.reduce((total, count) => total + 1 + Math.ceil(count / BATCH_LIMIT), 0),
    scheduleRequests: requests.reduce((total, count) => total + count, 0),
  };
}

/** Pages one after the other; in each, GET /users, then its $batch calls in rounds of `concurrency`. */
function latencyBoundMs(users: number, concurrency: number, latencyMs: number): number {
  return pageSizes(users).reduce((total, size) => total + latencyMs * (1 + Math.ceil(Math.ceil(Math.ceil(size / MAILBOXES_PER_CALL) / BATCH_LIMIT) / concurrency)), 0);
}

/**
 * "Schedules for 1,000 users": a client pages through the users with a week of each one's
 * free/busy. Each page's schedules should cost one getSchedule request per 20 users, carried 20
 * to a `$batch` call, sent in parallel.
 */
export const schedulesSection: BenchSection = {
  name: 'schedules',
  async run(bench) {
    const { gateway, fake, settings } = bench;
    const organisation = await bench.organisation(USERS);
    const run = async (): Promise<ScheduleRun> => {
      fake.resetCounters();
      const fakeCpuBefore = process.cpuUsage();
      const cpuBefore = cpuMs(gateway.pid);
      const started = performance.now();
      let after: string | null = null;
      let seen = 0;
      do {
        const page: any = await gateway.gql(ALL_SCHEDULES, { tenant: organisation.tenantId, after });
        if (page.errors) throw new Error(`schedules query failed: ${JSON.stringify(page.errors[0])}`);
        seen += page.data.tenant.users.nodes.filter((user: { schedule: unknown }) => user.schedule !== null).length;
        after = page.data.tenant.users.pageInfo.endCursor;
      } while (after);
      const wallMs = performance.now() - started;
      if (seen !== USERS) throw new Error(`the gateway returned schedules for ${seen} users, expected ${USERS}`);
      const fakeCpu = process.cpuUsage(fakeCpuBefore);
      return { wallMs, fakeCpuMs: (fakeCpu.user + fakeCpu.system) / 1000, cpuMs: cpuMs(gateway.pid) - cpuBefore, graphCalls: fake.counters.graphRequests, scheduleRequests: fake.counters.byRoute[SCHEDULE_ROUTE] ?? 0 };
    };
    await run(); // warms the fake's mailboxes and the gateway's code paths: not a sample
    const runs: ScheduleRun[] = [];
    for (let round = 0; round < settings.rounds; round++) runs.push(await run());

    const minimum = minimumCalls(USERS);
    const bound = latencyBoundMs(USERS, settings.concurrency, settings.latencyMs);
    const wall = spreadOf(runs.map((each) => each.wallMs));
    const calls = Math.max(...runs.map((each) => each.graphCalls));
    const requests = Math.max(...runs.map((each) => each.scheduleRequests));
    const markdown = [
      `### Schedules for ${USERS.toLocaleString('en-US')} users`,
      '',
      `A week of free/busy for every user, pages of ${USERS_PAGE}; median of ${runs.length} runs, min–max in brackets.`,
      '',
      markdownTable(
        ['users', 'Graph calls (minimum)', 'getSchedule requests (minimum)', 'latency bound', 'wall', 'wall / bound', 'gateway CPU', 'fake Microsoft CPU'],
        [
          [
            USERS,
            `${calls} (${minimum.graphCalls})`,
            `${requests} (${minimum.scheduleRequests})`,
            ms(bound),
            withSpread(wall, ms),
            times(wall.median / bound),
            withSpread(spreadOf(runs.map((each) => each.cpuMs)), ms),
            withSpread(spreadOf(runs.map((each) => each.fakeCpuMs)), ms),
          ],
        ],
      ),
      '',
      `Graph calls: HTTP requests the fake received (the most in any run). getSchedule requests: items inside those $batch calls, ${MAILBOXES_PER_CALL} mailboxes each.`,
      `The latency bound: per page one GET /users, then its $batch calls in rounds of ${settings.concurrency}, each round one ${settings.latencyMs} ms round trip.`,
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          target: `schedules: Graph calls and getSchedule requests equal to the minimum`,
          met: calls === minimum.graphCalls && requests === minimum.scheduleRequests,
          result: `${calls} calls (minimum ${minimum.graphCalls}), ${requests} getSchedule requests (minimum ${minimum.scheduleRequests})`,
        },
      ],
    };
  },
};
