import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DataSource } from 'typeorm';
import { ApiKeyResolver } from './auth/api-key.resolver';
import { ApiKeyService } from './auth/api-key.service';
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
import { DirectoryService, directoryArgumentChecks } from './directory/directory.service';
import { UserCursorCodec } from './directory/user-cursor';
import { UserResolver } from './directory/user.resolver';
import { createEntityLoaders } from './entity-loaders';
import { AppTokenService, type SharedTokenCache } from './microsoft/app-token.service';
import { GraphClient } from './microsoft/graph-client';
import type { Logger } from './observability/logger';
import { metricsRegistry } from './observability/metrics';
import { isMeantForCaller, requestLogging } from './observability/request-logging';
import { buildGatewaySchema } from './schema/build-schema';
import { argumentPreflight } from './schema/argument-preflight';
import { queryCostLimit } from './schema/query-cost';
import { TenantResolver } from './tenants/tenant.resolver';
import { TenantService } from './tenants/tenant.service';

export interface Gateway {
  httpServer: http.Server;
  apiKeys: ApiKeyService;
  /** Resolves once the port is bound. */
  listen(): Promise<void>;
  /** Stops taking requests, lets in-flight ones finish, then releases resources. */
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
  const tokens = new AppTokenService({ loginUrl: config.microsoftLoginUrl, logger, sharedCache: options.sharedTokenCache });
  const graph = new GraphClient({
    graphUrl: config.microsoftGraphUrl,
    maxConcurrentRequestsPerTenant: config.graphMaxConcurrency,
    logger,
  });
  const apiKeys = new ApiKeyService(dataSource);
  const catalog = new CatalogService(dataSource);
  const connectors = new ConnectorService(dataSource, keys, config.publicUrl, (id) => tokens.forgetConnector(id));
  const tenants = new TenantService(dataSource, connectors, tokens, graph, logger);
  const consent = new ConsentService(dataSource, connectors, keys, config.microsoftLoginUrl, config.allowedReturnOrigins);
  const directory = new DirectoryService(tenants, graph, new UserCursorCodec(keys));

  const instances = new Map<unknown, unknown>([
    [ConnectorResolver, new ConnectorResolver(connectors)],
    [CatalogResolver, new CatalogResolver(catalog)],
    [ConsentResolver, new ConsentResolver(consent)],
    [TenantResolver, new TenantResolver(tenants, directory)],
    [UserResolver, new UserResolver(directory)],
    [ApiKeyResolver, new ApiKeyResolver(apiKeys)],
  ]);
  const schema = buildGatewaySchema({ get: (resolverClass) => instances.get(resolverClass) });

  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are not cached (Apollo sends no-store): hashing every body for an ETag is wasted work.
  app.disable('etag');
  app.set('trust proxy', true);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The schema has no cache hints, and Apollo's cache-control plugin wraps every field resolver
      // to look for them: a measurable cost on a page of a thousand users. no-store is set below.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.nodeEnv === 'production' ? [] : [sandboxLandingPage()]),
      argumentPreflight(directoryArgumentChecks),
      queryCostLimit(config.maxQueryCost),
      requestLogging(logger),
    ],
    formatError: (formatted, error) => {
      if (isMeantForCaller(formatted, error)) return formatted;
      return {
        message: 'Internal error in the gateway; it was logged. Try again, and report it if it persists.',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    },
  });
  await apollo.start();

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
  app.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  const callback = consentCallbackHandler({ connectors, consent, tenants, logger });
  app.get('/callback/:slug', (req, res, next) => void callback(req, res).catch(next));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const given = req.header('x-request-id');
        const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', requestId);
        // Answers carry tenant data and tokens: no shared cache may keep them.
        res.setHeader('cache-control', 'no-store');
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
        return {
          requestId,
          apiKeyId: bearer ? await apiKeys.authenticate(bearer) : null,
          graphLoaders: new Map(),
          loaders: createEntityLoaders({ connectors, catalog, tenants }),
        };
      },
    }),
  );
  mountConsole(app, { connectors, catalog, consent, logger });
  app.get('/', (_req, res) => res.redirect('/graphql'));

  return {
    httpServer,
    apiKeys,
    listen: () => new Promise((resolve) => httpServer.listen(config.port, config.host, resolve)),
    stop: async () => {
      await apollo.stop();
      await dataSource.destroy();
    },
  };
}
