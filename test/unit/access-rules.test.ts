import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import type { AccessRule } from '../../src/access/access-rules';
import { buildGatewaySchema } from '../../src/schema/build-schema';

/**
 * The access rules as declared on the resolvers, read back from type-graphql's metadata: what
 * answers without a credential, and what a client token can reach. A new field is closed to
 * client tokens unless it declares a rule; adding one means adding its row here, on purpose.
 */

const PUBLIC = ['Query.catalog'];

const CLIENT_REACHABLE: Record<string, string> = {
  'Query.viewer': 'any caller',
  'Query.tenant': 'its tenant',
  'Tenant.missingScopes': 'its tenant',
  'Tenant.users': 'its tenant, READ_DIRECTORY',
  'Tenant.user': 'its tenant, READ_DIRECTORY (or its own user)',
  'User.calendars': 'its tenant, its user, READ_CALENDARS',
  'User.events': 'its tenant, its user, READ_CALENDARS',
  'Calendar.events': 'its tenant, its user, READ_CALENDARS',
  'User.schedule': 'its tenant, its user, READ_SCHEDULES',
  // Free/busy of any mailbox of the tenant, as Outlook shows it to any colleague, even to a user-bound token.
  'Tenant.schedules': 'its tenant, READ_SCHEDULES',
  'Tenant.meetingTimes': 'its tenant, READ_SCHEDULES',
  'Tenant.rooms': 'its tenant, READ_SCHEDULES',
  'Tenant.roomLists': 'its tenant, READ_SCHEDULES',
  'RoomList.rooms': 'its tenant, READ_SCHEDULES',
  'Mutation.createEvent': 'its tenant, its user, WRITE_EVENTS',
  'Mutation.updateEvent': 'its tenant, its user, WRITE_EVENTS',
  'Mutation.cancelEvent': 'its tenant, its user, WRITE_EVENTS',
  'Mutation.deleteEvent': 'its tenant, its user, WRITE_EVENTS',
  'Mutation.respondToEvent': 'its tenant, its user, WRITE_EVENTS',
};

function describeRule(rule: AccessRule): string | null {
  if (rule.kind === 'anyCaller') return 'any caller';
  if (rule.kind !== 'client') return null;
  const parts = ['its tenant', ...(rule.user ? ['its user'] : []), ...(rule.capability ? [rule.capability] : [])];
  return parts.join(', ') + (rule.self ? ' (or its own user)' : '');
}

function declaredFields() {
  buildGatewaySchema();
  const storage = getMetadataStorage();
  const objectNames = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
  return [
    ...storage.queries.map((query) => ({ name: `Query.${query.schemaName}`, roles: query.roles as AccessRule[] | undefined })),
    ...storage.mutations.map((mutation) => ({ name: `Mutation.${mutation.schemaName}`, roles: mutation.roles as AccessRule[] | undefined })),
    ...storage.fieldResolvers.map((field) => ({
      name: `${objectNames.get(field.getObjectType!() as Function) ?? '?'}.${field.schemaName}`,
      roles: field.roles as AccessRule[] | undefined,
    })),
  ];
}

it('answers without a credential only the public fields', () => {
  const open = declaredFields().filter((field) => field.roles === undefined).map((field) => field.name);
  expect(open.sort()).toEqual(PUBLIC);
});

it('lets client tokens reach exactly these fields, under these rules', () => {
  const reachable = Object.fromEntries(
    declaredFields().flatMap((field) => {
      const rule = field.roles?.[0];
      const described = rule ? describeRule(rule) : null;
      return described ? [[field.name, described]] : [];
    }),
  );
  expect(reachable).toEqual(CLIENT_REACHABLE);
});
