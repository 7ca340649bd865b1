import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ClientMay, ofUser } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import type { GatewayContext } from '../context';
import { DirectoryService } from './directory.service';
import { Calendar, Event, User } from './directory.types';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

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
  calendars(@Root() user: User, @Ctx() context: GatewayContext): Promise<Calendar[]> {
    return this.directory.calendars(user, context);
  }

  @ClientMay(ClientCapability.READ_CALENDARS, ofUser)
  @FieldResolver(() => [Event], {
    nullable: true,
    description: "The default calendar's view of that window (at most 1825 days), in UTC",
    // A week of events costs about one page of children; longer windows cost proportionally more.
    complexity: ({ args, childComplexity }) => {
      const span = new Date(args.end).getTime() - new Date(args.start).getTime();
      return 2 + Math.max(1, Math.ceil((Number.isFinite(span) ? span : 0) / WEEK_MS)) * childComplexity;
    },
  })
  events(
    @Root() user: User,
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Ctx() context: GatewayContext,
  ): Promise<Event[]> {
    return this.directory.events(user, start, end, context);
  }
}
