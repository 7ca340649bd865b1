import type { BenchSection } from './bench-context';
import { BARE_APOLLO, CONNECTIONS, DURATION_SECONDS, overheadRuns, type Query } from './overhead';
import { isWithinNoise, type Spread } from './stats';
import { markdownTable, times, withSpread } from './table';

/** The target: the gateway at least as fast as bare Apollo Server where both read the database. */
const MIN_VS_BARE_APOLLO = 1.0;
const TARGET_QUERIES: Query[] = ['database', 'token'];

/** Throughput of the gateway against bare GraphQL servers calling the same services, at the default log level. */
export const overheadSection: BenchSection = {
  name: 'overhead',
  async run(bench) {
    const { gateway, settings } = bench;
    const organisation = await bench.organisation(Math.min(...settings.sizes));
    const results = await overheadRuns(gateway, organisation.tenantId, settings.overheadRounds);
    const versus = (result: (typeof results)[number]) => (result.target === BARE_APOLLO ? '1.00x' : againstBare(result.vsBareApollo));
    const markdown = [
      `### Overhead: throughput with autocannon (${CONNECTIONS} connections, ${settings.overheadRounds} interleaved rounds of ${DURATION_SECONDS} s)`,
      '',
      markdownTable(
        ['server', 'query', 'requests/s', 'p99', 'errors', 'vs bare Apollo'],
        results.map((result) => [result.target, result.query, withSpread(result.requestsPerSecond, (value) => String(Math.round(value))), `${result.p99Ms} ms`, result.errors, versus(result)]),
      ),
      '',
      'Median (min–max) over the rounds. "vs bare Apollo" is taken round by round; "within noise" when the rounds fall on both',
      'sides of 1.00x, so the difference is smaller than the spread. The gateway logs at its default level, info.',
    ].join('\n');
    const gatewayRow = (query: Query) => results.find((result) => result.target === 'gateway' && result.query === query)!;
    return {
      markdown,
      targets: [
        {
          target: `≥ ${MIN_VS_BARE_APOLLO.toFixed(1)}x bare Apollo Server's throughput on the ${TARGET_QUERIES.join(' and ')} rows`,
          met: TARGET_QUERIES.every((query) => gatewayRow(query).vsBareApollo.median >= MIN_VS_BARE_APOLLO),
          result: TARGET_QUERIES.map((query) => `${query} ${againstBare(gatewayRow(query).vsBareApollo)}`).join(', '),
        },
      ],
    };
  },
};

function againstBare(ratio: Spread): string {
  return `${withSpread(ratio, times)}${isWithinNoise(ratio) ? ' within noise' : ''}`;
}
