import type { BenchContext, BenchSection } from './bench-context';
import { floorFanOut, gatewayFanOut, latencyBoundMs, minimumGraphCalls, type FanOutRun } from './fan-out';
import { cpuResolutionMs, peakResidentBytes, resetPeakResident } from './process-usage';
import { pairedRatios, spreadOf, type Spread } from './stats';
import { atSizes, type TargetCheck } from './targets';
import { markdownTable, mib, ms, msPerUser, times, withSpread } from './table';

/** The targets for the fan-out. */
export const MAX_GATEWAY_CPU_MS_PER_USER = 0.12;
export const MAX_WALL_VS_FLOOR = 1.15;
/**
 * A round of 50,000 users takes 40 s or more (gateway and floor); five would keep the whole bench
 * from finishing in ten minutes. Three still give a median and a spread.
 */
const LARGE_ORGANISATION = 50_000;
const MAX_ROUNDS_WHEN_LARGE = 3;

function roundsFor(users: number, rounds: number): number {
  return users >= LARGE_ORGANISATION ? Math.min(rounds, MAX_ROUNDS_WHEN_LARGE) : rounds;
}

interface SizeResult {
  users: number;
  /** the gateway's first fan-out of the organisation, right after consent */
  first: FanOutRun;
  /** round by round, in the same order */
  gateway: FanOutRun[];
  floor: FanOutRun[];
  gatewayPeakRssBytes: number;
  floorPeakRssBytes: number;
}

/**
 * "All users with their calendars" through the gateway and through the hand-written floor, in
 * alternating rounds for each organisation size: a slow spell of the machine hits both alike.
 */
export const fanOutSection: BenchSection = {
  name: 'fan-out',
  async run(bench) {
    const results: SizeResult[] = [];
    for (const users of bench.settings.sizes) results.push(await measureSize(bench, users));
    return { markdown: report(bench, results), targets: targets(results) };
  },
};

const WARM_UP_RUNS = 3;

async function measureSize(bench: BenchContext, users: number): Promise<SizeResult> {
  const { fake, gateway, floor, settings } = bench;
  const organisation = await bench.organisation(users);
  resetPeakResident(gateway.pid);
  resetPeakResident(floor.pid);
  const first = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
  const token = await organisation.token();
  await floorFanOut(floor, fake, token, users); // the floor's first run of this size, as the gateway's above: not a sample
  // The processes' first size also warms V8 up (both get the same unreported runs): the rounds measure code
  // already optimised, as a gateway serving traffic runs it; the first run above shows the cold cost.
  if (users === bench.settings.sizes[0]) {
    for (let run = 0; run < WARM_UP_RUNS; run++) {
      await gatewayFanOut(gateway, fake, organisation.tenantId, users);
      await floorFanOut(floor, fake, token, users);
    }
  }

  const gatewayRuns: FanOutRun[] = [];
  const floorRuns: FanOutRun[] = [];
  for (let round = 0; round < roundsFor(users, settings.rounds); round++) {
    // Who goes first alternates too, so neither always runs right after the other's garbage.
    const gatewayRun = () => gatewayFanOut(gateway, fake, organisation.tenantId, users).then((run) => gatewayRuns.push(run));
    const floorRun = () => floorFanOut(floor, fake, token, users).then((run) => floorRuns.push(run));
    if (round % 2 === 0) await gatewayRun().then(floorRun);
    else await floorRun().then(gatewayRun);
  }
  const minimum = minimumGraphCalls(users);
  const wrongFloor = floorRuns.find((run) => run.graphCalls !== minimum);
  if (wrongFloor) throw new Error(`the floor made ${wrongFloor.graphCalls} Graph calls for ${users} users, not the minimum ${minimum}: a bench bug`);
  return { users, first, gateway: gatewayRuns, floor: floorRuns, gatewayPeakRssBytes: peakResidentBytes(gateway.pid), floorPeakRssBytes: peakResidentBytes(floor.pid) };
}

const perUser = (result: SizeResult, runs: FanOutRun[]): Spread => spreadOf(runs.map((run) => run.cpuMs / result.users));
const wallRatio = (result: SizeResult) => pairedRatios(result.gateway.map((run) => run.wallMs), result.floor.map((run) => run.wallMs));
const cpuRatio = (result: SizeResult) => pairedRatios(result.gateway.map((run) => run.cpuMs), result.floor.map((run) => run.cpuMs));

function report(bench: BenchContext, results: SizeResult[]): string {
  const { latencyMs, concurrency, rounds } = bench.settings;
  const fewer = roundsFor(LARGE_ORGANISATION, rounds) < rounds ? ` (${MAX_ROUNDS_WHEN_LARGE} from ${LARGE_ORGANISATION.toLocaleString('en-US')} users up, to finish in minutes)` : '';
  const wall = markdownTable(
    ['users', 'rounds', 'Graph calls', 'minimum', 'token requests', 'latency bound', 'first after consent', 'gateway wall', 'floor wall', 'gateway / floor'],
    results.map((result) => {
      const all = [result.first, ...result.gateway];
      return [
        result.users,
        result.gateway.length,
        Math.max(...all.map((run) => run.graphCalls)),
        minimumGraphCalls(result.users),
        all.reduce((sum, run) => sum + run.tokenRequests, 0),
        ms(latencyBoundMs(result.users, concurrency, latencyMs)),
        ms(result.first.wallMs),
        withSpread(spreadOf(result.gateway.map((run) => run.wallMs)), ms),
        withSpread(spreadOf(result.floor.map((run) => run.wallMs)), ms),
        withSpread(wallRatio(result), times),
      ];
    }),
  );
  const cpu = markdownTable(
    ['users', 'gateway CPU', 'gateway CPU per user', 'floor CPU per user', 'gateway / floor', 'new TLS per run (gateway, floor)', 'peak RSS gateway', 'peak RSS floor'],
    results.map((result) => [
      result.users,
      withSpread(spreadOf(result.gateway.map((run) => run.cpuMs)), ms),
      withSpread(perUser(result, result.gateway), msPerUser),
      withSpread(perUser(result, result.floor), msPerUser),
      withSpread(cpuRatio(result), times),
      `${Math.max(...result.gateway.map((run) => run.tlsConnections))}, ${Math.max(...result.floor.map((run) => run.tlsConnections))}`,
      mib(result.gatewayPeakRssBytes),
      mib(result.floorPeakRssBytes),
    ]),
  );
  return [
    '### Fan-out: all users with their calendars, gateway against the floor',
    '',
    `Median of ${rounds} interleaved rounds per size${fewer}, min–max in brackets; ratios are taken round by round.`,
    'The floor is bench/floor-fan-out.ts: the same Graph calls by hand on node:https with keep-alive, in its own process.',
    '',
    wall,
    '',
    cpu,
    '',
    `Graph calls: the most any gateway run made (the floor makes the minimum, checked). "first after consent" is the`,
    `organisation's first fan-out, not a sample. CPU: the gateway's from /proc/<pid>/stat (all threads, in ticks of`,
    `${cpuResolutionMs()} ms), the floor's from its own process.cpuUsage(). new TLS per run: the most TLS handshakes the fake`,
    'accepted during one run. Peak RSS: VmHWM over the size\'s runs (reset before each size).',
  ].join('\n');
}

function targets(results: SizeResult[]): TargetCheck[] {
  const sizes = atSizes(results.map((result) => result.users));
  const cpuPerUser = results.map((result) => perUser(result, result.gateway).median);
  const wallRatios = results.map((result) => wallRatio(result).median);
  const callsOver = results.map((result) => Math.max(...result.gateway.map((run) => run.graphCalls)) - minimumGraphCalls(result.users));
  return [
    {
      target: 'Graph calls equal to the minimum',
      met: callsOver.every((extra) => extra === 0),
      result: `${callsOver.join(', ')} calls over the minimum ${sizes}`,
    },
    {
      target: `gateway CPU ≤ ${MAX_GATEWAY_CPU_MS_PER_USER} ms per user (users + calendars)`,
      met: cpuPerUser.every((value) => value <= MAX_GATEWAY_CPU_MS_PER_USER),
      result: `${cpuPerUser.map(msPerUser).join(', ')} ${sizes}`,
    },
    {
      target: `wall ≤ ${MAX_WALL_VS_FLOOR.toFixed(2)}x the floor at every size`,
      met: wallRatios.every((value) => value <= MAX_WALL_VS_FLOOR),
      result: `${wallRatios.map(times).join(', ')} ${sizes}`,
    },
  ];
}
