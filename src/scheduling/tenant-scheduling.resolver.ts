import { ClientMay, ofTenant } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { listLength, windowWeeks } from '../schema/field-costs';
import { TenantEntity } from '../tenants/tenant.entity';
import { ESTIMATED_ROOM_LISTS } from './room-list.resolver';
import { MAX_MEETING_TIMES } from './scheduling-arguments';
import { SchedulingService } from './scheduling.service';
import { MeetingTimeSlot, RoomConnection, RoomList, Schedule } from './scheduling.types';

/** What the cost counts for the gateway's own work per mailbox and week of a meeting-time search. */
const MEETING_TIME_WORK = 5;

@Authorized()
@Resolver(() => TenantEntity)
export class TenantSchedulingResolver {
  constructor(private readonly scheduling: SchedulingService) {}

  @ClientMay(ClientCapability.READ_SCHEDULES, ofTenant)
  @FieldResolver(() => [Schedule], {
    nullable: true,
    description: 'Free/busy of 1..100 people or rooms by email, a window under 62 days; an unknown address has its error. null with an error when Microsoft refuses this tenant',
    complexity: ({ args, childComplexity }) => 1 + listLength(args.emails) * (1 + windowWeeks(args) * childComplexity),
  })
  schedules(
    @Root() tenant: TenantEntity,
    @Arg('emails', () => [String]) emails: string[],
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Arg('intervalMinutes', () => Int, { defaultValue: 30, description: 'Minutes per digit of availabilityView, 5..1440' }) intervalMinutes: number,
    @Ctx() context: GatewayContext,
  ): Promise<Schedule[]> {
    return this.scheduling.schedules(tenant, emails, { start, end, intervalMinutes }, context);
  }

  @ClientMay(ClientCapability.READ_SCHEDULES, ofTenant)
  @FieldResolver(() => [MeetingTimeSlot], {
    nullable: true,
    description:
      'Times when every listed person (or room) is free for durationMinutes, sorted by start, starting every intervalMinutes from start; inside each one\'s working hours, in their own time zone, unless workingHoursOnly is false',
    complexity: ({ args, childComplexity }) => 1 + listLength(args.emails) * windowWeeks(args) * MEETING_TIME_WORK + (Number(args.first) || 10) * childComplexity,
  })
  meetingTimes(
    @Root() tenant: TenantEntity,
    @Arg('emails', () => [String]) emails: string[],
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Arg('durationMinutes', () => Int) durationMinutes: number,
    @Arg('workingHoursOnly', () => Boolean, { defaultValue: true }) workingHoursOnly: boolean,
    @Arg('first', () => Int, { defaultValue: 10, description: `At most this many slots, 1..${MAX_MEETING_TIMES}` }) first: number,
    @Arg('intervalMinutes', () => Int, { defaultValue: 30, description: 'Minutes between the starts of two candidate slots, 5..1440' }) intervalMinutes: number,
    @Ctx() context: GatewayContext,
  ): Promise<MeetingTimeSlot[]> {
    return this.scheduling.meetingTimes(tenant, { emails, start, end, durationMinutes, workingHoursOnly, first, intervalMinutes }, context);
  }

  @ClientMay(ClientCapability.READ_SCHEDULES, ofTenant)
  @FieldResolver(() => RoomConnection, {
    nullable: true,
    description: "The organisation's rooms, a page at a time (Place.Read.All); null with an error when Microsoft refuses this tenant",
    complexity: ({ args, childComplexity }) => 1 + (Number(args.first) || 100) * Math.max(1, childComplexity - 1),
  })
  rooms(
    @Root() tenant: TenantEntity,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<RoomConnection> {
    return this.scheduling.rooms(tenant, first, after, context);
  }

  @ClientMay(ClientCapability.READ_SCHEDULES, ofTenant)
  @FieldResolver(() => [RoomList], {
    nullable: true,
    description: "The organisation's room lists (Place.Read.All); null with an error when Microsoft refuses this tenant",
    complexity: ({ childComplexity }) => 1 + ESTIMATED_ROOM_LISTS * childComplexity,
  })
  roomLists(@Root() tenant: TenantEntity, @Ctx() context: GatewayContext): Promise<RoomList[]> {
    return this.scheduling.roomLists(tenant, context);
  }
}
