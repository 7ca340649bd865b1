import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stopProcess, type GatewayProcess, GATEWAY_NODE_FLAGS } from '../test/integration/harness';
import { median, pairedRatios, spreadOf, type Spread } from './stats';

export interface LoadResult {
  target: string;
  query: Query;
  requestsPerSecond: Spread;
  p99Ms: number;
  errors: number;
  /** requests per second over bare Apollo Server's, round by round */
  vsBareApollo: Spread;
}

export const CONNECTIONS = 10;
export const DURATION_SECONDS = 3;
export const BARE_APOLLO = 'bare Apollo Server';

export const QUERIES = {
  /** nothing but the HTTP and GraphQL stack (and, on the gateway, the API key check) */
  'no-op': '{ __typename }',
  /** one database read */
  database: '{ connectors { id slug name } }',
  /** two database reads and an app token from the process's cache */
  token: 'query($t: ID!) { tenant(id: $t) { accessToken { expiresAt } } }',
};
export type Query = keyof typeof QUERIES;

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** autocannon against one GraphQL endpoint for one query. */
async function load(target: Target, query: Query, variables: object, seconds: number) {
  return autocannon({
    url: `${target.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify({ query: QUERIES[query], variables }),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/**
 * Starts bench/bare-server.ts as its own process, like the gateway, with the gateway's environment
 * so that it reads the same database and takes tokens from the same fake.
 */
export async function startBareServer(kind: 'apollo' | 'yoga', env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  // The same Node flags as the gateway, so the comparison is of the stacks, not of their heaps.
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, join(__dirname, 'bare-server.js'), kind], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: async () => void (await stopProcess(child)) };
}

/**
 * The gateway and the two bare servers, all running at once (an idle server costs nothing) and
 * measured in turn, round after round: a slow spell on the machine hits all of them alike, and
 * each round's ratio to bare Apollo compares runs a few seconds apart.
 */
export async function overheadRuns(gateway: GatewayProcess, tenantId: string, rounds: number): Promise<LoadResult[]> {
  const variables = { t: tenantId };
  const apollo = await startBareServer('apollo', gateway.env);
  const yoga = await startBareServer('yoga', gateway.env);
  try {
    const targets: Target[] = [
      { name: 'gateway', url: gateway.url, headers: { authorization: `Bearer ${gateway.adminKey}` } },
      { name: BARE_APOLLO, url: apollo.url, headers: {} },
      { name: 'graphql-yoga', url: yoga.url, headers: {} },
    ];
    const queries = Object.keys(QUERIES) as Query[];
    const samples = new Map<string, autocannon.Result[]>();
    for (const target of targets) for (const query of queries) await load(target, query, variables, 1); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const query of queries) {
        // Who goes first turns too, so that no server always follows the same one.
        for (const target of [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)]) {
          const key = `${target.name}|${query}`;
          samples.set(key, [...(samples.get(key) ?? []), await load(target, query, variables, DURATION_SECONDS)]);
        }
      }
    }
    return targets.flatMap((target) =>
      queries.map((query) => {
        const perSecond = (name: string) => samples.get(`${name}|${query}`)!.map((run) => run.requests.average);
        const runs = samples.get(`${target.name}|${query}`)!;
        return {
          target: target.name,
          query,
          requestsPerSecond: spreadOf(perSecond(target.name)),
          p99Ms: median(runs.map((run) => run.latency.p99)),
          errors: runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0),
          vsBareApollo: pairedRatios(perSecond(target.name), perSecond(BARE_APOLLO)),
        };
      }),
    );
  } finally {
    await apollo.stop();
    await yoga.stop();
  }
}
