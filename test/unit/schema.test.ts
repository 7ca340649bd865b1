import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from '../../src/schema/build-schema';

it('schema.graphql matches the schema built from the code', () => {
  const committed = readFileSync(resolve(__dirname, '../../schema.graphql'), 'utf8');
  const current = printGatewaySchema(buildGatewaySchema());
  if (committed !== current) throw new Error('schema.graphql is stale: run npm run schema:emit');
});
