import { Authorized } from 'type-graphql';
import type { ClientCapability } from './caller';

/**
 * Who may call a field, declared on the field; the access checker (access-checker.ts) decides.
 * Fields reached by no rule here take type-graphql's plain `@Authorized()`, which means API keys
 * only: ADMIN keys everything, READ_ONLY keys queries. A new field is therefore closed to client
 * tokens until it says otherwise, e.g. for an event mutation of issue 12:
 *
 *   @ClientMay(ClientCapability.WRITE_EVENTS, fromArgs('tenantId', 'userId'))
 */

/** Where a field finds the tenant or user it is about: in its parent object or its arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- roots and arguments differ per field
export type Locate = (field: { root: any; args: any }) => string | null | undefined;

export interface ClientScope {
  /** the gateway tenant id the field reads or changes: a client token reaches only its own */
  tenant: Locate;
  /** the Graph user whose data it is: a user-bound token reaches only its own user */
  user?: Locate;
  /** the user the field looks up (Tenant.user): a user-bound token may look itself up without the capability */
  self?: Locate;
}

export type AccessRule =
  | { kind: 'adminKey' }
  | { kind: 'anyCaller' }
  | ({ kind: 'client'; capability: ClientCapability | null } & ClientScope);

/** ADMIN API keys only: raw Graph tokens and API keys. */
export const AdminKeyOnly = () => Authorized<AccessRule>({ kind: 'adminKey' });

/** Any authenticated caller: API keys of either role and client tokens. */
export const AnyCaller = () => Authorized<AccessRule>({ kind: 'anyCaller' });

/** API keys, and client tokens of the field's tenant (and user) holding the capability (null: none needed). */
export const ClientMay = (capability: ClientCapability | null, scope: ClientScope) => Authorized<AccessRule>({ kind: 'client', capability, ...scope });

/** A field of Tenant: the tenant is its parent. */
export const ofTenant: ClientScope = { tenant: ({ root }) => root.id };

/** A per-user field of User: the user is its parent, read from its tenant. */
export const ofUser: ClientScope = { tenant: ({ root }) => root.tenant.id, user: ({ root }) => root.id };

/** A field of Calendar: its tenant and owner are on the calendar read from them. */
export const ofCalendar: ClientScope = { tenant: ({ root }) => root.tenant.id, user: ({ root }) => root.userId };

/** A field of RoomList: rooms belong to the tenant, to no user. */
export const ofRoomList: ClientScope = { tenant: ({ root }) => root.tenant.id };

/** A root field naming its tenant (and user) in arguments, e.g. fromArgs('tenantId', 'userId'). */
export const fromArgs = (tenantArg: string, userArg?: string): ClientScope => ({
  tenant: ({ args }) => args[tenantArg],
  ...(userArg ? { user: ({ args }) => args[userArg] } : {}),
});
