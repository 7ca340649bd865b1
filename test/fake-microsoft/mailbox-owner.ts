import type { FakeUser, Tenant } from './directory';
import type { SeededRandom } from './seeded-random';

/** A mailbox with its tenant: a person, or a room (whose calendar holds bookings). */
export interface MailboxOwner {
  tenant: Tenant;
  mailbox: FakeUser;
  isRoom: boolean;
}

/** Someone else in the tenant, drawn from `random`. */
export function colleagueOf(tenant: Tenant, user: FakeUser, random: SeededRandom): FakeUser {
  const candidate = random.pick(tenant.users);
  if (candidate.id !== user.id || tenant.users.length === 1) return candidate;
  return tenant.users[(tenant.users.indexOf(candidate) + 1) % tenant.users.length];
}

/** An event's location when a room is booked: Outlook links it to the room's directory entry. */
export function roomLocation(room: { displayName: string; emailAddress: string }): Record<string, unknown> {
  return { displayName: room.displayName, locationType: 'conferenceRoom', uniqueId: room.emailAddress, uniqueIdType: 'directory', address: {}, coordinates: {} };
}
