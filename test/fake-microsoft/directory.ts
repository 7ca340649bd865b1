import { generateRooms, type FakeRoom, type TenantRooms } from './rooms';
import { GUID_PATTERN, SeededRandom, guidFrom } from './seeded-random';
import type { FakeWorkingHours } from './working-hours';

/** A directory user. Calendars and events are not stored: they are generated on request from these counts. */
export interface FakeUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  calendarCount: number;
  eventsPerDay: number;
  /** mailboxSettings.timeZone (Windows or IANA name); default one of a few zones, chosen per user. */
  timeZone?: string;
  /** Default Monday–Friday, 08:00–17:00 or so, in the mailbox time zone. */
  workingHours?: FakeWorkingHours;
}

export interface FakeTenantOptions {
  tenantId?: string;
  displayName: string;
  /** A count of generated users, or one entry per user whose given fields override the generated ones. */
  users?: number | Partial<FakeUser>[];
  /** Room mailboxes, 4 per building (one room list per building); default 12. */
  rooms?: number | Partial<FakeRoom>[];
}

/** An "Azure app registration" in the publisher's home tenant, usable by any tenant that consents to it. */
export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  redirectUris: string[];
  requiredRoles: string[];
}

export interface Tenant extends TenantRooms {
  tenantId: string;
  displayName: string;
  /** The initial `<name>.onmicrosoft.com` domain; the token and consent endpoints accept it in place of the GUID. */
  domain: string;
  users: FakeUser[];
  /** Granted application roles per client id: the enterprise app (service principal) exists iff an entry does. */
  consents: Map<string, string[]>;
  usersByKey: Map<string, FakeUser>;
}

const DEFAULT_USER_COUNT = 10;
const DEFAULT_CALENDAR_COUNT = 2;
const DEFAULT_EVENTS_PER_DAY = 2;

// The names of Microsoft's own demo tenant, so screenshots of the demo look familiar.
const DEMO_NAMES = [
  'Adele Vance', 'Alex Wilber', 'Diego Siciliani', 'Grady Archie', 'Isaiah Langer', 'Johanna Lorenz',
  'Joni Sherman', 'Lee Gu', 'Lidia Holloway', 'Lynne Robbins', 'Megan Bowen', 'Miriam Graham',
  'Nestor Wilke', 'Patti Fernandez', 'Pradeep Gupta',
];
const JOB_TITLES = ['Marketing Manager', 'Retail Manager', 'Developer', 'Product Manager', 'Sales Representative', 'Attorney', null];

export class Directory {
  private readonly apps = new Map<string, AppRegistration>();
  private readonly tenants = new Map<string, Tenant>();

  registerApp(app: { clientId: string; clientSecret: string; displayName?: string; redirectUris: string[]; requiredRoles: string[] }): void {
    this.apps.set(app.clientId.toLowerCase(), {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      displayName: app.displayName ?? 'Xkit',
      redirectUris: [...app.redirectUris],
      requiredRoles: [...app.requiredRoles],
    });
  }

  findApp(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  addTenant(options: FakeTenantOptions): Tenant {
    const tenantId = (options.tenantId ?? guidFrom(`tenant:${options.displayName}:${this.tenants.size}`)).toLowerCase();
    if (!GUID_PATTERN.test(tenantId)) throw new Error(`addTenant: tenantId must be a GUID, got '${options.tenantId}'`);
    if (this.tenants.has(tenantId)) throw new Error(`addTenant: tenant ${tenantId} already exists`);
    const domain = this.uniqueDomainFor(options.displayName);
    const requested = options.users ?? DEFAULT_USER_COUNT;
    const overrides: Partial<FakeUser>[] = typeof requested === 'number' ? new Array(requested).fill({}) : requested;
    const users = overrides.map((override, position) => ({ ...generatedUser(tenantId, domain, position + 1), ...override }));
    const usersByKey = new Map<string, FakeUser>();
    for (const user of users) {
      usersByKey.set(user.id.toLowerCase(), user);
      usersByKey.set(user.userPrincipalName.toLowerCase(), user);
    }
    const tenant: Tenant = { tenantId, displayName: options.displayName, domain, users, consents: new Map(), usersByKey, ...generateRooms(tenantId, domain, options.rooms) };
    this.tenants.set(tenantId, tenant);
    return tenant;
  }

  /** A user who joins the organisation later (a new hire): generated like the others unless overridden. */
  addUser(tenantId: string, override: Partial<FakeUser> = {}): FakeUser {
    const tenant = this.requireTenant(tenantId);
    const user = { ...generatedUser(tenant.tenantId, tenant.domain, tenant.users.length + 1), ...override };
    tenant.users.push(user);
    tenant.usersByKey.set(user.id.toLowerCase(), user);
    tenant.usersByKey.set(user.userPrincipalName.toLowerCase(), user);
    return user;
  }

  /** Looks a tenant up the way the identity platform does: by GUID or by one of its domains. */
  findTenant(idOrDomain: string): Tenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenants.get(key) ?? [...this.tenants.values()].find((tenant) => tenant.domain === key);
  }

  firstTenant(): Tenant | undefined {
    return this.tenants.values().next().value;
  }

  /** By object id or userPrincipalName, case-insensitively, as Graph accepts both in /users/{id}. */
  findUser(tenant: Tenant, idOrUpn: string): FakeUser | undefined {
    return tenant.usersByKey.get(idOrUpn.toLowerCase());
  }

  grantConsent(tenantId: string, clientId: string, roles?: string[]): void {
    const tenant = this.requireTenant(tenantId);
    const app = this.findApp(clientId);
    if (!app) throw new Error(`grantConsent: no app registered with client id ${clientId}`);
    tenant.consents.set(app.clientId.toLowerCase(), [...(roles ?? app.requiredRoles)]);
  }

  revokeConsent(tenantId: string, clientId: string): void {
    this.requireTenant(tenantId).consents.delete(clientId.toLowerCase());
  }

  grantedRoles(tenant: Tenant, clientId: string): string[] | undefined {
    return tenant.consents.get(clientId.toLowerCase());
  }

  private requireTenant(tenantId: string): Tenant {
    const tenant = this.tenants.get(tenantId.toLowerCase());
    if (!tenant) throw new Error(`no tenant ${tenantId}; call addTenant first`);
    return tenant;
  }

  private uniqueDomainFor(displayName: string): string {
    const base = displayName.toLowerCase().replace(/[^a-z0-9]/g, '') || 'tenant';
    const taken = new Set([...this.tenants.values()].map((tenant) => tenant.domain));
    let candidate = `${base}.onmicrosoft.com`;
    for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${base}${suffix}.onmicrosoft.com`;
    return candidate;
  }
}

function generatedUser(tenantId: string, domain: string, number: number): FakeUser {
  const random = new SeededRandom(`${tenantId}:user:${number}`);
  const address = `user${number}@${domain}`;
  return {
    id: guidFrom(`${tenantId}:user:${number}`),
    displayName: `${random.pick(DEMO_NAMES)} ${number}`,
    mail: address,
    userPrincipalName: address,
    jobTitle: random.pick(JOB_TITLES),
    calendarCount: DEFAULT_CALENDAR_COUNT,
    eventsPerDay: DEFAULT_EVENTS_PER_DAY,
  };
}
