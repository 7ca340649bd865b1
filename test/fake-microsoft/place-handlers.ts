import { graphBaseUrl, type FakeContext } from './context';
import { GraphError, nextLink, pagingNumber, project, selectedProperties, type GraphRequest, type GraphResult } from './graph-envelope';
import { requireRole } from './graph-permissions';
import { accessDenied, unknownProperty } from './mailbox-access';
import type { FakeRoom, FakeRoomList } from './rooms';

/**
 * The places API (api-reference/v1.0/api/place-list.md): rooms, room lists, the rooms of a list
 * (addressed by the list's email, not its id). Place.Read.All; 100 per page by default, $top and
 * $skip, $count=true.
 */

const PLACE_ROLES = ['Place.Read.All', 'Place.ReadWrite.All'];
const DEFAULT_PLACES_PAGE = 100;
const ROOM_PROPERTIES = [
  'id', 'displayName', 'address', 'geoCoordinates', 'phone', 'nickname', 'emailAddress', 'building', 'floorNumber', 'floorLabel', 'label', 'capacity',
  'bookingType', 'audioDeviceName', 'videoDeviceName', 'displayDeviceName', 'isWheelChairAccessible', 'tags', 'parentId',
];
const ROOM_LIST_PROPERTIES = ['id', 'displayName', 'address', 'geoCoordinates', 'phone', 'emailAddress'];
const ADDRESS = { street: '4567 Main Street', city: 'Buffalo', state: 'NY', postalCode: '98052', countryOrRegion: 'USA' };

export function listRooms(context: FakeContext, request: GraphRequest): GraphResult {
  requireRole(request, PLACE_ROLES, accessDenied);
  return placesPage(context, request, request.tenant.rooms.map(roomResource), ROOM_PROPERTIES, 'room', 'places/microsoft.graph.room');
}

export function listRoomLists(context: FakeContext, request: GraphRequest): GraphResult {
  requireRole(request, PLACE_ROLES, accessDenied);
  return placesPage(context, request, request.tenant.roomLists.map(roomListResource), ROOM_LIST_PROPERTIES, 'roomList', 'places/microsoft.graph.roomList');
}

export function listRoomsOfList(context: FakeContext, request: GraphRequest, listEmail: string): GraphResult {
  requireRole(request, PLACE_ROLES, accessDenied);
  const list = request.tenant.roomLists.find((candidate) => candidate.emailAddress.toLowerCase() === listEmail.toLowerCase());
  // Not documented: an address that is no room list; Exchange answers its usual not-found.
  if (!list) throw new GraphError(404, 'ErrorItemNotFound', `The room list '${listEmail}' was not found.`);
  const rooms = request.tenant.rooms.filter((room) => list.roomEmails.includes(room.emailAddress));
  return placesPage(context, request, rooms.map(roomResource), ROOM_PROPERTIES, 'room', `places('${encodeURIComponent(list.emailAddress)}')/microsoft.graph.roomList/rooms`);
}

function placesPage(context: FakeContext, request: GraphRequest, all: Record<string, unknown>[], known: string[], typeName: string, contextPath: string): GraphResult {
  const invalid = (name: string) => (raw: string) => new GraphError(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  const top = pagingNumber(request.query, '$top', DEFAULT_PLACES_PAGE, 1, 1000, invalid('$top'));
  const skip = pagingNumber(request.query, '$skip', 0, 0, Number.MAX_SAFE_INTEGER, invalid('$skip'));
  const selected = selectedProperties(request.query, known, unknownProperty(typeName));
  const graphBase = graphBaseUrl(context);
  return {
    status: 200,
    body: {
      '@odata.context': `${graphBase}/$metadata#${contextPath}${selected ? `(${selected.join(',')})` : ''}`,
      ...(request.query.get('$count')?.toLowerCase() === 'true' ? { '@odata.count': all.length } : {}),
      ...(skip + top < all.length ? { '@odata.nextLink': nextLink(graphBase, request.path, request.rawQuery, '$skip', skip + top) } : {}),
      value: all.slice(skip, skip + top).map((place) => project(place, selected, ['id'])),
    },
  };
}

function roomResource(room: FakeRoom): Record<string, unknown> {
  return {
    id: room.id,
    emailAddress: room.emailAddress,
    displayName: room.displayName,
    address: ADDRESS,
    geoCoordinates: null,
    phone: null,
    nickname: room.displayName,
    label: room.floorLabel,
    capacity: room.capacity,
    building: room.building,
    floorLabel: room.floorLabel,
    floorNumber: room.floorNumber,
    isWheelChairAccessible: room.isWheelChairAccessible,
    bookingType: room.bookingType,
    tags: room.tags,
    audioDeviceName: room.audioDeviceName,
    videoDeviceName: room.videoDeviceName,
    displayDeviceName: room.displayDeviceName,
  };
}

function roomListResource(list: FakeRoomList): Record<string, unknown> {
  return { id: list.id, displayName: list.displayName, address: ADDRESS, geoCoordinates: null, phone: null, emailAddress: list.emailAddress };
}
