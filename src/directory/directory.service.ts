import type { GatewayContext } from '../context';
import { isGuid } from '../validation/input-rules';
import { badInput } from '../errors';
import type { GraphClient } from '../microsoft/graph-client';
import { listUsers, type GraphUser } from '../microsoft/graph-directory';
import { MAX_CALENDAR_VIEW_DAYS, MAX_USERS_PAGE } from '../microsoft/graph-limits';
import { graphPermissions, requireGranted } from '../microsoft/graph-permissions';
import { createGraphLoaders, type GraphLoaders } from '../microsoft/graph-loaders';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import { Calendar, Event, User, UserConnection } from './directory.types';
import { UserCursorCodec } from './user-cursor';

const DAY_MS = 24 * 60 * 60 * 1000;
const USER_PRINCIPAL_NAME = /^[^\s/\\?#%@]{1,113}@[A-Za-z0-9.-]{1,255}$/;

/** Reads a tenant's users, calendars and events; input is checked before any call to Microsoft. */
export class DirectoryService {
  constructor(
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly cursors: UserCursorCodec,
  ) {}

  async users(tenant: TenantEntity, first: number, after: string | null | undefined, context: GatewayContext): Promise<UserConnection> {
    validPageSize(first);
    const skipToken = after ? this.cursors.decode(tenant.id, after) : undefined;
    requireGranted(tenant.grantedScopes, graphPermissions.listUsers);
    const page = await listUsers(this.graph, this.tenants.access(tenant, context), { top: first, skipToken });
    return {
      nodes: page.users.map((user) => toUser(user, tenant)),
      pageInfo: {
        hasNextPage: page.nextSkipToken !== null,
        endCursor: page.nextSkipToken === null ? null : this.cursors.encode(tenant.id, page.nextSkipToken),
      },
    };
  }

  async user(tenant: TenantEntity, id: string, context: GatewayContext): Promise<User | null> {
    validUserId(id);
    requireGranted(tenant.grantedScopes, graphPermissions.readUser);
    const user = await this.loaders(tenant, context).user.load(id);
    return user ? toUser(user, tenant) : null;
  }

  async calendars(user: User, context: GatewayContext): Promise<Calendar[]> {
    requireGranted(user.tenant.grantedScopes, graphPermissions.readCalendars);
    return this.loaders(user.tenant, context).calendars.load(user.id);
  }

  async events(user: User, start: Date, end: Date, context: GatewayContext): Promise<Event[]> {
    validEventWindow(start, end);
    requireGranted(user.tenant.grantedScopes, graphPermissions.readEvents);
    return this.loaders(user.tenant, context).calendarView.load({ userId: user.id, start, end });
  }

  /** One set of loaders per tenant per GraphQL request, so sibling fields share $batch calls. */
  private loaders(tenant: TenantEntity, context: GatewayContext): GraphLoaders {
    let loaders = context.graphLoaders.get(tenant.id);
    if (!loaders) {
      loaders = createGraphLoaders(this.graph, this.tenants.access(tenant, context));
      context.graphLoaders.set(tenant.id, loaders);
    }
    return loaders;
  }
}

/** Checks run before execution too (see argument-preflight), so bad input never reaches Microsoft. */
export const directoryArgumentChecks = {
  'Tenant.users': (args: { first: number }) => validPageSize(args.first),
  'Tenant.user': (args: { id: string }) => validUserId(args.id),
  'User.events': (args: { start: Date; end: Date }) => validEventWindow(args.start, args.end),
};

export function validPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_USERS_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_USERS_PAGE} (Graph's page limit); got ${first}. Page with pageInfo.endCursor for more`, { field: 'first' });
  }
}

export function validUserId(id: string): void {
  if (!isGuid(id) && !USER_PRINCIPAL_NAME.test(id)) {
    throw badInput('id must be a Graph user id (a GUID) or a user principal name such as adele@contoso.com', { field: 'id' });
  }
}

export function validEventWindow(start: Date, end: Date): void {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw badInput('start and end must be ISO 8601 date-times');
  if (end <= start) throw badInput('end must be after start (the window is inverted or empty)', { field: 'end' });
  if (end.getTime() - start.getTime() > MAX_CALENDAR_VIEW_DAYS * DAY_MS) {
    throw badInput(`The event window is longer than Graph accepts (${MAX_CALENDAR_VIEW_DAYS} days); ask for a shorter window`, { field: 'end' });
  }
}

function toUser(user: GraphUser, tenant: TenantEntity): User {
  return Object.assign(new User(), user, { tenant });
}
