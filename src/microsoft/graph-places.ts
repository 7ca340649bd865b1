import { z } from 'zod';
import { badInput } from '../errors';
import type { GraphClient, TenantAccess } from './graph-client';
import { MAX_PLACES_PAGE, OUTLOOK_PAGE_SIZE } from './graph-limits';
import { readPagesInBatches } from './graph-paged-batch';
import { parsePayload } from './graph-resources';
import { toGatewayError } from './to-gateway-error';

/**
 * The places API (Place.Read.All): the tenant's rooms a page at a time, its room lists, and the
 * rooms of each list (addressed by the list's email). Rooms are mailboxes too: their
 * availability comes from getSchedule with their email, like a person's.
 */

export interface GraphRoom {
  id: string;
  displayName: string;
  emailAddress: string;
  capacity: number | null;
  building: string | null;
  floorNumber: number | null;
  isWheelChairAccessible: boolean | null;
}

export interface GraphRoomList {
  id: string;
  displayName: string;
  emailAddress: string;
}

export const ROOM_SELECT = 'id,displayName,emailAddress,capacity,building,floorNumber,isWheelChairAccessible';
const ROOM_LIST_SELECT = 'id,displayName,emailAddress';

const text = z.string().nullish();
const roomPayload = z.object({
  id: z.string().min(1),
  displayName: text,
  emailAddress: text,
  capacity: z.number().int().nullish(),
  building: text,
  floorNumber: z.number().int().nullish(),
  isWheelChairAccessible: z.boolean().nullish(),
});
const roomListPayload = z.object({ id: z.string().min(1), displayName: text, emailAddress: text });
const roomsPage = z.object({ value: z.array(z.unknown()), '@odata.count': z.number().int().nullish(), '@odata.nextLink': text });

export function toGraphRoom(raw: unknown): GraphRoom {
  const room = parsePayload(roomPayload, raw, 'a room');
  return {
    id: room.id,
    displayName: room.displayName ?? '',
    emailAddress: room.emailAddress ?? '',
    capacity: room.capacity ?? null,
    building: room.building ?? null,
    floorNumber: room.floorNumber ?? null,
    isWheelChairAccessible: room.isWheelChairAccessible ?? null,
  };
}

function toGraphRoomList(raw: unknown): GraphRoomList {
  const list = parsePayload(roomListPayload, raw, 'a room list');
  return { id: list.id, displayName: list.displayName ?? '', emailAddress: list.emailAddress ?? '' };
}

/**
 * One page of the tenant's rooms. Places page with `$skip`; the next offset is counted here
 * rather than read from a nextLink, and `$count` says whether there is more, because Graph has
 * been seen to leave the nextLink out of a places page that has a next one.
 */
export async function listRooms(graph: GraphClient, access: TenantAccess, page: { top: number; skip: number }): Promise<{ rooms: GraphRoom[]; nextSkip: number | null }> {
  if (!Number.isInteger(page.top) || page.top < 1 || page.top > MAX_PLACES_PAGE) {
    throw badInput(`The page size must be between 1 and ${MAX_PLACES_PAGE}; got ${page.top}`);
  }
  const skip = page.skip > 0 ? `&$skip=${page.skip}` : '';
  try {
    const answer = parsePayload(roomsPage, await graph.get(access, `/places/microsoft.graph.room?$select=${ROOM_SELECT}&$top=${page.top}${skip}&$count=true`), 'a page of rooms');
    const rooms = answer.value.map(toGraphRoom);
    const next = page.skip + rooms.length;
    const more = typeof answer['@odata.count'] === 'number' ? next < answer['@odata.count'] : Boolean(answer['@odata.nextLink']);
    return { rooms, nextSkip: more && rooms.length > 0 ? next : null };
  } catch (error) {
    throw toGatewayError(error);
  }
}

/** Every room list of the tenant. */
export async function listRoomLists(graph: GraphClient, access: TenantAccess): Promise<GraphRoomList[]> {
  const route = 'GET /places/microsoft.graph.roomList';
  try {
    const url = `/places/microsoft.graph.roomList?$select=${ROOM_LIST_SELECT}&$top=${OUTLOOK_PAGE_SIZE}`;
    const result = (await readPagesInBatches(graph, access, [{ key: 'lists', url, route }])).get('lists')!;
    if ('error' in result) throw result.error;
    return result.items.map(toGraphRoomList);
  } catch (error) {
    throw toGatewayError(error);
  }
}
