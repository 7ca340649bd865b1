import { cpus, totalmem } from 'node:os';
import { startFakeMicrosoft } from '../test/fake-microsoft';
import { gatewaySettings, startGateway } from '../test/integration/harness';
import { adminConsents, readyConnector, tenantsOf } from '../test/integration/scenario';
import { gatewayFanOut, type FanOutResult } from './fan-out';
import { naiveFanOut } from './naive-fan-out';
import { median, overheadRuns } from './overhead';
import { markdownTable, mib, ms, ratio } from './table';

/**
 * `npm run bench`: the gateway against the limits of the protocol (Graph calls, latency bound)
 * and against bare GraphQL servers (throughput). Everything runs on loopback, in one run.
 */
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const ORGANISATIONS = (process.env.BENCH_USERS ?? '1000,10000').split(',').map(Number);
/** Fan-outs after the first: the first pays for new TLS connections to Graph and for JIT compilation. */
const WARM_RUNS = 3;

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mib(totalmem())}, node ${process.version}`);
  console.log(`fake Microsoft latency ${LATENCY_MS} ms per response; XKIT_GRAPH_MAX_CONCURRENCY=${CONCURRENCY}\n`);

  const fake = await startFakeMicrosoft({ latencyMs: LATENCY_MS });
  const gateway = await startGateway(await gatewaySettings(fake), { XKIT_GRAPH_MAX_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'warn' });
  try {
    const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read'] });
    const fanOuts: Array<{ cold: FanOutResult; warm: FanOutResult[]; naive: { graphCalls: number; wallMs: number } }> = [];
    let tenantId = '';
    for (const users of ORGANISATIONS) {
      const organisation = fake.addTenant({ displayName: `Bench ${users}`, users });
      await adminConsents(gateway, fake, connector.id, organisation.tenantId);
      const tenant = (await tenantsOf(gateway, connector.id)).find((t) => t.microsoftTenantId === organisation.tenantId);
      tenantId = tenant.id;
      const options = { users, concurrency: CONCURRENCY, latencyMs: LATENCY_MS };
      const cold = await gatewayFanOut(gateway, fake, tenant.id, options);
      const warm: FanOutResult[] = [];
      for (let run = 0; run < WARM_RUNS; run++) warm.push(await gatewayFanOut(gateway, fake, tenant.id, options));
      const token = (await gateway.gql('query($t: ID!) { tenant(id: $t) { accessToken { token } } }', { t: tenant.id })).data.tenant.accessToken.token;
      const naive = await naiveFanOut(fake, token, { concurrency: CONCURRENCY });
      fanOuts.push({ cold, warm, naive });
    }

    console.log('### Fan-out: all users with their calendars\n');
    console.log(
      markdownTable(
        ['users', 'Graph calls', 'minimum', 'calls/min', 'token requests', 'latency bound', 'first wall', 'first/bound', 'warm wall', 'warm/bound', 'peak RSS', 'naive calls', 'naive wall', 'speed-up'],
        fanOuts.map(({ cold, warm, naive }) => {
          const runs = [cold, ...warm];
          const warmWallMs = median(warm.map((run) => run.wallMs));
          return [
            cold.users,
            Math.max(...runs.map((run) => run.graphCalls)),
            cold.minimumCalls,
            ratio(Math.max(...runs.map((run) => run.graphCalls)), cold.minimumCalls),
            runs.reduce((sum, run) => sum + run.tokenRequests, 0),
            ms(cold.latencyBoundMs),
            ms(cold.wallMs),
            ratio(cold.wallMs, cold.latencyBoundMs),
            ms(warmWallMs),
            ratio(warmWallMs, cold.latencyBoundMs),
            mib(Math.max(...runs.map((run) => run.peakRssBytes))),
            naive.graphCalls,
            ms(naive.wallMs),
            ratio(naive.wallMs, warmWallMs),
          ];
        }),
      ),
    );
    console.log(`\n"first" is the first fan-out after consent; "warm" the median of the ${WARM_RUNS} after it. Graph calls: the most any run made.`);
    console.log('Targets: calls/min = 1.00x; wall/bound ≤ 1.5x.\n');

    const overhead = await overheadRuns(gateway, tenantId);
    const bare = (query: string) => overhead.find((r) => r.target === 'bare Apollo Server' && r.query === query)!;
    console.log('### Overhead: throughput with autocannon (10 connections, median of 3 interleaved 3 s runs)\n');
    console.log(
      markdownTable(
        ['server', 'query', 'requests/s', 'p99', 'errors', 'vs bare Apollo'],
        overhead.map((r) => [r.target, r.query, Math.round(r.requestsPerSecond), `${r.p99Ms} ms`, r.errors, ratio(r.requestsPerSecond, bare(r.query).requestsPerSecond)]),
      ),
    );
    console.log('\nTarget: gateway ≥ 0.80x of bare Apollo Server.');
  } finally {
    await gateway.stop();
    await fake.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
