import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSection } from './bench-context';
import { floorFanOut, gatewayFanOut } from './fan-out';
import { markdownTable, ms, ratio } from './table';

/**
 * A gateway queried every minute or so: after a quiet spell, is its first fan-out as fast as a
 * warm one, or does it open new TLS connections to Graph first? The floor, idle as long, is the
 * control: if it reconnects too, the fake closed the connections and the row says nothing; and
 * its own slowdown after a spell is what the fake and the machine add, not the gateway.
 */
export const idleSection: BenchSection = {
  name: 'idle',
  async run(bench) {
    const { fake, gateway, floor, settings } = bench;
    const users = Math.min(...settings.sizes);
    const organisation = await bench.organisation(users);
    const token = await organisation.token();
    // Two runs each before the quiet spell, so that "warm" is warm even when this section runs alone.
    await floorFanOut(floor, fake, token, users);
    const floorWarm = await floorFanOut(floor, fake, token, users);
    await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    const warm = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    await sleep(settings.idleSeconds * 1000);
    const afterIdle = await gatewayFanOut(gateway, fake, organisation.tenantId, users);
    const floorAfterGateway = await floorFanOut(floor, fake, token, users);
    // A second quiet spell for the floor's own first fan-out: whatever slows both (the fake, the
    // machine waking) is not the gateway's.
    await sleep(settings.idleSeconds * 1000);
    const floorAfterIdle = await floorFanOut(floor, fake, token, users);

    const idle = `${settings.idleSeconds} s idle`;
    const floorReconnected = Math.max(floorAfterGateway.tlsConnections, floorAfterIdle.tlsConnections);
    const fakeClosed = floorReconnected > 0;
    const markdown = [
      `### First fan-out after ${idle}`,
      '',
      markdownTable(
        ['users', 'gateway warm (just before)', `gateway after ${idle}`, 'after / warm', 'floor warm', `floor after ${idle}`, 'after / warm', 'new TLS connections: gateway', 'floor (control)'],
        [
          [
            users,
            ms(warm.wallMs),
            ms(afterIdle.wallMs),
            ratio(afterIdle.wallMs, warm.wallMs),
            ms(floorWarm.wallMs),
            ms(floorAfterIdle.wallMs),
            ratio(floorAfterIdle.wallMs, floorWarm.wallMs),
            afterIdle.tlsConnections,
            floorReconnected,
          ],
        ],
      ),
      '',
      'No traffic at all during each idle spell (one before the gateway\'s fan-out, another before the floor\'s). New TLS connections: handshakes the fake accepted during that fan-out.',
      ...(fakeClosed ? ['**The floor reconnected too: the fake closed the idle connections, so the gateway\'s figure is not its own.**'] : []),
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          target: `no new TLS connection after ${idle}`,
          met: afterIdle.tlsConnections === 0 && !fakeClosed,
          result: `${afterIdle.tlsConnections} new (floor ${floorReconnected}); ${ratio(afterIdle.wallMs, warm.wallMs)} its warm wall (the floor ${ratio(floorAfterIdle.wallMs, floorWarm.wallMs)})`,
        },
      ],
    };
  },
};
