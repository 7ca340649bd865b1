import { startFakeMicrosoft, type FakeMicrosoft } from '../test/fake-microsoft';
import { gatewaySettings, startGateway, type GatewayProcess } from '../test/integration/harness';
import { adminConsents, readyConnector, tenantsOf } from '../test/integration/scenario';
import { startFloor, type FloorProcess } from './floor-process';
import type { TargetCheck } from './targets';

/** The bench's knobs, read once from the environment (see bench/README.md). */
export interface BenchSettings {
  /** added by the fake to every response */
  latencyMs: number;
  /** XKIT_GRAPH_MAX_CONCURRENCY, and the floor's requests in flight */
  concurrency: number;
  /** BENCH_USERS: organisation sizes, default 1,000, 10,000 and 50,000 users */
  sizes: number[];
  /** BENCH_ROUNDS: interleaved gateway/floor rounds per size, default 5 */
  rounds: number;
  /** BENCH_IDLE_SECONDS: the quiet spell before the idle fan-out, default 60 */
  idleSeconds: number;
  /** BENCH_OVERHEAD_ROUNDS: interleaved autocannon rounds, default 5 */
  overheadRounds: number;
  /** BENCH_SECTIONS: which sections run, by name, default all */
  sections: string[] | null;
  /** BENCH_WEBHOOK_MAILBOXES: the watched organisation's size for the webhook latency, default 1,000 */
  webhookMailboxes: number;
  /** BENCH_WEBHOOK_CHANGES: calendar changes made at 50 a second, default 1,000 */
  webhookChanges: number;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const count = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got '${env[name]}'`);
    return value;
  };
  const sizes = (env.BENCH_USERS ?? '1000,10000,50000').split(',').map(Number);
  if (sizes.some((users) => !Number.isInteger(users) || users < 1)) throw new Error(`BENCH_USERS must list user counts, e.g. 1000,10000; got '${env.BENCH_USERS}'`);
  return Object.freeze({
    latencyMs: 20,
    concurrency: 8,
    sizes,
    rounds: Math.max(1, count('BENCH_ROUNDS', 5)),
    idleSeconds: count('BENCH_IDLE_SECONDS', 60),
    overheadRounds: Math.max(1, count('BENCH_OVERHEAD_ROUNDS', 5)),
    sections: env.BENCH_SECTIONS ? env.BENCH_SECTIONS.split(',') : null,
    webhookMailboxes: Math.max(1, count('BENCH_WEBHOOK_MAILBOXES', 1000)),
    webhookChanges: Math.max(1, count('BENCH_WEBHOOK_CHANGES', 1000)),
  });
}

/** A consented organisation of the fake, as the gateway knows it. */
export interface Organisation {
  users: number;
  /** the gateway's tenant id */
  tenantId: string;
  /** The tenant's Graph token, from the gateway (the floor and the naive client have no credentials of their own). */
  token(): Promise<string>;
}

/** What every section shares: one fake, one gateway, one floor, organisations made on first use. */
export interface BenchContext {
  settings: BenchSettings;
  fake: FakeMicrosoft;
  gateway: GatewayProcess;
  floor: FloorProcess;
  /** The organisation of this size, added to the fake and consented the first time it is asked for. */
  organisation(users: number): Promise<Organisation>;
  stop(): Promise<void>;
}

/** A section of `npm run bench`: one table (or a few) and the targets it checks. */
export interface BenchSection {
  /** what BENCH_SECTIONS calls it */
  name: string;
  run(bench: BenchContext): Promise<{ markdown: string; targets: TargetCheck[] }>;
}

/**
 * The fake keeps idle connections until the client closes them and announces no timeout. With
 * Node's default it would close them after 5 s, whatever the client does, and its
 * `Keep-Alive: timeout=` header would set undici's idle timeout for it: the idle fan-out would
 * measure the fake, not the client's pool.
 */
const FAKE_KEEPS_IDLE_CONNECTIONS = 0;

export async function startBench(settings: BenchSettings): Promise<BenchContext> {
  const fake = await startFakeMicrosoft({ latencyMs: settings.latencyMs, keepAliveTimeoutMs: FAKE_KEEPS_IDLE_CONNECTIONS });
  // As deployed: production mode and the default log level, since logging is part of what the gateway costs.
  const gateway = await startGateway(await gatewaySettings(fake), {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    XKIT_GRAPH_MAX_CONCURRENCY: String(settings.concurrency),
    // The client-token section sends thousands of requests a second with one token.
    XKIT_CLIENT_RATE_LIMIT: '1000000',
  });
  const floor = startFloor(fake);
  const stop = async () => {
    await floor.stop();
    await gateway.stop();
    await fake.stop();
  };
  const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'Calendars.Read'] }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const organisations = new Map<number, Promise<Organisation>>();

  const consented = async (users: number): Promise<Organisation> => {
    const organisation = fake.addTenant({ displayName: `Bench ${users}`, users });
    await adminConsents(gateway, fake, connector.id, organisation.tenantId);
    const tenant = (await tenantsOf(gateway, connector.id)).find((t) => t.microsoftTenantId === organisation.tenantId);
    const token = async () => {
      const answer = await gateway.gql('query($t: ID!) { tenant(id: $t) { accessToken { token } } }', { t: tenant.id });
      if (answer.errors) throw new Error(`no token for the bench: ${JSON.stringify(answer.errors[0])}`);
      return answer.data.tenant.accessToken.token as string;
    };
    return { users, tenantId: tenant.id, token };
  };

  return {
    settings,
    fake,
    gateway,
    floor,
    organisation: (users) => {
      if (!organisations.has(users)) organisations.set(users, consented(users));
      return organisations.get(users)!;
    },
    stop,
  };
}
