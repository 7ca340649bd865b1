import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { GraphAttendee, GraphEvent } from '../microsoft/graph-events';
import { AttendeeType, EventType, FreeBusyStatus, ResponseStatus, Sensitivity } from '../microsoft/graph-event-values';
import { EmailAddress } from './directory.types';

/** GraphQL shapes of calendar events, shared by every read (and write) of an event. */

registerEnumType(FreeBusyStatus, { name: 'FreeBusyStatus', description: "How an event shows in its owner's free/busy (Graph's showAs)" });
registerEnumType(AttendeeType, { name: 'AttendeeType' });
registerEnumType(ResponseStatus, { name: 'ResponseStatus', description: "An attendee's answer to the invitation" });
registerEnumType(EventType, { name: 'EventType', description: 'A single event, or an occurrence, a moved occurrence (exception) or the master of a recurring series' });
registerEnumType(Sensitivity, { name: 'Sensitivity' });

export const EventWarningCode = { ONLINE_MEETING_NOT_CREATED: 'ONLINE_MEETING_NOT_CREATED' } as const;
export type EventWarningCode = (typeof EventWarningCode)[keyof typeof EventWarningCode];
registerEnumType(EventWarningCode, {
  name: 'EventWarningCode',
  valuesConfig: { ONLINE_MEETING_NOT_CREATED: { description: "A Teams meeting was asked for, and Microsoft saved the event without one (the mailbox's organisation allows no online-meeting provider for it)" } },
});

/** Something a write asked for that Microsoft silently did not do. */
@ObjectType('EventWarning')
export class EventWarning {
  @Field(() => EventWarningCode) code!: EventWarningCode;
  @Field() message!: string;
}

@ObjectType('Attendee')
export class Attendee implements GraphAttendee {
  @Field(() => EmailAddress) emailAddress!: EmailAddress;
  @Field(() => AttendeeType) type!: AttendeeType;
  @Field(() => ResponseStatus) response!: ResponseStatus;
}

/**
 * Every field but id is read from Graph only when the query selects it (see graph-events'
 * property table), so a value is absent exactly when nobody asked for it.
 */
@ObjectType('Event', { description: 'An event or an occurrence of a recurring series in a calendar, times as UTC instants' })
export class Event implements GraphEvent {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) subject?: string | null;
  @Field(() => Date) start?: Date;
  @Field(() => Date) end?: Date;
  @Field(() => Boolean) isAllDay?: boolean;
  @Field(() => String, { nullable: true, description: "Graph's showAs as it spells it (busy, workingElsewhere…); see freeBusyStatus" })
  showAs?: string | null;
  @Field(() => FreeBusyStatus) freeBusyStatus?: FreeBusyStatus;
  @Field(() => EmailAddress, { nullable: true }) organizer?: EmailAddress | null;
  @Field(() => [Attendee]) attendees?: Attendee[];
  @Field(() => String, { nullable: true, description: "The location's display name" }) location?: string | null;
  @Field(() => Boolean) isOnlineMeeting?: boolean;
  @Field(() => String, { nullable: true, description: "The online meeting's join URL" }) onlineMeetingUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'The start of the body as plain text (not with Calendars.ReadBasic.All)' })
  bodyPreview?: string | null;
  @Field(() => Sensitivity, { nullable: true }) sensitivity?: Sensitivity | null;
  @Field(() => Boolean) isCancelled?: boolean;
  @Field(() => EventType) type?: EventType;
  @Field(() => ID, { nullable: true, description: 'For an occurrence or exception: the id of its series master' })
  seriesMasterId?: string | null;
  @Field(() => String, { nullable: true, description: 'The same for every copy of a meeting (organizer and attendees)' })
  iCalUId?: string | null;
  @Field(() => String, { nullable: true, description: 'Opens the event in Outlook on the web' }) webLink?: string | null;
  @Field(() => [String]) categories?: string[];
  @Field(() => Date, { nullable: true }) createdAt?: Date | null;
  @Field(() => Date, { nullable: true }) lastModifiedAt?: Date | null;
  @Field(() => [EventWarning], { nullable: true, description: 'On the answer of a write: what Microsoft did not do of what was asked (empty when it did all). null on reads' })
  warnings?: EventWarning[] | null;
}
