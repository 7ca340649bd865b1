import autocannon from 'autocannon';
import { mintClientToken } from '../test/integration/client-access';
import type { BenchSection } from './bench-context';
import { CONNECTIONS, DURATION_SECONDS } from './overhead';
import { cpuMs } from './process-usage';
import { median, pairedRatios, spreadOf } from './stats';
import { markdownTable, times, withSpread } from './table';

/** The target: a client token costs at most 5 % of the throughput of an admin key. */
const MIN_VS_ADMIN_KEY = 0.95;

/**
 * A query answered from the gateway alone (the tenant's row, no Graph call): what verifying a
 * token, the rate limit and the access checker add shows most plainly where nothing else is slow.
 */
const QUERY = 'query($t: ID!) { tenant(id: $t) { id displayName status grantedScopes } }';

/** Throughput of the same query with an admin key and with a client token, in interleaved rounds. */
export const clientTokenSection: BenchSection = {
  name: 'client-token',
  async run(bench) {
    const { gateway, settings } = bench;
    const organisation = await bench.organisation(Math.min(...settings.sizes));
    const token = await mintClientToken(gateway, { tenantId: organisation.tenantId, capabilities: ['READ_DIRECTORY'], ttlSeconds: 3600 });
    const credentials = [
      { name: 'admin API key', bearer: gateway.adminKey },
      { name: 'client token', bearer: token },
    ];
    const load = (bearer: string, seconds: number) =>
      autocannon({
        url: `${gateway.url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: QUERY, variables: { t: organisation.tenantId } }),
        connections: CONNECTIONS,
        duration: seconds,
      });
    for (const credential of credentials) await load(credential.bearer, 1); // warm-up
    const runs = new Map<string, Array<{ result: autocannon.Result; cpuMsPerRequest: number }>>(credentials.map((credential) => [credential.name, []]));
    for (let round = 0; round < settings.overheadRounds; round++) {
      // Who goes first alternates, so that neither always follows the other.
      for (const credential of round % 2 ? [...credentials].reverse() : credentials) {
        const cpuBefore = cpuMs(gateway.pid);
        const result = await load(credential.bearer, DURATION_SECONDS);
        runs.get(credential.name)!.push({ result, cpuMsPerRequest: (cpuMs(gateway.pid) - cpuBefore) / result.requests.total });
      }
    }
    const perSecond = (name: string) => runs.get(name)!.map((run) => run.result.requests.average);
    const cpuPerRequest = (name: string) => runs.get(name)!.map((run) => run.cpuMsPerRequest);
    const versus = pairedRatios(perSecond('client token'), perSecond('admin API key'));
    // The gateway's own CPU per request, inverted: the same ratio measured without the rest of a busy machine.
    const cpuVersus = pairedRatios(cpuPerRequest('admin API key'), cpuPerRequest('client token'));
    const markdown = [
      `### Client tokens: the cost of verifying one (autocannon, ${CONNECTIONS} connections, ${settings.overheadRounds} interleaved rounds of ${DURATION_SECONDS} s)`,
      '',
      markdownTable(
        ['credential', 'requests/s', 'p99', 'errors', 'vs admin key', 'gateway CPU per request', 'vs admin key, by CPU'],
        credentials.map(({ name }) => {
          const results = runs.get(name)!.map((run) => run.result);
          const client = name === 'client token';
          return [
            name,
            withSpread(spreadOf(perSecond(name)), (value) => String(Math.round(value))),
            `${median(results.map((run) => run.latency.p99))} ms`,
            results.reduce((sum, run) => sum + run.errors + run.non2xx, 0),
            client ? withSpread(versus, times) : '1.00x',
            withSpread(spreadOf(cpuPerRequest(name)), (value) => `${value.toFixed(3)} ms`),
            client ? withSpread(cpuVersus, times) : '1.00x',
          ];
        }),
      ),
      '',
      `The query: \`${QUERY}\`, answered from the database with no Graph call. With the client token, each request also has`,
      'its token checked (the signature once per process, then the remembered claims and their expiry), counts against the',
      "subject's rate limit (in memory: the bench runs no Redis) and passes the access checker's client rules; the tenant row",
      'it reads is the one the query returns, so the database is read once either way. "By CPU" is the admin key\'s CPU per',
      "request over the client token's (/proc, all threads): on a machine shared with other work it is the steadier figure.",
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          target: `client token ≥ ${MIN_VS_ADMIN_KEY.toFixed(2)}x an admin key's throughput on the same query`,
          met: versus.median >= MIN_VS_ADMIN_KEY,
          result: `${withSpread(versus, times)}; by CPU per request ${withSpread(cpuVersus, times)}`,
        },
      ],
    };
  },
};
