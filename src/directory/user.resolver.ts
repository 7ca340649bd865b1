import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { ClientMay, ofUser } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import type { GatewayContext } from '../context';
import { windowWeeks } from '../schema/field-costs';
import { selectedFieldNames } from '../schema/selected-fields';
import { DirectoryService } from './directory.service';
import { Calendar, User } from './directory.types';
import { Event } from './event.types';

@Authorized()
@Resolver(() => User)
export class UserResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ClientMay(ClientCapability.READ_CALENDARS, ofUser)
  @FieldResolver(() => [Calendar], {
    nullable: true,
    description: 'null with a field error when Graph refuses this one user',
    complexity: ({ childComplexity }) => 2 + childComplexity,
  })
  calendars(@Root() user: User, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo): Promise<Calendar[]> {
    return this.directory.calendars(user, selectedFieldNames(info), context);
  }

  @ClientMay(ClientCapability.READ_CALENDARS, ofUser)
  @FieldResolver(() => [Event], {
    nullable: true,
    description: "The default calendar's view of that window (at most 1825 days), in UTC",
    // A week of events costs about one page of children; longer windows cost proportionally more.
    complexity: ({ args, childComplexity }) => 2 + windowWeeks(args) * childComplexity,
  })
  events(
    @Root() user: User,
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Event[]> {
    return this.directory.events(user, start, end, selectedFieldNames(info), context);
  }
}
