import { registerEnumType } from 'type-graphql';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { ApiKeyRole } from './api-key.entity';

/** What a client token may read or do inside its tenant (and, when bound to one, its user). */
export enum ClientCapability {
  READ_DIRECTORY = 'READ_DIRECTORY',
  READ_CALENDARS = 'READ_CALENDARS',
  READ_SCHEDULES = 'READ_SCHEDULES',
  WRITE_EVENTS = 'WRITE_EVENTS',
}
registerEnumType(ClientCapability, {
  name: 'ClientCapability',
  valuesConfig: {
    READ_DIRECTORY: { description: 'Tenant.users and Tenant.user' },
    READ_CALENDARS: { description: "User.calendars and User.events (a user-bound token: its own user's only)" },
    READ_SCHEDULES: { description: 'Schedules, meeting times and rooms' },
    WRITE_EVENTS: { description: "The event mutations (a user-bound token: its own user's calendar only)" },
  },
});

/** A browser's caller: one tenant, optionally one user, a set of capabilities, until it expires. */
export interface ClientCaller {
  kind: 'client';
  /** the tenant's row, read once for the request (the token is void once it is gone) */
  tenant: TenantEntity;
  /** the Graph user id the token is bound to, or null for the whole tenant */
  userId: string | null;
  capabilities: ReadonlySet<ClientCapability>;
  expiresAt: Date;
}

/** Who sent the request, decided once per request before anything executes. */
export type Caller = { kind: 'anonymous' } | { kind: 'apiKey'; keyId: string; role: ApiKeyRole } | ClientCaller;

export const ANONYMOUS: Caller = Object.freeze({ kind: 'anonymous' });
