/**
 * The product's Microsoft layer, driven over IPC from a jest test (see run-typescript.js for
 * why it lives in its own process). Each operation is what a resolver or service would do;
 * results come back as plain JSON (dates as ISO strings, errors as their public fields).
 */
import pino from 'pino';
import { AppTokenService, type AppCredentials, type SharedTokenCache } from '../../../../src/microsoft/app-token.service';
import { GraphClient, type GraphBatchRequest, type GraphClientOptions, type TenantAccess } from '../../../../src/microsoft/graph-client';
import { getOrganization, listUsers } from '../../../../src/microsoft/graph-directory';
import { createGraphLoaders } from '../../../../src/microsoft/graph-loaders';
import { MicrosoftHttp } from '../../../../src/microsoft/microsoft-http';
import { RequestLifetimes } from '../../../../src/request-signal';

export interface ChildSetup {
  loginUrl: string;
  graphUrl: string;
  graph?: Omit<GraphClientOptions, 'graphUrl' | 'logger' | 'http'>;
  /** the HTTP client's limit on one attempt */
  attemptTimeoutMs?: number;
  /** each operation runs as a request with this deadline */
  deadlineMs?: number;
  /** how many AppTokenService instances (stand-ins for gateway processes) share the shared cache */
  tokenServices?: number;
  sharedCache?: boolean;
  refreshMarginSeconds?: number;
}

/** Which tenant a Graph operation reads, and with which app credentials. */
export interface Target {
  credentials: AppCredentials;
  tenantId: string;
}

export interface RemoteError {
  name: string;
  message: string;
  kind?: string;
  reason?: string;
  aadstsCode?: number;
  status?: number;
  graphCode?: string;
  code?: string;
}

export type Settled<T> = { value: T } | { error: RemoteError };

/** A shared cache in this process's memory, with a switch to make it fail like an unreachable Redis. */
class InMemorySharedCache implements SharedTokenCache {
  readonly entries = new Map<string, string>();
  readonly locks = new Set<string>();
  failing = false;
  calls = { get: 0, set: 0, tryLock: 0 };

  async get(key: string) {
    this.calls.get++;
    this.failIfDown();
    return this.entries.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.calls.set++;
    this.failIfDown();
    this.entries.set(key, value);
  }
  async tryLock(key: string) {
    this.calls.tryLock++;
    this.failIfDown();
    if (this.locks.has(key)) return false;
    this.locks.add(key);
    return true;
  }
  async unlock(key: string) {
    this.failIfDown();
    this.locks.delete(key);
  }
  private failIfDown() {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
}

const logLines: Array<Record<string, unknown>> = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
let tokenServices: AppTokenService[] = [];
let graph: GraphClient;
let deadlineMs: number | undefined;
let sharedCache: InMemorySharedCache | undefined;
const tokenCalls = { plain: 0, fresh: 0 };

function accessFor(target: Target): TenantAccess {
  const lifetime = deadlineMs === undefined ? undefined : new RequestLifetimes(deadlineMs).start();
  return {
    tenantId: target.tenantId,
    signal: lifetime?.signal,
    deadline: deadlineMs === undefined ? undefined : Date.now() + deadlineMs,
    getToken: async (options) => {
      tokenCalls[options?.fresh ? 'fresh' : 'plain']++;
      return (await tokenServices[0]!.acquire(target.credentials, target.tenantId, options)).accessToken;
    },
  };
}

function remoteError(error: unknown): RemoteError {
  const fields = (error ?? {}) as Record<string, unknown> & { extensions?: { code?: string } };
  return {
    name: String(fields.name ?? 'Error'),
    message: String(fields.message ?? error),
    kind: fields.kind as string | undefined,
    reason: fields.reason as string | undefined,
    aadstsCode: fields.aadstsCode as number | undefined,
    status: fields.status as number | undefined,
    graphCode: fields.graphCode as string | undefined,
    code: fields.extensions?.code,
  };
}

function settle<T>(results: Array<T | Error>): Array<Settled<T>> {
  return results.map((result) => (result instanceof Error ? { error: remoteError(result) } : { value: result }));
}

/** Dates become ISO strings on the way out (IPC is JSON), so the declared shapes say so. */
type Wire<T> = T extends Date ? string : T extends Array<infer U> ? Array<Wire<U>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;
const wire = <T>(value: T) => value as unknown as Wire<T>;

export const operations = {
  setup(setup: ChildSetup) {
    sharedCache = setup.sharedCache ? new InMemorySharedCache() : undefined;
    const http = new MicrosoftHttp({ attemptTimeoutMs: setup.attemptTimeoutMs });
    tokenServices = Array.from(
      { length: setup.tokenServices ?? 1 },
      () => new AppTokenService({ loginUrl: setup.loginUrl, logger, sharedCache, refreshMarginSeconds: setup.refreshMarginSeconds, http }),
    );
    graph = new GraphClient({ graphUrl: setup.graphUrl, logger, http, ...setup.graph });
    deadlineMs = setup.deadlineMs;
    tokenCalls.plain = tokenCalls.fresh = 0;
    logLines.length = 0;
  },

  async acquire(credentials: AppCredentials, tenantId: string, options: { fresh?: boolean; service?: number } = {}) {
    return wire(await tokenServices[options.service ?? 0]!.acquire(credentials, tenantId, { fresh: options.fresh }));
  },

  /** `count` calls started in the same tick, per service: the cold-start stampede. */
  async acquireConcurrently(credentials: AppCredentials, tenantId: string, count: number) {
    const calls = tokenServices.flatMap((service) => Array.from({ length: count }, () => service.acquire(credentials, tenantId)));
    return wire(await Promise.all(calls));
  },

  forgetConnector(connectorId: string) {
    for (const service of tokenServices) service.forgetConnector(connectorId);
  },

  setSharedCacheFailing(failing: boolean) {
    sharedCache!.failing = failing;
  },

  stats() {
    return {
      tokenServices: tokenServices.map((service) => ({ ...service.stats })),
      tokenCalls: { ...tokenCalls },
      sharedCache: sharedCache && { entries: [...sharedCache.entries.keys()], calls: { ...sharedCache.calls } },
      warnings: logLines.filter((line) => line.level === 40).map((line) => String(line.msg)),
    };
  },

  async graphGet(target: Target, relativeUrl: string) {
    return graph.get<unknown>(accessFor(target), relativeUrl);
  },

  async graphBatch(target: Target, requests: GraphBatchRequest[]) {
    return [...(await graph.batch(accessFor(target), requests)).values()];
  },

  async listUsers(target: Target, page: { top: number; skipToken?: string }) {
    return listUsers(graph, accessFor(target), page);
  },

  async getOrganization(target: Target) {
    return getOrganization(graph, accessFor(target));
  },

  /** One GraphQL request's worth of field loads, all in the same tick (as sibling resolvers do). */
  async loadUsers(target: Target, userIds: string[]) {
    return wire(settle(await createGraphLoaders(graph, accessFor(target)).user.loadMany(userIds)));
  },

  async loadCalendars(target: Target, userIds: string[]) {
    const select = 'id,name,color,hexColor,isDefaultCalendar,canEdit,owner';
    return wire(settle(await createGraphLoaders(graph, accessFor(target)).calendars.loadMany(userIds.map((userId) => ({ userId, select })))));
  },

  async loadCalendarView(target: Target, keys: Array<{ userId: string; start: string; end: string }>) {
    const loaders = createGraphLoaders(graph, accessFor(target));
    const loaded = await loaders.calendarView.loadMany(
      keys.map((key) => ({ userId: key.userId, start: new Date(key.start), end: new Date(key.end), select: 'id,subject,start,end,isAllDay,showAs' })),
    );
    return wire(settle(loaded));
  },
};

export type ChildOperations = typeof operations;
export type OperationName = keyof ChildOperations;

if (process.send) {
  process.on('message', async (message: { id: number; op: OperationName; args: unknown[] }) => {
    try {
      const operation = operations[message.op] as (...args: unknown[]) => unknown;
      const value = await operation(...message.args);
      process.send!({ id: message.id, ok: true, value: value === undefined ? null : value });
    } catch (error) {
      process.send!({ id: message.id, ok: false, error: remoteError(error) });
    }
  });
  // A child that outlives its test would keep jest waiting.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
