import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The rules that turn what Graph reported into what the SaaS is told, as pure functions: one
 * webhook per event version, whichever way (and however often) Graph reported it.
 */

export type CalendarChange = 'created' | 'updated' | 'deleted';

/** What was seen of one event: it exists in this version, or it is gone. */
export type Observation =
  | {
      present: true;
      version: string;
      /** what the notification said, when a notification told it; a delta round does not say */
      said: 'created' | 'updated' | null;
      createdAt: Date | null;
      /** the mailbox's last delta round: an event created after it, never told, is new */
      since: Date | null;
    }
  | { present: false };

/** Graph repeats itself within hours (its resends stop after 4): a week of versions told is plenty. */
export const VERSIONS_KEPT_MS = 7 * 24 * 3600_000;

/**
 * `told`: the version last told for this event (null: told deleted), undefined when nothing was
 * (or not in the last VERSIONS_KEPT_MS, before `now`). Returns what to tell now, or null when it
 * was told already (a repeat, or created and updated for one new event).
 */
export function changeToTell(told: string | null | undefined, observation: Observation, now: Date): CalendarChange | null {
  if (!observation.present) return told === null ? null : 'deleted';
  if (told === observation.version) return null;
  if (told === null) return 'created';
  if (told !== undefined) return 'updated';
  // Never told and created since the last round, it is new whatever the notification said: Graph's
  // created and updated for one new event can arrive in either order, or one of them never. Not
  // when created before the versions kept: it may have been told, and forgotten.
  // createdDateTime may be kept to the second: an event created in the second the last round began counts as new.
  const since = observation.since && Math.max(observation.since.getTime(), now.getTime() - VERSIONS_KEPT_MS);
  const sinceSecond = since ? Math.floor(since / 1000) * 1000 : null;
  if (observation.createdAt && sinceSecond !== null && observation.createdAt.getTime() >= sinceSecond) return 'created';
  return observation.said ?? 'updated';
}

/** Kept instead of the clientState itself: the database never holds what would let someone forge notifications. */
export function clientStateHash(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

export function clientStateMatches(storedHash: string | null, given: string | null): boolean {
  if (storedHash === null || given === null) return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(clientStateHash(given), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Bounded, for a unique index: the hash of notificationKey(). */
export function dedupeKeyOf(notificationKey: string): string {
  return createHash('sha256').update(notificationKey, 'utf8').digest('hex');
}
