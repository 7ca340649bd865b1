import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from './build-schema';

const target = resolve(__dirname, '../../../schema.graphql');
writeFileSync(target, printGatewaySchema(buildGatewaySchema()));
console.log(`wrote ${target}`);
