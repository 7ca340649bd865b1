import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { ClientMay, fromArgs } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import type { GatewayContext } from '../context';
import { Event } from '../directory/event.types';
import { EventInput, EventPatchInput, EventResponse } from './event-inputs';
import { EventWriteService } from './event-write.service';

/** Client tokens need WRITE_EVENTS; a user-bound one writes only its own user's calendar. */
const WRITER = () => ClientMay(ClientCapability.WRITE_EVENTS, fromArgs('tenantId', 'userId'));

@Authorized()
@Resolver()
export class EventWriteResolver {
  constructor(private readonly events: EventWriteService) {}

  @WRITER()
  @Mutation(() => Event, {
    description:
      "Books an event in the user's default calendar, or in calendarId (needs Calendars.ReadWrite). The same idempotencyKey for the same user returns the same event and never books twice, even when an earlier answer was lost",
  })
  createEvent(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('calendarId', () => ID, { nullable: true }) calendarId: string | null | undefined,
    @Arg('input', () => EventInput) input: EventInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'Up to 255 characters, remembered for 30 days; reused with other input: BAD_USER_INPUT' })
    idempotencyKey: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<Event> {
    return this.events.create(tenantId, { userId, calendarId, input, idempotencyKey }, context);
  }

  @WRITER()
  @Mutation(() => Event, { description: 'Changes only the fields given; an organizer\'s change is sent to the attendees' })
  updateEvent(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('eventId', () => ID) eventId: string,
    @Arg('input', () => EventPatchInput) input: EventPatchInput,
    @Ctx() context: GatewayContext,
  ): Promise<Event> {
    return this.events.update(tenantId, { userId, eventId, input }, context);
  }

  @WRITER()
  @Mutation(() => Boolean, { description: 'The organizer calls the meeting off; attendees are told, with the comment. An attendee declines instead' })
  cancelEvent(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('eventId', () => ID) eventId: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<boolean> {
    return this.events.cancel(tenantId, { userId, eventId, comment }, context);
  }

  @WRITER()
  @Mutation(() => Boolean, { description: "Deletes the event from the user's calendar; deleting a meeting as its organizer cancels it for the attendees" })
  deleteEvent(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('eventId', () => ID) eventId: string,
    @Ctx() context: GatewayContext,
  ): Promise<boolean> {
    return this.events.delete(tenantId, { userId, eventId }, context);
  }

  @WRITER()
  @Mutation(() => Boolean, { description: 'Accepts, tentatively accepts or declines an invitation; sendResponse false answers without telling the organizer' })
  respondToEvent(
    @Arg('tenantId', () => ID) tenantId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('eventId', () => ID) eventId: string,
    @Arg('response', () => EventResponse) response: EventResponse,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Arg('sendResponse', () => Boolean, { defaultValue: true }) sendResponse: boolean,
    @Ctx() context: GatewayContext,
  ): Promise<boolean> {
    return this.events.respond(tenantId, { userId, eventId, response, comment, sendResponse }, context);
  }
}
