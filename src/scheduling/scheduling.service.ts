import type { GatewayContext } from '../context';
import type { User } from '../directory/directory.types';
import type { PageCursorCodec } from '../directory/page-cursor';
import { GatewayError, badInput } from '../errors';
import type { GraphClient } from '../microsoft/graph-client';
import { FreeBusyStatus } from '../microsoft/graph-event-values';
import { graphPermissions, requireGranted } from '../microsoft/graph-permissions';
import { listRoomLists, listRooms } from '../microsoft/graph-places';
import type { GraphSchedule } from '../microsoft/graph-schedules';
import type { TenantEntity } from '../tenants/tenant.entity';
import type { TenantService } from '../tenants/tenant.service';
import { tenantGraphLoaders } from '../tenants/tenant-graph-loaders';
import { findMeetingTimes, type Availability } from './meeting-time-search';
import { validEmails, validMeetingTimes, validRoomsPage, validScheduleWindow, type MeetingTimesArgs, type ScheduleWindowArgs } from './scheduling-arguments';
import type { MeetingTimeSlot, Room, RoomConnection, RoomList, Schedule } from './scheduling.types';
import { workingIntervals } from './working-time';

/** The contract's rule: working elsewhere still counts as free for a meeting. */
const FREE_STATUSES: ReadonlySet<FreeBusyStatus> = new Set([FreeBusyStatus.FREE, FreeBusyStatus.WORKING_ELSEWHERE]);
const MINUTE_MS = 60_000;

/** Free/busy, meeting times and rooms of a tenant; input is checked before any call to Microsoft. */
export class SchedulingService {
  constructor(
    private readonly tenants: TenantService,
    private readonly graph: GraphClient,
    private readonly cursors: PageCursorCodec,
  ) {}

  /** The schedules of these addresses (people or rooms), in their order; an unknown address has its `error`. */
  async schedules(tenant: TenantEntity, emails: string[], window: ScheduleWindowArgs, context: GatewayContext): Promise<Schedule[]> {
    validEmails(emails);
    validScheduleWindow(window);
    requireGranted(tenant.grantedScopes, graphPermissions.readSchedules);
    const loader = tenantGraphLoaders(this.graph, this.tenants, tenant, context).schedule;
    const schedules = await loader.loadMany(emails.map((email) => ({ email: email.trim(), host: email.trim(), ...windowOf(window) })));
    const failed = schedules.find((schedule) => schedule instanceof Error);
    if (failed) throw failed;
    return schedules as GraphSchedule[];
  }

  /** A user's schedule, asked in the same getSchedule calls as every other user's of the page. */
  async userSchedule(user: User, window: ScheduleWindowArgs, context: GatewayContext): Promise<Schedule> {
    validScheduleWindow(window);
    requireGranted(user.tenant.grantedScopes, graphPermissions.readSchedules);
    const email = user.mail ?? user.userPrincipalName;
    if (!email) throw new GatewayError('NOT_FOUND', `User ${user.id} has no mail address or user principal name to ask Microsoft for a schedule with.`);
    return tenantGraphLoaders(this.graph, this.tenants, user.tenant, context).schedule.load({ email, host: user.id, ...windowOf(window) });
  }

  /**
   * Slots where every listed person (or room) is free for the whole meeting, inside each one's
   * working hours in their own time zone when asked: computed from their schedules, exactly.
   */
  async meetingTimes(tenant: TenantEntity, args: MeetingTimesArgs, context: GatewayContext): Promise<MeetingTimeSlot[]> {
    validMeetingTimes(args);
    const emails = [...new Map(args.emails.map((email) => [email.trim().toLowerCase(), email.trim()])).values()];
    const schedules = await this.schedules(tenant, emails, args, context);
    const unknown = schedules.filter((schedule) => schedule.error !== null);
    if (unknown.length > 0) {
      throw badInput(
        `Microsoft has no free/busy for ${unknown.map((schedule) => schedule.email).join(', ')} (${unknown[0]!.error}); leave ${unknown.length === 1 ? 'it' : 'them'} out of emails to search the others' times`,
        { field: 'emails', emails: unknown.map((schedule) => schedule.email) },
      );
    }
    const window = { startMs: args.start.getTime(), endMs: args.end.getTime() };
    const people = schedules.map((schedule) => availabilityOf(schedule, window, args.workingHoursOnly));
    const slots = findMeetingTimes(people, { ...window, durationMs: args.durationMinutes * MINUTE_MS, stepMs: args.intervalMinutes * MINUTE_MS, first: args.first });
    return slots.map((slot) => ({ start: new Date(slot.startMs), end: new Date(slot.endMs) }));
  }

  async rooms(tenant: TenantEntity, first: number, after: string | null | undefined, context: GatewayContext): Promise<RoomConnection> {
    validRoomsPage(first);
    const skip = after ? Number(this.cursors.decode(tenant.id, { list: 'rooms' }, after)) : 0;
    requireGranted(tenant.grantedScopes, graphPermissions.readPlaces);
    const page = await listRooms(this.graph, this.tenants.access(tenant, context), { top: first, skip: Number.isSafeInteger(skip) && skip > 0 ? skip : 0 });
    return {
      nodes: page.rooms,
      pageInfo: {
        hasNextPage: page.nextSkip !== null,
        endCursor: page.nextSkip === null ? null : this.cursors.encode(tenant.id, { list: 'rooms' }, String(page.nextSkip)),
      },
    };
  }

  async roomLists(tenant: TenantEntity, context: GatewayContext): Promise<RoomList[]> {
    requireGranted(tenant.grantedScopes, graphPermissions.readPlaces);
    const lists = await listRoomLists(this.graph, this.tenants.access(tenant, context));
    return lists.map((list) => ({ ...list, tenant }));
  }

  /** The rooms of a list, read in the same `$batch` calls as every other list's of the query. */
  roomsOf(list: RoomList, context: GatewayContext): Promise<Room[]> {
    return tenantGraphLoaders(this.graph, this.tenants, list.tenant, context).roomsOfList.load(list.emailAddress);
  }
}

function windowOf(window: ScheduleWindowArgs): ScheduleWindowArgs {
  return { start: window.start, end: window.end, intervalMinutes: window.intervalMinutes };
}

/** A schedule as the search needs it: when the person is busy, and when they may meet. */
function availabilityOf(schedule: GraphSchedule, window: { startMs: number; endMs: number }, workingHoursOnly: boolean): Availability {
  const busy = schedule.items
    .filter((item) => !FREE_STATUSES.has(item.status))
    .map((item) => ({ startMs: item.start.getTime(), endMs: item.end.getTime() }));
  const hours = schedule.workingHours;
  if (!workingHoursOnly || hours === null) return { busy, open: null };
  if (hours.ianaTimeZone === null) {
    throw new GatewayError(
      'UPSTREAM_ERROR',
      `The working hours of ${schedule.email} are in a time zone the gateway cannot read ("${hours.timeZone ?? 'none'}"); search with workingHoursOnly: false, or have the user pick a standard zone in Outlook.`,
    );
  }
  return { busy, open: workingIntervals({ ...hours, ianaTimeZone: hours.ianaTimeZone }, window) };
}
