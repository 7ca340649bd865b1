import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createSchema, createYoga } from 'graphql-yoga';
import { loadConfig } from '../src/config/config';
import { ConnectorService } from '../src/connectors/connector.service';
import { GatewayKeys } from '../src/crypto/keys';
import { openDatabase } from '../src/db/data-source';
import { AppTokenService } from '../src/microsoft/app-token.service';
import { GraphClient } from '../src/microsoft/graph-client';
import { logger } from '../src/observability/logger';
import type { TenantEntity } from '../src/tenants/tenant.entity';
import { TenantService } from '../src/tenants/tenant.service';

/**
 * The overhead benchmark's baseline: a bare GraphQL server whose resolvers call the gateway's own
 * services (the same database reads, the same token cache) with none of the gateway's stack around
 * them: no type-graphql, API keys, preflight, cost limit, logging or metrics. Whatever the gateway
 * costs beyond this is its overhead. Runs as its own process with the gateway's environment:
 *   node dist/bench/bare-server.js apollo|yoga
 */
const typeDefs = /* GraphQL */ `
  type Connector { id: ID! slug: String! name: String! }
  type AccessToken { token: String! expiresAt: String! }
  type Tenant { id: ID! accessToken: AccessToken! }
  type Query { connectors: [Connector!]! tenant(id: ID!): Tenant }
`;

async function main(kind: string): Promise<void> {
  const config = loadConfig();
  logger.level = 'warn';
  const dataSource = await openDatabase(config.database);
  const connectors = new ConnectorService(dataSource, new GatewayKeys(config.secretKey), config.publicUrl);
  const graph = new GraphClient({ graphUrl: config.microsoftGraphUrl, logger });
  const tenants = new TenantService(dataSource, connectors, new AppTokenService({ loginUrl: config.microsoftLoginUrl, logger }), graph, logger);
  const resolvers = {
    Query: {
      connectors: () => connectors.list(),
      tenant: (_: unknown, { id }: { id: string }) => tenants.get(id),
    },
    Tenant: {
      accessToken: async (tenant: TenantEntity) => {
        const token = await tenants.access(tenant).appToken();
        return { token: token.accessToken, expiresAt: token.expiresAt.toISOString() };
      },
    },
  };

  let server: http.Server;
  if (kind === 'yoga') {
    server = http.createServer(createYoga({ schema: createSchema({ typeDefs, resolvers }), logging: false }));
  } else {
    const apollo = new ApolloServer({ typeDefs, resolvers });
    await apollo.start();
    const app = express();
    app.use('/graphql', express.json(), expressMiddleware(apollo));
    server = http.createServer(app);
  }
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.on('SIGTERM', () => server.close(() => void dataSource.destroy().then(() => process.exit(0))));
}

void main(process.argv[2] ?? 'apollo');
