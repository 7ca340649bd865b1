import type { AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { logger as defaultLogger, type Logger } from '../observability/logger';
import { tokenAcquisitions, tokenCacheHits } from '../observability/metrics';
import { GRAPH_DEFAULT_SCOPE } from './admin-consent';
import { readAppTokenClaims } from './app-token-claims';
import { AppTokenCache, type AppTokenKey, type CachedAppToken, type SharedTokenCache } from './app-token-cache';
import { MicrosoftTokenError, toMicrosoftTokenError, type TokenFailureKind } from './microsoft-token-error';
import { MicrosoftHttp } from './microsoft-http';
import { confidentialClient, type AppCredentials } from './msal-client';

export { MicrosoftTokenError, type TokenFailureKind, type SharedTokenCache };


export type { AppCredentials };

export interface AppToken {
  accessToken: string;
  expiresAt: Date;
  roles: string[];
  /** the token's tid claim */
  tenantId: string;
  fromCache: boolean;
}

export interface AppTokenServiceOptions {
  /** identity platform base, e.g. https://login.microsoftonline.com */
  loginUrl: string;
  logger?: Logger;
  sharedCache?: SharedTokenCache;
  /** a token is renewed this long before it expires (default 300, as msal-node) */
  refreshMarginSeconds?: number;
  /** how long a process waits for another one's token before asking itself (default 30000) */
  requestTimeoutMs?: number;
  /** the HTTP client shared with Graph (default: a new one) */
  http?: MicrosoftHttp;
  /** deadline for one shared-cache call before carrying on without it (default 1000) */
  sharedCacheTimeoutMs?: number;
}

/** What the service did, for tests and diagnostics. */
export interface AppTokenStats {
  memoryHits: number;
  sharedHits: number;
  /** calls into msal (each may still be answered from msal's own cache) */
  msalCalls: number;
}

interface ConnectorClient {
  version: string;
  app: ConfidentialClientApplication;
}

/**
 * App-only Graph tokens, one per connector (app registration) and tenant, by client credentials.
 *
 * msal-node treats a token as expired 300 s early and does not merge concurrent cold calls, so
 * the service keeps its own cache in front of msal and one in-flight promise per token: a page
 * of 100 users needing the same tenant's token costs one token request, not 100.
 */
export class AppTokenService {
  readonly stats: AppTokenStats = { memoryHits: 0, sharedHits: 0, msalCalls: 0 };
  private readonly loginUrl: string;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly http: MicrosoftHttp;
  private readonly cache: AppTokenCache;
  private readonly clients = new Map<string, ConnectorClient>();
  private readonly inFlight = new Map<string, Promise<AppToken>>();

  constructor(options: AppTokenServiceOptions) {
    this.loginUrl = options.loginUrl.replace(/\/+$/, '');
    this.logger = options.logger ?? defaultLogger;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.http = options.http ?? new MicrosoftHttp({ attemptTimeoutMs: this.requestTimeoutMs });
    this.cache = new AppTokenCache({
      refreshMarginSeconds: options.refreshMarginSeconds ?? 300,
      logger: this.logger,
      sharedCache: options.sharedCache,
      sharedCacheTimeoutMs: options.sharedCacheTimeoutMs ?? 1000,
    });
  }

  /**
   * An app-only Graph token for one tenant. `fresh: true` skips every cache (after Graph
   * answered 401, or to re-read `roles` after a re-consent); concurrent fresh calls still share
   * one request.
   */
  acquire(credentials: AppCredentials, tenantId: string, options: { fresh?: boolean } = {}): Promise<AppToken> {
    const key: AppTokenKey = { ...credentials, tenantId };
    const fresh = options.fresh === true;
    if (!fresh) {
      const cached = this.cache.readMemory(key);
      if (cached) {
        this.stats.memoryHits++;
        tokenCacheHits.inc({ layer: 'memory' });
        return Promise.resolve({ ...cached, fromCache: true });
      }
    }
    const flightKey = JSON.stringify([credentials.connectorId, credentials.version, tenantId.toLowerCase(), fresh]);
    const pending = this.inFlight.get(flightKey);
    if (pending) return pending;
    const started = this.acquireUncached(key, credentials, fresh).finally(() => {
      if (this.inFlight.get(flightKey) === started) this.inFlight.delete(flightKey);
    });
    this.inFlight.set(flightKey, started);
    return started;
  }

  /** drop cached tokens/clients of a connector (credentials changed or connector deleted) */
  forgetConnector(connectorId: string): void {
    this.clients.delete(connectorId);
    this.cache.forgetConnector(connectorId);
    for (const flightKey of this.inFlight.keys()) {
      if ((JSON.parse(flightKey) as unknown[])[0] === connectorId) this.inFlight.delete(flightKey);
    }
  }

  private async acquireUncached(key: AppTokenKey, credentials: AppCredentials, fresh: boolean): Promise<AppToken> {
    if (!fresh && this.cache.hasSharedLayer) {
      const shared = await this.cache.readShared(key);
      if (shared) return this.sharedHit(shared);
    }
    const client = this.clientFor(credentials);
    const produce = () => this.requestToken(client.app, credentials, key.tenantId, fresh);
    const { token, produced } = fresh
      ? { token: await produce(), produced: true }
      : await this.cache.singleFlightAcrossProcesses(key, this.requestTimeoutMs, produce);
    if (!produced) return this.sharedHit(token);
    // A connector forgotten (or re-keyed) while we waited must not get its old token back in cache.
    if (this.clients.get(credentials.connectorId) === client) await this.cache.write(key, token);
    return { ...token, fromCache: false };
  }

  private sharedHit(token: CachedAppToken): AppToken {
    this.stats.sharedHits++;
    tokenCacheHits.inc({ layer: 'shared' });
    return { ...token, fromCache: true };
  }

  private async requestToken(
    app: ConfidentialClientApplication,
    credentials: AppCredentials,
    tenantId: string,
    fresh: boolean,
  ): Promise<CachedAppToken> {
    let result = await this.callMsal(app, credentials, tenantId, fresh);
    if (result.fromCache && !this.cache.isUsable(result.expiresOn)) {
      // msal's early-expiry is a fixed 300 s; ours may be longer.
      result = await this.callMsal(app, credentials, tenantId, true);
    }
    if (result.fromCache) tokenCacheHits.inc({ layer: 'msal' });
    else tokenAcquisitions.inc({ outcome: 'success' });

    const claims = readAppTokenClaims(result.accessToken);
    if (!claims) {
      throw this.failure('other', 'Microsoft issued a token the gateway cannot read (no tenant claim)', credentials);
    }
    // The consent callback's `tenant` parameter is only trusted once a token proves it.
    if (claims.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
      throw this.failure(
        'other',
        `Microsoft issued a token for tenant ${claims.tenantId} when tenant ${tenantId} was asked for`,
        credentials,
      );
    }
    return {
      accessToken: result.accessToken,
      expiresAt: result.expiresOn ?? claims.expiresAt ?? new Date(Date.now() + 3_600_000),
      roles: claims.roles,
      tenantId: claims.tenantId,
    };
  }

  private async callMsal(
    app: ConfidentialClientApplication,
    credentials: AppCredentials,
    tenantId: string,
    skipCache: boolean,
  ): Promise<AuthenticationResult> {
    this.stats.msalCalls++;
    let result: AuthenticationResult | null;
    try {
      result = await app.acquireTokenByClientCredential({
        scopes: [GRAPH_DEFAULT_SCOPE],
        authority: `${this.loginUrl}/${encodeURIComponent(tenantId)}`,
        skipCache,
      });
    } catch (error) {
      const failure = toMicrosoftTokenError(error, credentials.clientSecret);
      tokenAcquisitions.inc({ outcome: failure.kind });
      this.logger.warn(
        { connectorId: credentials.connectorId, tenantId, kind: failure.kind, aadstsCode: failure.aadstsCode },
        `app token request failed: ${failure.reason}`,
      );
      throw failure;
    }
    if (!result) throw this.failure('other', 'Microsoft returned no token', credentials);
    return result;
  }

  private failure(kind: TokenFailureKind, reason: string, credentials: AppCredentials): MicrosoftTokenError {
    tokenAcquisitions.inc({ outcome: kind });
    this.logger.warn({ connectorId: credentials.connectorId, kind }, `app token rejected: ${reason}`);
    return new MicrosoftTokenError(kind, reason);
  }

  /** One msal client per connector, rebuilt when its credentials change. */
  private clientFor(credentials: AppCredentials): ConnectorClient {
    const existing = this.clients.get(credentials.connectorId);
    if (existing?.version === credentials.version) return existing;
    if (existing) this.cache.forgetConnector(credentials.connectorId);
    const client: ConnectorClient = {
      version: credentials.version,
      app: confidentialClient(this.loginUrl, credentials, this.http),
    };
    this.clients.set(credentials.connectorId, client);
    return client;
  }
}
