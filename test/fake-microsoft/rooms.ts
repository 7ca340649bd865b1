import type { FakeUser } from './directory';
import { SeededRandom, guidFrom } from './seeded-random';

/**
 * Room mailboxes and room lists (Exchange resources). Each room is also a mailbox with one
 * calendar of bookings, so getSchedule and calendarView work on its address. Rooms are not in
 * GET /users, so a tenant's user count stays what addTenant asked for (real tenants list room
 * accounts there too, disabled).
 */
export interface FakeRoom {
  /** The place id (Graph's places API uses its own ids, not the mailbox's object id). */
  id: string;
  displayName: string;
  emailAddress: string;
  capacity: number;
  building: string;
  floorNumber: number;
  floorLabel: string | null;
  isWheelChairAccessible: boolean;
  bookingType: 'standard' | 'reserved';
  tags: string[];
  audioDeviceName: string | null;
  videoDeviceName: string | null;
  displayDeviceName: string | null;
  /** Generated bookings per weekday in its calendar (default 3). */
  bookingsPerDay: number;
}

export interface FakeRoomList {
  id: string;
  displayName: string;
  emailAddress: string;
  /** Email addresses of its rooms. */
  roomEmails: string[];
}

export interface TenantRooms {
  rooms: FakeRoom[];
  roomLists: FakeRoomList[];
  /** By lower-cased email and mailbox id: the room as a mailbox (what calendar routes open). */
  roomMailboxes: Map<string, FakeUser>;
}

const DEFAULT_ROOM_COUNT = 12;
const ROOMS_PER_BUILDING = 4;
const ROOM_NAMES = ['Adams', 'Baker', 'Crystal', 'Dogwood', 'Elm', 'Fir', 'Glacier', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lagoon'];
const TAGS = [['whiteboard'], ['bean bags'], ['benches', 'nice view'], [], ['standing desks']];

export function generateRooms(tenantId: string, domain: string, requested: number | Partial<FakeRoom>[] | undefined): TenantRooms {
  const overrides: Partial<FakeRoom>[] = typeof requested === 'object' ? requested : new Array(requested ?? DEFAULT_ROOM_COUNT).fill({});
  const rooms = overrides.map((override, index) => ({ ...generatedRoom(tenantId, domain, index), ...override }));
  const buildings = [...new Set(rooms.map((room) => room.building))];
  const roomLists = buildings.map((building, index) => ({
    id: guidFrom(`${tenantId}:roomList:${building}`).toUpperCase(),
    displayName: building,
    emailAddress: `building${index + 1}@${domain}`,
    roomEmails: rooms.filter((room) => room.building === building).map((room) => room.emailAddress),
  }));
  const roomMailboxes = new Map<string, FakeUser>();
  for (const room of rooms) {
    const mailbox: FakeUser = {
      id: guidFrom(`${tenantId}:roomMailbox:${room.emailAddress.toLowerCase()}`),
      displayName: room.displayName,
      mail: room.emailAddress,
      userPrincipalName: room.emailAddress,
      jobTitle: null,
      calendarCount: 1,
      eventsPerDay: room.bookingsPerDay,
      timeZone: 'Pacific Standard Time',
      workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00', endTime: '18:00' },
    };
    roomMailboxes.set(room.emailAddress.toLowerCase(), mailbox);
    roomMailboxes.set(mailbox.id, mailbox);
  }
  return { rooms, roomLists, roomMailboxes };
}

function generatedRoom(tenantId: string, domain: string, index: number): FakeRoom {
  const random = new SeededRandom(`${tenantId}:room:${index}`);
  const buildingNumber = Math.floor(index / ROOMS_PER_BUILDING) + 1;
  const floorNumber = (index % ROOMS_PER_BUILDING) + 1;
  const name = `${ROOM_NAMES[index % ROOM_NAMES.length]}${index >= ROOM_NAMES.length ? ` ${Math.floor(index / ROOM_NAMES.length) + 1}` : ''}`;
  const hasScreen = random.next() < 0.7;
  return {
    id: guidFrom(`${tenantId}:room:${index}`).toUpperCase(),
    displayName: `Conf Room ${name}`,
    emailAddress: `${name.toLowerCase().replace(/\s+/g, '')}@${domain}`,
    capacity: random.pick([4, 6, 8, 12, 20, 50]),
    building: `Building ${buildingNumber}`,
    floorNumber,
    floorLabel: String(floorNumber),
    isWheelChairAccessible: random.next() < 0.6,
    bookingType: 'standard',
    tags: random.pick(TAGS),
    audioDeviceName: hasScreen ? 'Jabra Speak 750' : null,
    videoDeviceName: hasScreen ? 'Logitech Rally' : null,
    displayDeviceName: hasScreen ? 'Surface Hub' : null,
    bookingsPerDay: 3,
  };
}
