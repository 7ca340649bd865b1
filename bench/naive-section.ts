import type { BenchSection } from './bench-context';
import { gatewayFanOut } from './fan-out';
import { naiveFanOut } from './naive-fan-out';
import { markdownTable, ms, ratio } from './table';

/** One call per user takes ~2.5 s per 1,000 users at 20 ms: larger organisations would take minutes and say nothing new. */
const LARGEST_NAIVE_ORGANISATION = 10_000;

/** What batching saves: the same data read with one GET per user, as hand-rolled integrations often do. */
export const naiveSection: BenchSection = {
  name: 'naive',
  async run(bench) {
    const { fake, gateway, settings } = bench;
    const sizes = settings.sizes.filter((users) => users <= LARGEST_NAIVE_ORGANISATION);
    const rows: Array<Array<string | number>> = [];
    for (const users of sizes) {
      const organisation = await bench.organisation(users);
      const viaGateway = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
      const naive = await naiveFanOut(fake, await organisation.token(), { concurrency: settings.concurrency });
      rows.push([users, naive.graphCalls, ms(naive.wallMs), viaGateway.graphCalls, ms(viaGateway.wallMs), ratio(naive.wallMs, viaGateway.wallMs)]);
    }
    const skipped = settings.sizes.filter((users) => users > LARGEST_NAIVE_ORGANISATION);
    const markdown = [
      '### One call per user instead (a common hand-rolled approach)',
      '',
      markdownTable(['users', 'naive calls', 'naive wall', 'gateway calls', 'gateway wall', 'gateway speed-up'], rows),
      '',
      `The naive client lists the users, then sends one GET /users/{id}/calendars per user, ${settings.concurrency} at a time on keep-alive connections. One gateway run each.`,
      ...(skipped.length > 0 ? [`Not run above ${LARGEST_NAIVE_ORGANISATION.toLocaleString('en-US')} users (${skipped.map((users) => users.toLocaleString('en-US')).join(', ')}): it would take minutes.`] : []),
    ].join('\n');
    return { markdown, targets: [] };
  },
};
