import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync, type ContainerType } from 'type-graphql';
import { accessChecker } from '../access/access-checker';
import { AccessResolver } from '../access/access.resolver';
import { ApiKeyResolver } from '../access/api-key.resolver';
import { CatalogResolver } from '../catalog/catalog.resolver';
import { ConnectorResolver } from '../connectors/connector.resolver';
import { ConsentResolver } from '../consent/consent.resolver';
import { CalendarResolver } from '../directory/calendar.resolver';
import { UserResolver } from '../directory/user.resolver';
import { EventWriteResolver } from '../events/event-write.resolver';
import { RoomListResolver } from '../scheduling/room-list.resolver';
import { TenantSchedulingResolver } from '../scheduling/tenant-scheduling.resolver';
import { UserScheduleResolver } from '../scheduling/user-schedule.resolver';
import { ChangeNotificationResolver } from '../notifications/change-notification.resolver';
import { TenantResolver } from '../tenants/tenant.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';

export const resolvers = [
  ConnectorResolver,
  CatalogResolver,
  ConsentResolver,
  TenantResolver,
  UserResolver,
  CalendarResolver,
  TenantSchedulingResolver,
  UserScheduleResolver,
  RoomListResolver,
  ApiKeyResolver,
  AccessResolver,
  WebhookResolver,
  ChangeNotificationResolver,
  EventWriteResolver,
] as const;

/** The schema, built from the resolver classes. Without a container it can be printed but not executed. */
export function buildGatewaySchema(container?: ContainerType): GraphQLSchema {
  return buildSchemaSync({
    resolvers,
    container,
    authChecker: accessChecker,
    // Inputs are validated in the services, where messages can say what to do.
    validate: false,
  });
}

/** How schema.graphql is written: sorted, so the file only changes when the schema does. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `# Emitted from the code by \`npm run schema:emit\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
