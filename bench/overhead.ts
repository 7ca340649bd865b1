import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stopProcess, type GatewayProcess } from '../test/integration/harness';

export interface LoadResult {
  target: string;
  query: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
}

const CONNECTIONS = 10;
const DURATION_SECONDS = 5;

export const QUERIES = {
  database: '{ connectors { id slug name } }',
  token: 'query($t: ID!) { tenant(id: $t) { accessToken { expiresAt } } }',
};

/** autocannon against one GraphQL endpoint: a 1 s warm-up, then the measured run. */
export async function load(target: string, url: string, query: keyof typeof QUERIES, variables: object, headers: Record<string, string> = {}): Promise<LoadResult> {
  const request = {
    url: `${url}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERIES[query], variables }),
  };
  await autocannon({ ...request, connections: CONNECTIONS, duration: 1 });
  const result = await autocannon({ ...request, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return {
    target,
    query,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Starts bench/bare-server.ts as its own process, so it gets a core of its own like the gateway. */
export async function startBareServer(kind: 'apollo' | 'yoga'): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, 'bare-server.js'), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

export async function overheadRuns(gateway: GatewayProcess, tenantId: string): Promise<LoadResult[]> {
  const variables = { t: tenantId };
  const auth = { authorization: `Bearer ${gateway.adminKey}` };
  const results = [
    await load('gateway', gateway.url, 'database', {}, auth),
    await load('gateway', gateway.url, 'token', variables, auth),
  ];
  for (const kind of ['apollo', 'yoga'] as const) {
    const bare = await startBareServer(kind);
    try {
      results.push(await load(kind === 'apollo' ? 'bare Apollo Server' : 'graphql-yoga', bare.url, 'database', {}));
      results.push(await load(kind === 'apollo' ? 'bare Apollo Server' : 'graphql-yoga', bare.url, 'token', variables));
    } finally {
      await bare.stop();
    }
  }
  return results;
}
