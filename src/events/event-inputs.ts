import { Field, InputType, registerEnumType } from 'type-graphql';
import { EventBodyType, type EventAttendeeFields, type EventFields } from '../microsoft/graph-event-body';
import { AttendeeType, FreeBusyStatus, Sensitivity } from '../microsoft/graph-event-values';

/** GraphQL inputs of the event writes. Their rules are in event-arguments.ts, checked before execution. */

export const EventResponse = { ACCEPT: 'ACCEPT', TENTATIVE: 'TENTATIVE', DECLINE: 'DECLINE' } as const;
export type EventResponse = (typeof EventResponse)[keyof typeof EventResponse];

registerEnumType(EventResponse, { name: 'EventResponse', description: "An attendee's answer to an invitation" });
registerEnumType(EventBodyType, { name: 'EventBodyType', description: 'How Outlook shows the body: as plain text or as HTML' });

@InputType('AttendeeInput', { description: 'A person, or a room as a RESOURCE' })
export class AttendeeInput implements EventAttendeeFields {
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => AttendeeType, { nullable: true, defaultValue: AttendeeType.REQUIRED }) type?: AttendeeType | null;
}

const TIME_ZONE = 'IANA (Europe/Paris) or Windows (Romance Standard Time) name; the event keeps this zone, and start and end are sent as wall clocks in it. Default UTC';

@InputType('EventInput', { description: 'A new event; start and end are instants (any offset)' })
export class EventInput implements EventFields {
  @Field(() => String, { description: '1 to 255 characters' }) subject!: string;
  @Field(() => Date) start!: Date;
  @Field(() => Date, { description: 'After start' }) end!: Date;
  @Field(() => String, { nullable: true, description: TIME_ZONE }) timeZone?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'start and end are then midnights in timeZone' }) isAllDay?: boolean | null;
  @Field(() => String, { nullable: true, description: 'At most 512 KiB (UTF-8)' }) body?: string | null;
  @Field(() => EventBodyType, { nullable: true, description: 'Default TEXT' }) bodyType?: EventBodyType | null;
  @Field(() => String, { nullable: true, description: "The location's display name" }) location?: string | null;
  @Field(() => [AttendeeInput], { nullable: true, description: 'At most 500' }) attendees?: AttendeeInput[] | null;
  @Field(() => Boolean, { nullable: true, description: 'A Teams meeting; see Event.warnings for when the mailbox allows none' }) isOnlineMeeting?: boolean | null;
  @Field(() => FreeBusyStatus, { nullable: true, description: "How the event shows in the user's free/busy (default BUSY)" }) freeBusyStatus?: FreeBusyStatus | null;
  @Field(() => Sensitivity, { nullable: true }) sensitivity?: Sensitivity | null;
  @Field(() => Boolean, { nullable: true }) allowNewTimeProposals?: boolean | null;
}

@InputType('EventPatchInput', { description: 'Only the fields given change; null clears body, location and attendees' })
export class EventPatchInput implements EventFields {
  @Field(() => String, { nullable: true }) subject?: string | null;
  @Field(() => Date, { nullable: true }) start?: Date | null;
  @Field(() => Date, { nullable: true }) end?: Date | null;
  @Field(() => String, { nullable: true, description: `${TIME_ZONE}; given only with start or end` }) timeZone?: string | null;
  @Field(() => Boolean, { nullable: true }) isAllDay?: boolean | null;
  @Field(() => String, { nullable: true }) body?: string | null;
  @Field(() => EventBodyType, { nullable: true }) bodyType?: EventBodyType | null;
  @Field(() => String, { nullable: true }) location?: string | null;
  @Field(() => [AttendeeInput], { nullable: true, description: 'Replaces the whole list' }) attendees?: AttendeeInput[] | null;
  @Field(() => Boolean, { nullable: true }) isOnlineMeeting?: boolean | null;
  @Field(() => FreeBusyStatus, { nullable: true }) freeBusyStatus?: FreeBusyStatus | null;
  @Field(() => Sensitivity, { nullable: true }) sensitivity?: Sensitivity | null;
  @Field(() => Boolean, { nullable: true }) allowNewTimeProposals?: boolean | null;
}
