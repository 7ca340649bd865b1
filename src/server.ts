import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DataSource } from 'typeorm';
import { AccessResolver } from './access/access.resolver';
import { ApiKeyResolver } from './access/api-key.resolver';
import { ApiKeyService } from './access/api-key.service';
import { CallerAuthentication } from './access/caller-authentication';
import { ClientRateLimit } from './access/client-rate-limit';
import { ClientTokenSigner } from './access/client-token';
import { ClientTokenService, accessArgumentChecks } from './access/client-token.service';
import { graphqlCors } from './access/graphql-cors';
import { CatalogResolver } from './catalog/catalog.resolver';
import { CatalogService } from './catalog/catalog.service';
import type { GatewayConfig } from './config/config';
import { ConnectorResolver } from './connectors/connector.resolver';
import { ConnectorService } from './connectors/connector.service';
import { consentCallbackHandler } from './consent/consent-callback.route';
import { ConsentResolver } from './consent/consent.resolver';
import { ConsentService } from './consent/consent.service';
import { mountConsole } from './console/mount-console';
import { sandboxLandingPage } from './console/sandbox-landing-page';
import type { GatewayContext } from './context';
import { GatewayKeys } from './crypto/keys';
import { CalendarResolver } from './directory/calendar.resolver';
import { DirectoryService, directoryArgumentChecks } from './directory/directory.service';
import { PageCursorCodec } from './directory/page-cursor';
import { UserResolver } from './directory/user.resolver';
import { createEntityLoaders } from './entity-loaders';
import { eventArgumentChecks } from './events/event-arguments';
import { EventWriteResolver } from './events/event-write.resolver';
import { EventWriteService } from './events/event-write.service';
import { IdempotencyKeyStore } from './events/idempotency-key.store';
import { AdminSignIn } from './microsoft/admin-sign-in';
import { AppTokenService, type SharedTokenCache } from './microsoft/app-token.service';
import { GraphClient } from './microsoft/graph-client';
import { MicrosoftHttp } from './microsoft/microsoft-http';
import type { Logger } from './observability/logger';
import { metricsRegistry } from './observability/metrics';
import { logRefusal, requestLogging } from './observability/request-logging';
import { RequestLifetimes } from './request-signal';
import { buildGatewaySchema } from './schema/build-schema';
import { documentLimitRules, parseOptions } from './schema/document-limits';
import { presentError } from './schema/error-presentation';
import { ListSizeReader } from './schema/list-size-reader';
import { MAX_GRAPHQL_BODY, graphqlBodyErrors } from './schema/request-body-errors';
import { RoomListResolver } from './scheduling/room-list.resolver';
import { schedulingArgumentChecks } from './scheduling/scheduling-arguments';
import { SchedulingService } from './scheduling/scheduling.service';
import { TenantSchedulingResolver } from './scheduling/tenant-scheduling.resolver';
import { UserScheduleResolver } from './scheduling/user-schedule.resolver';
import { requestAdmission } from './schema/request-admission';
import { TenantResolver } from './tenants/tenant.resolver';
import { ChangeNotificationResolver } from './notifications/change-notification.resolver';
import { ChangeNotificationService } from './notifications/change-notification.service';
import { createChangeNotifications, RETIRED_SUBSCRIPTIONS_JOB, TENANT_SWEEP_JOB } from './notifications/notifications.module';
import { allListeners } from './tenants/tenant-changes';
import { TenantService } from './tenants/tenant.service';
import { webhookArgumentChecks, WebhookResolver } from './webhooks/webhook.resolver';
import { createWebhooks } from './webhooks/webhooks.module';
import { BackgroundWorkers } from './workers/background-workers';

export interface Gateway {
  httpServer: http.Server;
  apiKeys: ApiKeyService;
  /** Resolves once the port is bound; rejects with the listen error (a busy port, a bad HOST). */
  listen(): Promise<void>;
  /**
   * Stops taking connections and lets in-flight requests finish; after the grace period their
   * remaining Graph calls are aborted. Then releases the database and HTTP connections.
   */
  stop(): Promise<void>;
}

/** Wires services, GraphQL and HTTP routes. No business logic lives here. */
export async function createGateway(options: {
  config: GatewayConfig;
  dataSource: DataSource;
  logger: Logger;
  sharedTokenCache?: SharedTokenCache;
  health?: () => Promise<Record<string, unknown>>;
}): Promise<Gateway> {
  const { config, dataSource, logger } = options;
  const keys = new GatewayKeys(config.secretKey);
  const microsoftHttp = new MicrosoftHttp();
  const tokens = new AppTokenService({ loginUrl: config.microsoftLoginUrl, logger, sharedCache: options.sharedTokenCache, http: microsoftHttp });
  const graph = new GraphClient({
    graphUrl: config.microsoftGraphUrl,
    maxConcurrentRequestsPerTenant: config.graphMaxConcurrency,
    http: microsoftHttp,
    logger,
  });
  const apiKeys = new ApiKeyService(dataSource, logger);
  const catalog = new CatalogService(dataSource);
  const workers = new BackgroundWorkers({ intervalMs: config.workerIntervalMs, logger });
  const webhooks = createWebhooks({ config, dataSource, keys, workers, logger, calendarInterestChanged: () => changeNotifications.interestChanged() });
  const changeNotifications = new ChangeNotificationService(dataSource, {
    clock: workers.clock,
    wakeSweeps: () => workers.wake(TENANT_SWEEP_JOB),
    wakeRetirements: () => workers.wake(RETIRED_SUBSCRIPTIONS_JOB),
  });
  const listSizes = new ListSizeReader(dataSource);
  const tenantListener = allListeners(webhooks.tenantWebhooks, changeNotifications, listSizes.tenantListener);
  const connectors = new ConnectorService(dataSource, keys, config.publicUrl, {
    credentialsRetired: (id) => tokens.forgetConnector(id),
    tenantListener,
    listChanged: () => listSizes.invalidate(),
  });
  const tenants = new TenantService(dataSource, connectors, tokens, graph, logger, tenantListener);
  const notifications = createChangeNotifications({ config, dataSource, graph, tenants, outbox: webhooks.outbox, service: changeNotifications, workers, logger });
  const consent = new ConsentService(dataSource, connectors, keys, new AdminSignIn(config.microsoftLoginUrl, microsoftHttp), {
    loginUrl: config.microsoftLoginUrl,
    allowedReturnOrigins: config.allowedReturnOrigins,
  });
  const cursors = new PageCursorCodec(keys);
  const directory = new DirectoryService(tenants, graph, cursors);
  const scheduling = new SchedulingService(tenants, graph, cursors);
  const eventWrites = new EventWriteService(tenants, graph, new IdempotencyKeyStore(dataSource), logger);
  const clientTokenSigner = new ClientTokenSigner(keys);
  const clientRateLimit = new ClientRateLimit(config.clientRateLimit, config.redisUrl);
  const callers = new CallerAuthentication(apiKeys, clientTokenSigner, clientRateLimit);

  const instances = new Map<unknown, unknown>([
    [ConnectorResolver, new ConnectorResolver(connectors)],
    [CatalogResolver, new CatalogResolver(catalog)],
    [ConsentResolver, new ConsentResolver(consent)],
    [TenantResolver, new TenantResolver(tenants, directory)],
    [UserResolver, new UserResolver(directory)],
    [CalendarResolver, new CalendarResolver(directory)],
    [TenantSchedulingResolver, new TenantSchedulingResolver(scheduling)],
    [UserScheduleResolver, new UserScheduleResolver(scheduling)],
    [RoomListResolver, new RoomListResolver(scheduling)],
    [ApiKeyResolver, new ApiKeyResolver(apiKeys)],
    [AccessResolver, new AccessResolver(new ClientTokenService(tenants, clientTokenSigner))],
    [WebhookResolver, webhooks.resolver],
    [ChangeNotificationResolver, notifications.resolver],
    [EventWriteResolver, new EventWriteResolver(eventWrites)],
  ]);
  const schema = buildGatewaySchema({ get: (resolverClass) => instances.get(resolverClass) });

  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are not cached (Apollo sends no-store): hashing every body for an ETag is wasted work.
  app.disable('etag');
  app.set('trust proxy', true);
  const httpServer = http.createServer(app);
  // Stopped when the grace period after SIGTERM is over: every request's Graph calls end with it.
  const lifetimes = new RequestLifetimes(config.requestDeadlineMs);

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // main.ts handles SIGTERM once, in order; Apollo's own handler would stop the server a second time.
    stopOnTerminationSignals: false,
    parseOptions,
    validationRules: documentLimitRules,
    plugins: [
      // The schema has no cache hints, and Apollo's cache-control plugin wraps every field resolver
      // to look for them: a measurable cost on a page of a thousand users. no-store is set below.
      ApolloServerPluginCacheControlDisabled(),
      // Production serves no landing page (Apollo's default one loads from its CDN); /graphiql works offline.
      config.nodeEnv === 'production' ? ApolloServerPluginLandingPageDisabled() : sandboxLandingPage(),
      requestAdmission({
        maxCost: config.maxQueryCost,
        argumentChecks: { ...directoryArgumentChecks(cursors), ...schedulingArgumentChecks(cursors), ...accessArgumentChecks, ...webhookArgumentChecks, ...eventArgumentChecks },
        listSizes: () => listSizes.read(),
        introspectionNeedsKey: config.nodeEnv === 'production',
      }),
      requestLogging(logger),
    ],
    formatError: presentError,
  });
  await apollo.start();

  // First: every GraphQL request walks the router's layers in order.
  app.use(
    '/graphql',
    graphqlCors(config.corsOrigins),
    express.json({ limit: MAX_GRAPHQL_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const given = req.header('x-request-id');
        const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', requestId);
        // Answers carry tenant data and tokens: no shared cache may keep them.
        res.setHeader('cache-control', 'no-store');
        const lifetime = lifetimes.start();
        res.once('close', lifetime.end);
        const loaders = createEntityLoaders({ connectors, catalog, tenants });
        const caller = await callers.callerOf(req.header('authorization'), loaders.tenant).catch((error: unknown) => {
          // Refused before execution (401, 429): the request plugins never see it, so its line is written here.
          logRefusal(logger, { requestId, ip: req.ip ?? null }, error);
          throw error;
        });
        return {
          requestId,
          caller,
          apiKeyId: caller.kind === 'apiKey' ? caller.keyId : null,
          signal: lifetime.signal,
          deadline: Date.now() + config.requestDeadlineMs,
          tenantAccess: new Map(),
          graphLoaders: new Map(),
          loaders,
        };
      },
    }),
  );
  app.get('/healthz', async (_req, res) => {
    let database = 'ok';
    try {
      await dataSource.query('SELECT 1');
    } catch {
      database = 'unavailable';
    }
    const extra = options.health ? await options.health() : {};
    const ok = database === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database, ...extra });
  });
  app.get('/metrics', async (req, res) => {
    if (config.metricsToken && req.header('authorization') !== `Bearer ${config.metricsToken}`) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text').send('GET /metrics needs "Authorization: Bearer <XKIT_METRICS_TOKEN>"\n');
      return;
    }
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  app.use(notifications.routes);
  const callback = consentCallbackHandler({ connectors, catalog, consent, tenants, logger });
  app.get('/callback/:slug', (req, res, next) => void callback(req, res).catch(next));
  app.use('/graphql', graphqlBodyErrors);
  mountConsole(app, { connectors, catalog, consent, logger });
  app.get('/', (_req, res) => res.redirect('/graphql'));

  return {
    httpServer,
    apiKeys,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          // Only once the port is bound: Graph's handshake calls back as soon as a subscription is asked for.
          workers.start();
          resolve();
        });
      }),
    stop: async () => {
      // Background work stops at once: an attempt cut short is given back to the database for the next process.
      const workersStopped = workers.stop();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => lifetimes.stopAll(), config.shutdownGraceMs);
      // Aborted requests answer at once; a connection still open after that is a client that does not read.
      const last = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs + 2_000);
      await closed;
      await workersStopped;
      clearTimeout(grace);
      clearTimeout(last);
      lifetimes.stopAll();
      await apollo.stop();
      await dataSource.destroy();
      await microsoftHttp.close();
      clientRateLimit.close();
    },
  };
}
