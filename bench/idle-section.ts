import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSection } from './bench-context';
import { floorFanOut, gatewayFanOut } from './fan-out';
import { markdownTable, ms, ratio } from './table';

/**
 * A gateway queried every minute or so: after a quiet spell, is its first fan-out as fast as a
 * warm one, or does it open new TLS connections to Graph first? The floor, idle as long, is the
 * control: if it reconnects too, the fake closed the connections and the row says nothing.
 */
export const idleSection: BenchSection = {
  name: 'idle',
  async run(bench) {
    const { fake, gateway, floor, settings } = bench;
    const users = Math.min(...settings.sizes);
    const organisation = await bench.organisation(users);
    const token = await organisation.token();
    // Two runs each before the quiet spell, so that "warm" is warm even when this section runs alone.
    for (let run = 0; run < 2; run++) await floorFanOut(floor, fake, token, users);
    await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    const warm = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    await sleep(settings.idleSeconds * 1000);
    const afterIdle = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    const floorAfterIdle = await floorFanOut(floor, fake, token, users);

    const idle = `${settings.idleSeconds} s idle`;
    const fakeClosed = floorAfterIdle.tlsConnections > 0;
    const markdown = [
      `### First fan-out after ${idle}`,
      '',
      markdownTable(
        ['users', 'warm wall (just before)', `wall after ${idle}`, 'after / warm', 'new TLS connections: gateway', 'floor (control)'],
        [[users, ms(warm.wallMs), ms(afterIdle.wallMs), ratio(afterIdle.wallMs, warm.wallMs), afterIdle.tlsConnections, floorAfterIdle.tlsConnections]],
      ),
      '',
      'No traffic at all during the idle spell. New TLS connections: handshakes the fake accepted during that one fan-out.',
      ...(fakeClosed ? ['**The floor reconnected too: the fake closed the idle connections, so the gateway\'s figure is not its own.**'] : []),
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          target: `no new TLS connection after ${idle}`,
          met: afterIdle.tlsConnections === 0 && !fakeClosed,
          result: `${afterIdle.tlsConnections} new (floor ${floorAfterIdle.tlsConnections}); ${ms(afterIdle.wallMs)} against ${ms(warm.wallMs)} warm`,
        },
      ],
    };
  },
};
