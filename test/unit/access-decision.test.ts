import 'reflect-metadata';
import { decideAccess, type FieldAccess } from '../../src/access/access-checker';
import type { AccessRule } from '../../src/access/access-rules';
import { fromArgs, ofTenant, ofUser } from '../../src/access/access-rules';
import { ApiKeyRole } from '../../src/access/api-key.entity';
import { ClientCapability, type Caller } from '../../src/access/caller';
import type { TenantEntity } from '../../src/tenants/tenant.entity';

const OURS = '11111111-1111-4111-8111-111111111111';
const THEIRS = '22222222-2222-4222-8222-222222222222';
const ADELE = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BIANCA = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const { READ_DIRECTORY, READ_CALENDARS, WRITE_EVENTS } = ClientCapability;

const tenant = { id: OURS } as TenantEntity;
const client = (capabilities: ClientCapability[], userId: string | null = null): Caller => ({
  kind: 'client',
  tenant,
  userId,
  capabilities: new Set(capabilities),
  expiresAt: new Date(0),
});
const admin: Caller = { kind: 'apiKey', keyId: 'k', role: ApiKeyRole.ADMIN };
const readOnly: Caller = { kind: 'apiKey', keyId: 'k', role: ApiKeyRole.READ_ONLY };

const rules: Record<string, AccessRule | undefined> = {
  'API keys (plain @Authorized)': undefined,
  'ADMIN keys only': { kind: 'adminKey' },
  'any caller': { kind: 'anyCaller' },
  'Tenant.users': { kind: 'client', capability: READ_DIRECTORY, ...ofTenant },
  'Tenant.user': { kind: 'client', capability: READ_DIRECTORY, ...ofTenant, self: ({ args }) => args.id },
  'User.calendars': { kind: 'client', capability: READ_CALENDARS, ...ofUser },
  'an event mutation': { kind: 'client', capability: WRITE_EVENTS, ...fromArgs('tenantId', 'userId') },
};

const tenantField = (id = OURS, args: Record<string, unknown> = {}): FieldAccess => ({ field: 'Tenant.x', mutation: false, root: { id }, args });
const userField = (userId: string, tenantId = OURS): FieldAccess => ({ field: 'User.x', mutation: false, root: { id: userId, tenant: { id: tenantId } }, args: {} });
const mutation = (args: Record<string, unknown>): FieldAccess => ({ field: 'Mutation.x', mutation: true, root: undefined, args });

function outcome(caller: Caller, rule: string, access: FieldAccess): string {
  try {
    decideAccess(caller, rules[rule], access);
    return 'allowed';
  } catch (error) {
    return (error as { extensions: { code: string } }).extensions.code;
  }
}

it.each<[string, string, string, Caller, FieldAccess]>([
  ['nobody, any field', 'any caller', 'UNAUTHENTICATED', { kind: 'anonymous' }, tenantField()],
  ['an ADMIN key, an ADMIN-only field', 'ADMIN keys only', 'allowed', admin, tenantField()],
  ['an ADMIN key, a mutation', 'API keys (plain @Authorized)', 'allowed', admin, mutation({})],
  ['a READ_ONLY key, a query', 'API keys (plain @Authorized)', 'allowed', readOnly, tenantField()],
  ['a READ_ONLY key, a raw token', 'ADMIN keys only', 'FORBIDDEN', readOnly, tenantField()],
  ['a READ_ONLY key, an admin mutation', 'API keys (plain @Authorized)', 'FORBIDDEN', readOnly, mutation({})],
  ['a READ_ONLY key, an event mutation', 'an event mutation', 'FORBIDDEN', readOnly, mutation({ tenantId: OURS, userId: ADELE })],
  ["a READ_ONLY key, any tenant's calendars", 'User.calendars', 'allowed', readOnly, userField(ADELE, THEIRS)],
  ['a client token, an API-key field', 'API keys (plain @Authorized)', 'FORBIDDEN', client([READ_DIRECTORY]), tenantField()],
  ['a client token, a raw token', 'ADMIN keys only', 'FORBIDDEN', client([READ_DIRECTORY]), tenantField()],
  ['a client token, viewer', 'any caller', 'allowed', client([READ_DIRECTORY]), tenantField()],
  ["a client token with READ_DIRECTORY, its tenant's users", 'Tenant.users', 'allowed', client([READ_DIRECTORY]), tenantField()],
  ["a client token, another tenant's users", 'Tenant.users', 'NOT_FOUND', client([READ_DIRECTORY]), tenantField(THEIRS)],
  ['a client token without READ_DIRECTORY, users', 'Tenant.users', 'FORBIDDEN', client([READ_CALENDARS]), tenantField()],
  ['a client token without READ_CALENDARS, calendars', 'User.calendars', 'FORBIDDEN', client([READ_DIRECTORY]), userField(ADELE)],
  ["a tenant-wide token with READ_CALENDARS, anyone's calendars", 'User.calendars', 'allowed', client([READ_CALENDARS]), userField(ADELE)],
  ["a client token, calendars of another tenant's user", 'User.calendars', 'NOT_FOUND', client([READ_CALENDARS]), userField(ADELE, THEIRS)],
  ['a user-bound token, its own calendars (id in any case)', 'User.calendars', 'allowed', client([READ_CALENDARS], ADELE), userField(ADELE.toUpperCase())],
  ["a user-bound token, another user's calendars", 'User.calendars', 'FORBIDDEN', client([READ_CALENDARS], ADELE), userField(BIANCA)],
  ['a user-bound token without READ_DIRECTORY, looking itself up', 'Tenant.user', 'allowed', client([READ_CALENDARS], ADELE), tenantField(OURS, { id: ADELE })],
  ['a user-bound token without READ_DIRECTORY, looking another up', 'Tenant.user', 'FORBIDDEN', client([READ_CALENDARS], ADELE), tenantField(OURS, { id: BIANCA })],
  ['a user-bound token with READ_DIRECTORY, looking another up', 'Tenant.user', 'allowed', client([READ_DIRECTORY], ADELE), tenantField(OURS, { id: BIANCA })],
  ['a tenant-wide token without READ_DIRECTORY, looking a user up', 'Tenant.user', 'FORBIDDEN', client([READ_CALENDARS]), tenantField(OURS, { id: ADELE })],
  ['a user-bound token with WRITE_EVENTS, writing its own calendar', 'an event mutation', 'allowed', client([WRITE_EVENTS], ADELE), mutation({ tenantId: OURS, userId: ADELE })],
  ["a user-bound token with WRITE_EVENTS, writing another's", 'an event mutation', 'FORBIDDEN', client([WRITE_EVENTS], ADELE), mutation({ tenantId: OURS, userId: BIANCA })],
  ['a user-bound token, writing in another tenant', 'an event mutation', 'NOT_FOUND', client([WRITE_EVENTS], ADELE), mutation({ tenantId: THEIRS, userId: ADELE })],
  ["a tenant-wide token with WRITE_EVENTS, writing anyone's", 'an event mutation', 'allowed', client([WRITE_EVENTS]), mutation({ tenantId: OURS, userId: BIANCA })],
  ['a client token without WRITE_EVENTS, writing', 'an event mutation', 'FORBIDDEN', client([READ_CALENDARS]), mutation({ tenantId: OURS, userId: BIANCA })],
])('%s (rule: %s): %s', (_case, rule, expected, caller, access) => {
  expect(outcome(caller, rule, access)).toBe(expected);
});
