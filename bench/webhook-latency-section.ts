import { setTimeout as sleep } from 'node:timers/promises';
import { eventBody, STATUS_QUERY } from '../test/integration/calendar-steps';
import { gatewaySettings, startGateway, type GatewayProcess } from '../test/integration/harness';
import { adminConsents, readyConnector, tenantsOf } from '../test/integration/scenario';
import { SignedWebhookReceiver } from '../test/integration/signed-webhook-receiver';
import { CALENDAR_EVENTS, createEndpoint } from '../test/integration/webhook-steps';
import type { BenchContext, BenchSection } from './bench-context';
import { cpuMs } from './process-usage';
import { median, percentile } from './stats';
import { markdownTable, ms } from './table';

/** The pace: changes arriving at 50 a second, spread over the mailboxes. */
const CHANGES_PER_SECOND = 50;
/** A webhook later than this after the last change counts as lost. */
const GRACE_MS = 30_000;
const P99_TARGET_MS = 1_000;

/**
 * Time from a change in a mailbox (made in the fake, as a user would in Outlook) to the signed
 * webhook at the SaaS's receiver, for an organisation whose every mailbox is watched. The gateway
 * is one of its own, as deployed (production, log level info), so its subscriptions and sweeps add
 * nothing to the other sections' figures.
 */
export const webhookLatencySection: BenchSection = {
  name: 'webhooks',
  async run(bench) {
    const { fake, settings } = bench;
    const mailboxes = settings.webhookMailboxes;
    const receiver = await SignedWebhookReceiver.start();
    const gateway = await startGateway(await gatewaySettings(fake), {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      XKIT_GRAPH_MAX_CONCURRENCY: String(settings.concurrency),
      XKIT_WEBHOOK_ALLOW_LOCAL: 'true',
    });
    try {
      const setup = await watchEveryMailbox(bench, gateway, receiver, mailboxes);
      const run = await changesAtPace(bench, gateway, receiver, setup, settings.webhookChanges);
      const told = run.latencies.length;
      const markdown = [
        `### Calendar change to signed webhook (${mailboxes.toLocaleString('en-US')} mailboxes, ${CHANGES_PER_SECOND} changes a second)`,
        '',
        markdownTable(
          ['changes', 'webhooks received', 'median', 'p99', 'max', 'Graph calls per change', 'gateway CPU per change'],
          [[run.changes, told, ms(median(run.latencies)), ms(percentile(run.latencies, 99)), ms(Math.max(...run.latencies)), (run.graphCalls / run.changes).toFixed(2), `${(run.cpuMs / run.changes).toFixed(2)} ms`]],
        ),
        '',
        `Each change creates an event in a different mailbox (the fake sends Graph's change notification at once); the time runs from the change to the verified webhook at a local receiver. ` +
          `Watching ${mailboxes.toLocaleString('en-US')} mailboxes took ${ms(setup.setupMs)} from consent (a subscription with two validation handshakes and a first calendar delta each). ` +
          `Graph calls: what the fake received during the changes (event reads in $batch calls). The fake adds ${settings.latencyMs} ms to each Graph answer; notifications and webhooks travel on loopback.`,
      ].join('\n');
      return {
        markdown,
        targets: [
          {
            target: `every change told once, p99 under ${ms(P99_TARGET_MS)} at ${CHANGES_PER_SECOND}/s over ${mailboxes.toLocaleString('en-US')} mailboxes`,
            met: told === run.changes && run.duplicates === 0 && percentile(run.latencies, 99) < P99_TARGET_MS,
            result: `${told} of ${run.changes} told, ${run.duplicates} twice; median ${ms(median(run.latencies))}, p99 ${ms(percentile(run.latencies, 99))}`,
          },
        ],
      };
    } finally {
      await gateway.stop();
      await receiver.stop();
    }
  },
};

/** An endpoint for calendar events, an organisation consented, and every mailbox subscribed with its first delta done. */
async function watchEveryMailbox(bench: BenchContext, gateway: GatewayProcess, receiver: SignedWebhookReceiver, mailboxes: number) {
  const { fake } = bench;
  await createEndpoint(gateway, receiver, CALENDAR_EVENTS);
  const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read'] });
  const organisation = fake.addTenant({ displayName: `Bench webhooks ${mailboxes}`, users: mailboxes });
  const deltaRoute = 'GET /users/{id}/calendarView/delta';
  const deltasBefore = fake.counters.byRoute[deltaRoute] ?? 0;
  const started = Date.now();
  await adminConsents(gateway, fake, connector.id, organisation.tenantId);
  const tenant = (await tenantsOf(gateway, connector.id)).find((each) => each.microsoftTenantId === organisation.tenantId);
  for (;;) {
    const status = (await gateway.gql(STATUS_QUERY, { id: tenant.id })).data.tenant.changeNotifications;
    if (status.active === mailboxes && (fake.counters.byRoute[deltaRoute] ?? 0) - deltasBefore >= mailboxes) break;
    if (Date.now() - started > 10 * 60_000) throw new Error(`the gateway did not watch ${mailboxes} mailboxes within 10 minutes: ${JSON.stringify(status)}`);
    await sleep(100);
  }
  return { setupMs: Date.now() - started, userIds: organisation.users.map((user) => user.id), microsoftTenantId: organisation.tenantId };
}

/** `changes` events created at the pace, round the mailboxes, each timed until its webhook arrives. */
async function changesAtPace(bench: BenchContext, gateway: GatewayProcess, receiver: SignedWebhookReceiver, watched: { userIds: string[]; microsoftTenantId: string }, changes: number) {
  const { fake } = bench;
  const { userIds, microsoftTenantId } = watched;
  const madeAt = new Map<string, number>();
  const graphBefore = fake.counters.graphRequests;
  const cpuBefore = cpuMs(gateway.pid);
  const start = Date.now();
  for (let index = 0; index < changes; index++) {
    const due = start + (index * 1000) / CHANGES_PER_SECOND;
    if (due > Date.now()) await sleep(due - Date.now());
    // A stride that is prime to the number of mailboxes visits each before any twice.
    const userId = userIds[(index * 7919) % userIds.length]!;
    const [event] = fake.mailbox.createEvent(microsoftTenantId, userId, eventBody(`Bench change ${index}`, 8 + (index % 10)));
    madeAt.set(event!.id as string, Date.now());
  }
  const deadline = Date.now() + GRACE_MS;
  const arrivals = () => receiver.acknowledged('calendar.event.created').filter((entry) => madeAt.has(entry.data.eventId));
  while (new Set(arrivals().map((entry) => entry.data.eventId)).size < changes && Date.now() < deadline) await sleep(50);
  const first = new Map<string, number>();
  for (const entry of arrivals()) if (!first.has(entry.data.eventId)) first.set(entry.data.eventId, entry.at);
  return {
    changes,
    latencies: [...first].map(([eventId, at]) => at - madeAt.get(eventId)!),
    duplicates: arrivals().length - first.size,
    graphCalls: fake.counters.graphRequests - graphBefore,
    cpuMs: cpuMs(gateway.pid) - cpuBefore,
  };
}
