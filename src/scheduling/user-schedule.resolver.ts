import { ClientMay, ofUser } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { User } from '../directory/directory.types';
import { windowWeeks } from '../schema/field-costs';
import { SchedulingService } from './scheduling.service';
import { Schedule } from './scheduling.types';

@Authorized()
@Resolver(() => User)
export class UserScheduleResolver {
  constructor(private readonly scheduling: SchedulingService) {}

  @ClientMay(ClientCapability.READ_SCHEDULES, ofUser)
  @FieldResolver(() => Schedule, {
    nullable: true,
    description: "The user's free/busy in a window under 62 days; null with a field error when Graph refuses it",
    complexity: ({ args, childComplexity }) => 2 + windowWeeks(args) * childComplexity,
  })
  schedule(
    @Root() user: User,
    @Arg('start', () => Date) start: Date,
    @Arg('end', () => Date) end: Date,
    @Arg('intervalMinutes', () => Int, { defaultValue: 30, description: 'Minutes per digit of availabilityView, 5..1440' }) intervalMinutes: number,
    @Ctx() context: GatewayContext,
  ): Promise<Schedule> {
    return this.scheduling.userSchedule(user, { start, end, intervalMinutes }, context);
  }
}
