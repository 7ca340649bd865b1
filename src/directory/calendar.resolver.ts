import { ClientMay, ofCalendar } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { windowWeeks } from '../schema/field-costs';
import { selectedFieldNames } from '../schema/selected-fields';
import { DirectoryService } from './directory.service';
import { Calendar } from './directory.types';
import { Event } from './event.types';

@Authorized()
@Resolver(() => Calendar)
export class CalendarResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ClientMay(ClientCapability.READ_CALENDARS, ofCalendar)
  @FieldResolver(() => [Event], {
    nullable: true,
    description: "This calendar's view of that window (at most 1825 days), in UTC; null with a field error when Graph refuses it",
    complexity: ({ args, childComplexity }) => 2 + windowWeeks(args) * childComplexity,
  })
  events(
    @Root() calendar: Calendar,
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Event[]> {
    return this.directory.calendarEvents(calendar, start, end, selectedFieldNames(info), context);
  }
}
