import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * Runs the real gateway (the compiled dist/src/main.js, as `npm start` does) as a child process,
 * pointed at the fake Microsoft, and talks to it over HTTP like a user would.
 */

/** The project root, whether this file runs from test/ (jest) or from dist/test/ (the demo). */
const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
})();

export interface GatewayProcess {
  url: string;
  pid: number;
  adminKey: string;
  env: Record<string, string>;
  output: () => string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { key?: string | null }): Promise<GraphQLResult<T>>;
  /** SIGTERM, then SIGKILL after 10 s: resolves with how the process ended. */
  stop(): Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GraphQLResult<T> {
  status: number;
  data: T;
  errors?: Array<{ message: string; path?: string[]; extensions: { code: string; [key: string]: unknown } }>;
}

/** The longest a test waits for one answer from the gateway or the fake: under Jest's 60 s, so a hang names itself. */
const GQL_TIMEOUT_MS = 45_000;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'xkit-test-'));
}

/**
 * A fresh, empty database for one gateway (or for replicas sharing it): a SQLite file, or with
 * XKIT_TEST_POSTGRES_URL set (CI sets it), a new PostgreSQL database on that server.
 */
export async function freshDatabaseUrl(dataDir: string): Promise<string> {
  const server = process.env.XKIT_TEST_POSTGRES_URL;
  if (!server) return `sqlite:${join(dataDir, 'xkit.sqlite')}`;
  const name = `xkit_test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}


/** Settings shared by gateways that must read the same data (restarts, replicas). */
export async function gatewaySettings(fake: { url: string; caCertPath: string }, dataDir = newDataDir()): Promise<Record<string, string>> {
  return {
    XKIT_DATABASE_URL: await freshDatabaseUrl(dataDir),
    XKIT_SECRET_KEY: randomBytes(32).toString('hex'),
    XKIT_ADMIN_API_KEY: `test_${randomBytes(24).toString('base64url')}`,
    XKIT_MICROSOFT_LOGIN_URL: fake.url,
    XKIT_MICROSOFT_GRAPH_URL: fake.url,
    NODE_EXTRA_CA_CERTS: fake.caCertPath,
    XKIT_DATA_DIR_FOR_TESTS: dataDir,
  };
}

/**
 * Node's flags for the gateway, as `npm start` gives them: a young generation of 64 MB per
 * semi-space, which cut the gateway's CPU for a 1,000-user fan-out from about 128 ms to 100 ms
 * (fewer scavenges of a fan-out's short-lived answers; see bench/README.md).
 */
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=64'];

/** `nodeArgs` go to node itself, e.g. [...GATEWAY_NODE_FLAGS, '--cpu-prof'] to profile the gateway. */
export async function startGateway(
  settings: Record<string, string>,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = GATEWAY_NODE_FLAGS,
): Promise<GatewayProcess> {
  const { XKIT_DATA_DIR_FOR_TESTS: dataDir, ...gatewayEnv } = settings;
  const port = Number(extraEnv.PORT ?? settings.PORT) || (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    XKIT_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...gatewayEnv,
    ...extraEnv,
    PORT: String(port),
  };
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/src/main.js')], { cwd: dataDir ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);

  const gateway: GatewayProcess = {
    url,
    pid: child.pid!,
    adminKey: settings.XKIT_ADMIN_API_KEY!,
    env,
    output: () => output,
    async gql(query, variables, options = {}) {
      const key = options.key === undefined ? gateway.adminKey : options.key;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
        // Under Jest's 60 s, so that a request that hangs fails with what it was and what the gateway said.
        signal: AbortSignal.timeout(GQL_TIMEOUT_MS),
      }).catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
        const said = output.split('\n').slice(-40).join('\n');
        throw new Error(`no answer in ${GQL_TIMEOUT_MS / 1000} s to ${query.slice(0, 200)}\nthe gateway's last log lines:\n${said}`);
      });
      const body = (await response.json()) as any;
      return { status: response.status, data: body.data, errors: body.errors };
    },
    stop: () => stopProcess(child),
  };
  return gateway;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`gateway did not become healthy:\n${output()}`);
}

export function stopProcess(child: ChildProcess): Promise<ProcessExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveStop({ code, signal });
    });
    child.kill('SIGTERM');
  });
}

/** GET over HTTPS trusting the fake's CA (this test process was not started with NODE_EXTRA_CA_CERTS). */
export function httpsGet(url: string, caCertPath: string): Promise<{ status: number; location: string | null; body: string }> {
  const ca = readFileSync(caCertPath);
  return new Promise((resolveGet, reject) => {
    https
      .get(url, { ca, timeout: GQL_TIMEOUT_MS }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolveGet({ status: response.statusCode ?? 0, location: response.headers.location ?? null, body }),
        );
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer in ${GQL_TIMEOUT_MS / 1000} s from ${url}`));
      })
      .on('error', reject);
  });
}

/** GET on the gateway without following redirects. */
export async function get(url: string): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(GQL_TIMEOUT_MS) }).catch((error: unknown) => {
    throw error instanceof Error && error.name === 'TimeoutError' ? new Error(`no answer in ${GQL_TIMEOUT_MS / 1000} s from ${url}`) : error;
  });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

/** The value of one Prometheus series (name and labels as printed) on the gateway's /metrics; 0 when absent. */
export async function metricValue(gateway: GatewayProcess, series: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Waits for something the gateway or the fake does, polling, without a fixed sleep standing in for it. */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
}

/** The gateway's first JSON log line that matches, waiting for it to be written. */
export async function logLine(gateway: GatewayProcess, matches: (entry: any) => boolean): Promise<any> {
  let found: any;
  await until(() => {
    found = gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find(matches);
    return found !== undefined;
  });
  return found;
}
