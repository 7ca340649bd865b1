import { cpus, totalmem } from 'node:os';
import { startFakeMicrosoft } from '../test/fake-microsoft';
import { gatewaySettings, startGateway } from '../test/integration/harness';
import { adminConsents, readyConnector, tenantsOf } from '../test/integration/scenario';
import { gatewayFanOut, type FanOutResult } from './fan-out';
import { naiveFanOut } from './naive-fan-out';
import { overheadRuns } from './overhead';
import { markdownTable, mib, ms, ratio } from './table';

/**
 * `npm run bench`: the gateway against the limits of the protocol (Graph calls, latency bound)
 * and against bare GraphQL servers (throughput). Everything runs on loopback, in one run.
 */
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const ORGANISATIONS = (process.env.BENCH_USERS ?? '1000,10000').split(',').map(Number);

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mib(totalmem())}, node ${process.version}`);
  console.log(`fake Microsoft latency ${LATENCY_MS} ms per response; XKIT_GRAPH_MAX_CONCURRENCY=${CONCURRENCY}\n`);

  const fake = await startFakeMicrosoft({ latencyMs: LATENCY_MS });
  const gateway = await startGateway(await gatewaySettings(fake), { XKIT_GRAPH_MAX_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'warn' });
  try {
    const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read'] });
    const fanOuts: Array<{ gateway: FanOutResult; naive: { graphCalls: number; wallMs: number } }> = [];
    let tenantId = '';
    for (const users of ORGANISATIONS) {
      const organisation = fake.addTenant({ displayName: `Bench ${users}`, users });
      await adminConsents(gateway, fake, connector.id, organisation.tenantId);
      const tenant = (await tenantsOf(gateway, connector.id)).find((t) => t.microsoftTenantId === organisation.tenantId);
      tenantId = tenant.id;
      const viaGateway = await gatewayFanOut(gateway, fake, tenant.id, { users, concurrency: CONCURRENCY, latencyMs: LATENCY_MS });
      const token = (await gateway.gql('query($t: ID!) { tenant(id: $t) { accessToken { token } } }', { t: tenant.id })).data.tenant.accessToken.token;
      const naive = await naiveFanOut(fake, token, { concurrency: CONCURRENCY });
      fanOuts.push({ gateway: viaGateway, naive });
    }

    console.log('### Fan-out: all users with their calendars\n');
    console.log(
      markdownTable(
        ['users', 'Graph calls', 'minimum', 'calls/min', 'token requests', 'wall time', 'latency bound', 'wall/bound', 'peak RSS', 'naive calls', 'naive wall', 'speed-up'],
        fanOuts.map(({ gateway: g, naive }) => [
          g.users,
          g.graphCalls,
          g.minimumCalls,
          ratio(g.graphCalls, g.minimumCalls),
          g.tokenRequests,
          ms(g.wallMs),
          ms(g.latencyBoundMs),
          ratio(g.wallMs, g.latencyBoundMs),
          mib(g.peakRssBytes),
          naive.graphCalls,
          ms(naive.wallMs),
          ratio(naive.wallMs, g.wallMs),
        ]),
      ),
    );
    console.log('\nTargets: calls/min = 1.00x; wall/bound ≤ 1.5x.\n');

    const overhead = await overheadRuns(gateway, tenantId);
    const bare = (query: string) => overhead.find((r) => r.target === 'bare Apollo Server' && r.query === query)!;
    console.log('### Overhead: throughput with autocannon (10 connections, 5 s)\n');
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
