import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The gateway's configuration, read from the environment once at start and frozen.
 * Nothing else in the code reads process.env.
 */
export interface GatewayConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  database: { type: 'better-sqlite3'; path: string } | { type: 'postgres'; url: string };
  secretKey: Buffer;
  /** where the key came from, for the start-up log line */
  secretKeySource: 'environment' | 'file' | 'generated';
  adminApiKey: string | null;
  microsoftLoginUrl: string;
  microsoftGraphUrl: string;
  redisUrl: string | null;
  allowedReturnOrigins: string[];
  /** origins whose browser apps may call /graphql (CORS) */
  corsOrigins: string[];
  /** requests per minute per client-token subject (tenant + user) */
  clientRateLimit: number;
  graphMaxConcurrency: number;
  maxQueryCost: number;
  /** the longest a GraphQL request may take, Graph retries included */
  requestDeadlineMs: number;
  /** how long in-flight requests may finish after SIGTERM before their Graph calls are aborted */
  shutdownGraceMs: number;
  /** when set, GET /metrics needs `Authorization: Bearer <token>` */
  metricsToken: string | null;
  logLevel: string;
  /** webhook endpoints may be http:// or resolve to loopback, private or link-local addresses (development, tests) */
  webhookAllowLocal: boolean;
  /** seconds to wait before each delivery attempt; its length is the number of attempts */
  webhookRetryScheduleSeconds: readonly number[];
  /** how long a webhook receiver has to answer one attempt */
  webhookTimeoutMs: number;
  /** how often each replica looks for due background work (deliveries, renewals, sweeps); its own changes wake it at once */
  workerIntervalMs: number;
  /** how often each tenant's change notifications are checked against Microsoft (new users, live subscriptions) and each mailbox is swept with calendar delta */
  changeSweepMs: number;
}

const url = (name: string) =>
  z.string().refine((value) => {
    try {
      const parsed = new URL(value);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      return false;
    }
  }, `${name} must be an absolute http(s) URL, for example https://gateway.example.com`);

const httpsUrl = (name: string) =>
  z.string().refine((value) => {
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  }, `${name} must be an absolute https URL (Microsoft's libraries refuse plain http)`);

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be a whole number between ${min} and ${max}`);

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer('PORT', 0, 65535).default(4000),
  XKIT_PUBLIC_URL: url('XKIT_PUBLIC_URL').optional(),
  XKIT_DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
      'XKIT_DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db',
    )
    .default('sqlite:data/xkit.sqlite'),
  XKIT_SECRET_KEY: z.string().optional(),
  XKIT_ADMIN_API_KEY: z
    .string()
    .min(24, 'XKIT_ADMIN_API_KEY must be at least 24 characters; generate one with: openssl rand -base64 32')
    // Bearer credentials of that shape are taken for client tokens.
    .refine((key) => !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(key), 'XKIT_ADMIN_API_KEY must not look like a JWT (three parts joined by dots); generate one with: openssl rand -base64 32')
    .optional(),
  XKIT_MICROSOFT_LOGIN_URL: httpsUrl('XKIT_MICROSOFT_LOGIN_URL').default('https://login.microsoftonline.com'),
  XKIT_MICROSOFT_GRAPH_URL: httpsUrl('XKIT_MICROSOFT_GRAPH_URL').default('https://graph.microsoft.com'),
  XKIT_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'XKIT_REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)')
    .optional(),
  XKIT_ALLOWED_RETURN_ORIGINS: z.string().default(''),
  XKIT_CORS_ORIGINS: z.string().default('').transform((value, context) => originList('XKIT_CORS_ORIGINS', value, context)),
  XKIT_CLIENT_RATE_LIMIT: integer('XKIT_CLIENT_RATE_LIMIT', 1, 1_000_000).default(300),
  XKIT_GRAPH_MAX_CONCURRENCY: integer('XKIT_GRAPH_MAX_CONCURRENCY', 1, 64).default(8),
  XKIT_MAX_QUERY_COST: integer('XKIT_MAX_QUERY_COST', 100, 10_000_000).default(20_000),
  XKIT_REQUEST_DEADLINE_SECONDS: integer('XKIT_REQUEST_DEADLINE_SECONDS', 1, 600).default(30),
  XKIT_SHUTDOWN_GRACE_SECONDS: integer('XKIT_SHUTDOWN_GRACE_SECONDS', 0, 300).default(10),
  XKIT_METRICS_TOKEN: z
    .string()
    .min(16, 'XKIT_METRICS_TOKEN must be at least 16 characters; generate one with: openssl rand -base64 24')
    .optional(),
  XKIT_WEBHOOK_ALLOW_LOCAL: z
    .enum(['true', 'false', '1', '0'], { message: 'XKIT_WEBHOOK_ALLOW_LOCAL must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .default(false),
  XKIT_WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+){0,19}\s*$/, 'XKIT_WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated whole seconds, e.g. 0,5,300,1800')
    .transform((value): readonly number[] => Object.freeze(value.split(',').map((seconds) => Number(seconds.trim()))))
    .default(Object.freeze([0, 5, 300, 1800, 7200, 18000, 36000, 36000])),
  XKIT_WEBHOOK_TIMEOUT_SECONDS: integer('XKIT_WEBHOOK_TIMEOUT_SECONDS', 1, 60).default(15),
  XKIT_WORKER_INTERVAL_MS: integer('XKIT_WORKER_INTERVAL_MS', 20, 60_000).default(1000),
  XKIT_CHANGE_SWEEP_SECONDS: integer('XKIT_CHANGE_SWEEP_SECONDS', 1, 86_400).default(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {}

/** Parses a 32-byte key given as 64 hex characters or as base64 (44 characters). */
export function parseSecretKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return null;
}

function originOf(value: string): string | null {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** A comma-separated list of exact origins; each bad entry is its own issue, so every one is reported at once. */
function originList(name: string, value: string, context: z.RefinementCtx): string[] {
  const origins: string[] = [];
  for (const entry of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    const origin = originOf(entry);
    // An origin only: a path, query or user name would never match a browser's Origin header.
    const bare = origin !== null && /^[a-z]+:\/\/[^/?#@]+\/?$/i.test(entry);
    if (bare) origins.push(origin);
    else {
      context.addIssue({
        code: 'custom',
        message: `${name} must list origins (scheme, host and optional port, no path) such as https://app.example.com; "${entry.slice(0, 80)}" is not one`,
      });
    }
  }
  return origins;
}

function loadSecretKey(
  env: z.infer<typeof environmentSchema>,
  dataDir: string,
): { key: Buffer; source: GatewayConfig['secretKeySource'] } {
  if (env.XKIT_SECRET_KEY !== undefined) {
    const key = parseSecretKey(env.XKIT_SECRET_KEY);
    if (!key) {
      throw new ConfigError(
        'XKIT_SECRET_KEY must be 32 bytes as 64 hex characters or base64; generate one with: openssl rand -base64 32',
      );
    }
    return { key, source: 'environment' };
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'XKIT_SECRET_KEY is required when NODE_ENV=production (it encrypts client secrets and signs consent states); generate one with: openssl rand -base64 32',
    );
  }
  // Outside production a key is kept beside the database so secrets stay readable across restarts.
  const keyFile = resolve(dataDir, 'secret.key');
  if (existsSync(keyFile)) {
    const key = parseSecretKey(readFileSync(keyFile, 'utf8'));
    if (!key) throw new ConfigError(`${keyFile} does not hold a 32-byte key; delete it or set XKIT_SECRET_KEY`);
    return { key, source: 'file' };
  }
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, key.toString('base64') + '\n', { mode: 0o600 });
  return { key, source: 'generated' };
}

/** Reads and validates the environment; throws ConfigError with one line per problem. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const relevant = Object.fromEntries(
    Object.keys(environmentSchema.shape).flatMap((name) =>
      environment[name] === undefined || environment[name] === "" ? [] : [[name, environment[name]]],
    ),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const name = String(issue.path[0] ?? 'environment');
          return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
        })
        .join('\n'),
    );
  }
  const env = parsed.data;

  const database: GatewayConfig['database'] = env.XKIT_DATABASE_URL.startsWith('sqlite:')
    ? { type: 'better-sqlite3', path: env.XKIT_DATABASE_URL.slice('sqlite:'.length) }
    : { type: 'postgres', url: env.XKIT_DATABASE_URL };
  const dataDir =
    database.type === 'better-sqlite3' && database.path !== ':memory:' ? dirname(resolve(database.path)) : resolve('data');

  const allowedReturnOrigins = env.XKIT_ALLOWED_RETURN_ORIGINS.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const origin = originOf(entry);
      if (!origin) {
        throw new ConfigError(
          `XKIT_ALLOWED_RETURN_ORIGINS must be a comma-separated list of origins such as https://app.example.com; "${entry}" is not one`,
        );
      }
      return origin;
    });

  const publicUrl = (env.XKIT_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const { key, source } = loadSecretKey(env, dataDir);

  return Object.freeze({
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    database,
    secretKey: key,
    secretKeySource: source,
    adminApiKey: env.XKIT_ADMIN_API_KEY ?? null,
    microsoftLoginUrl: env.XKIT_MICROSOFT_LOGIN_URL.replace(/\/+$/, ''),
    microsoftGraphUrl: env.XKIT_MICROSOFT_GRAPH_URL.replace(/\/+$/, ''),
    redisUrl: env.XKIT_REDIS_URL ?? null,
    allowedReturnOrigins: [new URL(publicUrl).origin, ...allowedReturnOrigins],
    corsOrigins: env.XKIT_CORS_ORIGINS,
    clientRateLimit: env.XKIT_CLIENT_RATE_LIMIT,
    graphMaxConcurrency: env.XKIT_GRAPH_MAX_CONCURRENCY,
    maxQueryCost: env.XKIT_MAX_QUERY_COST,
    requestDeadlineMs: env.XKIT_REQUEST_DEADLINE_SECONDS * 1000,
    shutdownGraceMs: env.XKIT_SHUTDOWN_GRACE_SECONDS * 1000,
    metricsToken: env.XKIT_METRICS_TOKEN ?? null,
    logLevel: env.LOG_LEVEL,
    webhookAllowLocal: env.XKIT_WEBHOOK_ALLOW_LOCAL,
    webhookRetryScheduleSeconds: env.XKIT_WEBHOOK_RETRY_SCHEDULE,
    webhookTimeoutMs: env.XKIT_WEBHOOK_TIMEOUT_SECONDS * 1000,
    workerIntervalMs: env.XKIT_WORKER_INTERVAL_MS,
    changeSweepMs: env.XKIT_CHANGE_SWEEP_SECONDS * 1000,
  });
}
