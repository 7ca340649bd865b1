import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../directory/directory.types';
import { FreeBusyStatus } from '../microsoft/graph-event-values';
import type { GraphRoom, GraphRoomList } from '../microsoft/graph-places';
import type { GraphSchedule, GraphScheduleItem, GraphWorkingHours } from '../microsoft/graph-schedules';
import type { TenantEntity } from '../tenants/tenant.entity';
import '../directory/event.types'; // registers FreeBusyStatus

/** GraphQL shapes of free/busy, meeting times and rooms. */

@ObjectType('ScheduleItem', { description: 'A busy (or tentative, away…) period in a schedule, as UTC instants' })
export class ScheduleItem implements GraphScheduleItem {
  @Field() start!: Date;
  @Field() end!: Date;
  @Field(() => FreeBusyStatus) status!: FreeBusyStatus;
  @Field(() => String, { nullable: true, description: 'null for private items' }) subject!: string | null;
  @Field(() => String, { nullable: true }) location!: string | null;
  @Field(() => Boolean, { nullable: true }) isPrivate!: boolean | null;
}

@ObjectType('WorkingHours', { description: "The mailbox owner's working hours, in their own time zone" })
export class WorkingHours implements GraphWorkingHours {
  @Field(() => [String], { description: '"monday" … "sunday"' }) daysOfWeek!: string[];
  @Field({ description: 'Local time of day, "08:00:00"' }) startTime!: string;
  @Field({ description: 'Local time of day, "17:00:00"' }) endTime!: string;
  @Field(() => String, { nullable: true, description: 'As the mailbox names it, usually a Windows name ("Pacific Standard Time")' })
  timeZone!: string | null;
  @Field(() => String, { nullable: true, description: 'The same zone as an IANA name ("America/Los_Angeles"); null for a custom zone' })
  ianaTimeZone!: string | null;
}

@ObjectType('Schedule', { description: "A mailbox's free/busy in a window (a person or a room)" })
export class Schedule implements GraphSchedule {
  @Field() email!: string;
  @Field(() => String, {
    nullable: true,
    description: 'One digit per interval from start: 0 free (or working elsewhere), 1 tentative, 2 busy, 3 out of office, 4 working elsewhere',
  })
  availabilityView!: string | null;
  @Field(() => [ScheduleItem]) items!: ScheduleItem[];
  @Field(() => WorkingHours, { nullable: true }) workingHours!: WorkingHours | null;
  @Field(() => String, { nullable: true, description: 'Why there is no schedule for this address (unknown or external mailbox)' })
  error!: string | null;
}

@ObjectType('MeetingTimeSlot', { description: 'A time when every person asked for is free' })
export class MeetingTimeSlot {
  @Field() start!: Date;
  @Field() end!: Date;
}

@ObjectType('Room', { description: 'A meeting room; its availability: schedules(emails: [emailAddress], …)' })
export class Room implements GraphRoom {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
  @Field() emailAddress!: string;
  @Field(() => Int, { nullable: true }) capacity!: number | null;
  @Field(() => String, { nullable: true }) building!: string | null;
  @Field(() => Int, { nullable: true }) floorNumber!: number | null;
  @Field(() => Boolean, { nullable: true }) isWheelChairAccessible!: boolean | null;
}

@ObjectType('RoomList', { description: 'A group of rooms, usually a building' })
export class RoomList implements GraphRoomList {
  @Field(() => ID) id!: string;
  @Field() displayName!: string;
  @Field() emailAddress!: string;
  /** Not a field: the tenant it was read from, so its rooms batch per tenant. */
  tenant!: TenantEntity;
}

@ObjectType('RoomConnection')
export class RoomConnection {
  @Field(() => [Room]) nodes!: Room[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
