import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createSchema, createYoga } from 'graphql-yoga';

/**
 * A bare GraphQL server with the shape of the two queries the overhead benchmark sends, answering
 * from memory: what the gateway is compared with. Run as its own process, like the gateway.
 *   node dist/bench/bare-server.js apollo|yoga
 */
const typeDefs = /* GraphQL */ `
  type Connector { id: ID! slug: String! name: String! }
  type AccessToken { token: String! expiresAt: String! }
  type Tenant { id: ID! accessToken: AccessToken! }
  type Query { connectors: [Connector!]! tenant(id: ID!): Tenant }
`;
const connectors = [{ id: '6f1c1f4e-8a53-4b3e-9a31-2f0c7f1d9a10', slug: 'outlook-calendar-admin', name: 'Outlook Calendar Admin' }];
const resolvers = {
  Query: {
    connectors: () => connectors,
    tenant: (_: unknown, { id }: { id: string }) => ({ id, accessToken: { token: 'x'.repeat(1200), expiresAt: new Date(Date.now() + 3_600_000).toISOString() } }),
  },
};

async function main(kind: string): Promise<void> {
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
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main(process.argv[2] ?? 'apollo');
