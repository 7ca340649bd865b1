import { ClientMay, ofRoomList } from '../access/access-rules';
import { ClientCapability } from '../access/caller';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { SchedulingService } from './scheduling.service';
import { Room, RoomList } from './scheduling.types';

/** Room lists and rooms per list a query is costed for: the places API says nothing of their number beforehand. */
export const ESTIMATED_ROOM_LISTS = 20;
const ESTIMATED_ROOMS_PER_LIST = 20;

@Authorized()
@Resolver(() => RoomList)
export class RoomListResolver {
  constructor(private readonly scheduling: SchedulingService) {}

  @ClientMay(ClientCapability.READ_SCHEDULES, ofRoomList)
  @FieldResolver(() => [Room], {
    description: 'The rooms of this list',
    complexity: ({ childComplexity }) => 1 + ESTIMATED_ROOMS_PER_LIST * childComplexity,
  })
  rooms(@Root() list: RoomList, @Ctx() context: GatewayContext): Promise<Room[]> {
    return this.scheduling.roomsOf(list, context);
  }
}
