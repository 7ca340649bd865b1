import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { calendarWebhooksFor, deliveriesSettled, eventBody, subscriptionsOf, watchedTenant } from './calendar-steps';
import { GatewayProcess, freePort, gatewaySettings, startGateway } from './harness';
import { SignedWebhookReceiver } from './signed-webhook-receiver';
import { WEBHOOK_TEST_ENV, eventually } from './webhook-steps';

/**
 * Two replicas behind one public URL (a round-robin proxy standing in for the load balancer), on
 * one PostgreSQL and one Redis: Graph's notifications reach both, and still every change is told
 * once, every subscription renewed once. Needs real servers, like replicas.test.ts.
 */
const postgres = process.env.XKIT_TEST_POSTGRES_URL;
const redisUrl = process.env.XKIT_TEST_REDIS_URL;
const describeWithServers = postgres && redisUrl ? describe : describe.skip;
if (!postgres || !redisUrl) {
  console.info('webhook-replicas.test.ts skipped: set XKIT_TEST_POSTGRES_URL and XKIT_TEST_REDIS_URL (eval "$(bash .ci/services.sh start)")');
}

/** Alternates requests between the replicas, counting what each got on the notification routes. */
class RoundRobin {
  readonly notificationsTo = new Map<number, number>();
  private next = 0;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly ports: number[],
  ) {}

  static async start(ports: number[]): Promise<RoundRobin> {
    let proxy: RoundRobin | undefined;
    const server = http.createServer((request, response) => proxy!.forward(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new RoundRobin(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ports);
    return proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse): void {
    const port = this.ports[this.next++ % this.ports.length]!;
    if (request.url?.startsWith('/notifications/graph')) this.notificationsTo.set(port, (this.notificationsTo.get(port) ?? 0) + 1);
    const upstream = http.request({ host: '127.0.0.1', port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  }
}

describeWithServers('webhooks on two replicas', () => {
  let fake: FakeMicrosoft;
  let receiver: SignedWebhookReceiver;
  let proxy: RoundRobin;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    receiver = await SignedWebhookReceiver.start();
    const ports = [await freePort(), await freePort()];
    proxy = await RoundRobin.start(ports);
    const settings = { ...(await gatewaySettings(fake)), XKIT_REDIS_URL: redisUrl! };
    const env = { ...WEBHOOK_TEST_ENV, XKIT_PUBLIC_URL: proxy.url, XKIT_CHANGE_SWEEP_SECONDS: '1' };
    // One after the other: two first starts at once race to register XKIT_ADMIN_API_KEY.
    for (const port of ports) replicas.push(await startGateway(settings, { ...env, PORT: String(port) }));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await proxy?.stop();
    await receiver?.stop();
    await fake?.stop();
  });

  it('tells each change once while notifications (and their copies) arrive at both replicas, and renews a subscription once', async () => {
    const [a, b] = replicas as [GatewayProcess, GatewayProcess];
    const { organisation, users, endpoint } = await watchedTenant(a, fake, receiver, { users: 4 });
    fake.faults.notificationCopies = 2;
    fake.faults.updatedAfterCreate = true;

    const created = users.flatMap((user, index) => fake.mailbox.createEvent(organisation.tenantId, user.id, eventBody(`Meeting ${index}`, 9 + index)));
    for (const event of created) await receiver.waitFor(() => calendarWebhooksFor(receiver, event.id as string)[0], `the created webhook of ${String(event.subject)}`);
    await fake.subscriptions.settled();
    await deliveriesSettled(b, endpoint.id);
    for (const event of created) expect(calendarWebhooksFor(receiver, event.id as string).map((entry) => entry.type)).toEqual(['calendar.event.created']);
    for (const replica of replicas) expect(proxy.notificationsTo.get(Number(new URL(replica.url).port)) ?? 0).toBeGreaterThan(0);

    const subscription = subscriptionsOf(fake, organisation.tenantId)[0]!;
    const renewed = fake.counters.subscriptionsRenewed;
    fake.subscriptions.setExpiration(subscription.id, new Date(Date.now() + 30 * 60_000));
    await eventually(async () => Date.parse(fake.subscriptions.get(subscription.id)!.expirationDateTime) > Date.now() + 9_000 * 60_000, 'the renewal');
    // Both replicas keep sweeping: a few more rounds of each, and still one renewal.
    const listed = fake.counters.byRoute['GET /subscriptions'] ?? 0;
    await eventually(async () => (fake.counters.byRoute['GET /subscriptions'] ?? 0) >= listed + 4, 'more sweeps');
    expect(fake.counters.subscriptionsRenewed).toBe(renewed + 1);
    expect(fake.counters.subscriptionsCreated).toBe(users.length);
  });
});
