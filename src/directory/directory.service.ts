import type { GatewayContext } from '../context';
import { isGuid, validText } from '../validation/input-rules';
import { badInput } from '../errors';
import type { GraphClient } from '../microsoft/graph-client';
import { listUsers, type GraphUser } from '../microsoft/graph-directory';
import { EVENT_PROPERTIES } from '../microsoft/graph-events';
import { MAX_CALENDAR_VIEW_DAYS, MAX_USERS_PAGE } from '../microsoft/graph-limits';
import { graphPermissions, requireGranted } from '../microsoft/graph-permissions';
import { CALENDAR_PROPERTIES } from '../microsoft/graph-resources';
import { graphSelect } from '../microsoft/graph-selection';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import { tenantGraphLoaders } from '../tenants/tenant-graph-loaders';
import { Calendar, User, UserConnection } from './directory.types';
import type { Event } from './event.types';
import { PageCursorCodec } from './page-cursor';
import type { UserPageLoads } from './user-page-loads';

/** A page of users: which one, of which search, and whether to count them all. */
export interface UsersRequest {
  first: number;
  after?: string | null;
  search?: string | null;
  /** totalCount is selected */
  count: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const decoratedCalendars = new WeakMap<readonly object[], Calendar[]>();
const USER_PRINCIPAL_NAME = /^[^\s/\\?#%@]{1,113}@[A-Za-z0-9.-]{1,255}$/;

/** Reads a tenant's users, calendars and events; input is checked before any call to Microsoft. */
export class DirectoryService {
  constructor(
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly cursors: PageCursorCodec,
  ) {}

  /** `loads`: what the query asks of each user, started as soon as the page arrives (see userPageLoads). */
  async users(tenant: TenantEntity, request: UsersRequest, context: GatewayContext, loads?: UserPageLoads): Promise<UserConnection> {
    validPageSize(request.first);
    const search = validSearch(request.search);
    const binding = { list: 'users' as const, search };
    const skipToken = request.after ? this.cursors.decode(tenant.id, binding, request.after) : undefined;
    requireGranted(tenant.grantedScopes, graphPermissions.listUsers);
    const page = await listUsers(this.graph, this.tenants.access(tenant, context), { top: request.first, skipToken, search, count: request.count });
    const nodes = page.users.map((user) => toUser(user, tenant));
    // Only for API keys, which may read every user's calendars: a client token's fields pass the access checker first.
    if (loads && context.caller.kind === 'apiKey') this.startLoads(nodes, loads, context);
    return {
      nodes,
      pageInfo: {
        hasNextPage: page.nextSkipToken !== null,
        endCursor: page.nextSkipToken === null ? null : this.cursors.encode(tenant.id, binding, page.nextSkipToken),
      },
      totalCount: page.totalCount,
    };
  }

  /** The loads land in the DataLoaders, where the field resolvers pick them up; their errors are theirs to report. */
  private startLoads(users: User[], loads: UserPageLoads, context: GatewayContext): void {
    const ignore = () => undefined;
    for (const user of users) {
      for (const fields of loads.calendars) this.calendars(user, fields, context).catch(ignore);
      for (const { start, end, fields } of loads.events) this.events(user, start, end, fields, context).catch(ignore);
    }
  }

  async user(tenant: TenantEntity, id: string, context: GatewayContext): Promise<User | null> {
    validUserId(id);
    requireGranted(tenant.grantedScopes, graphPermissions.readUser);
    const user = await this.loaders(tenant, context).user.load(id);
    return user ? toUser(user, tenant) : null;
  }

  /** `fields`: what the query selects of each calendar, so Graph is asked for those only. */
  async calendars(user: User, fields: ReadonlySet<string>, context: GatewayContext): Promise<Calendar[]> {
    requireGranted(user.tenant.grantedScopes, graphPermissions.readCalendars);
    const calendars = await this.loaders(user.tenant, context).calendars.load({ userId: user.id, select: graphSelect(CALENDAR_PROPERTIES, fields) });
    // A page's loads start early and are asked again by the fields: decorate each loaded list once.
    let decorated = decoratedCalendars.get(calendars);
    if (!decorated) {
      decorated = calendars.map((calendar) => Object.assign(calendar, { userId: user.id, tenant: user.tenant }));
      decoratedCalendars.set(calendars, decorated);
    }
    return decorated;
  }

  /** The default calendar's events in the window; `fields`: what the query selects of each event. */
  async events(user: User, start: Date, end: Date, fields: ReadonlySet<string>, context: GatewayContext): Promise<Event[]> {
    validEventWindow(start, end);
    requireGranted(user.tenant.grantedScopes, graphPermissions.readEvents);
    return this.loaders(user.tenant, context).calendarView.load({ userId: user.id, start, end, select: graphSelect(EVENT_PROPERTIES, fields) });
  }

  /** One calendar's events in the window, batched with every other calendar's and user's of the tick. */
  async calendarEvents(calendar: Calendar, start: Date, end: Date, fields: ReadonlySet<string>, context: GatewayContext): Promise<Event[]> {
    validEventWindow(start, end);
    requireGranted(calendar.tenant.grantedScopes, graphPermissions.readEvents);
    const key = { userId: calendar.userId, calendarId: calendar.id, start, end, select: graphSelect(EVENT_PROPERTIES, fields) };
    return this.loaders(calendar.tenant, context).calendarView.load(key);
  }

  private loaders(tenant: TenantEntity, context: GatewayContext) {
    return tenantGraphLoaders(this.graph, this.tenants, tenant, context);
  }
}

/** Checks run before execution too (see argument-preflight), so bad input never reaches Microsoft. */
export function directoryArgumentChecks(cursors: PageCursorCodec) {
  return {
    'Tenant.users': (args: { first: number; after?: string | null; search?: string | null }) => {
      validPageSize(args.first);
      const search = validSearch(args.search);
      // Which tenant it belongs to is checked when the tenant is known; list and search can be now.
      if (args.after) cursors.decode(null, { list: 'users', search }, args.after);
    },
    'Tenant.user': (args: { id: string }) => validUserId(args.id),
    'User.events': (args: { start: Date; end: Date }) => validEventWindow(args.start, args.end),
    'Calendar.events': (args: { start: Date; end: Date }) => validEventWindow(args.start, args.end),
  };
}

const MAX_SEARCH_LENGTH = 100;

/** A users search: the start of a name, an address or a user principal name. Null or undefined: no search. */
export function validSearch(search: string | null | undefined): string | undefined {
  if (search === null || search === undefined) return undefined;
  if (search.trim() === '') throw badInput('search cannot be empty: give the start of a name or an address, or leave search out to list every user', { field: 'search' });
  const term = validText('search', search, MAX_SEARCH_LENGTH);
  if (/["\\]/.test(term)) throw badInput('search cannot contain double quotes or backslashes (Graph\'s search syntax has no way to escape them): leave them out', { field: 'search' });
  return term;
}

export function validPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_USERS_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_USERS_PAGE} (Graph's page limit); got ${first}. Page with pageInfo.endCursor for more`, { field: 'first' });
  }
}

export function validUserId(id: string, field = 'id'): void {
  if (!isGuid(id) && !USER_PRINCIPAL_NAME.test(id)) {
    throw badInput(`${field} must be a Graph user id (a GUID) or a user principal name such as adele@contoso.com`, { field });
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
