import type { FakeUser } from './directory';
import { SeededRandom } from './seeded-random';

/**
 * A mailbox's time zone and working hours (mailboxSettings), deterministic per user unless
 * addTenant gave them. getSchedule returns the same working hours.
 */
export interface FakeWorkingHours {
  /** 'monday' … 'sunday' */
  daysOfWeek: string[];
  /** "08:00" or "08:00:00" */
  startTime: string;
  endTime: string;
  /** Windows or IANA name; default the mailbox time zone. */
  timeZone?: string;
}

// Windows names, as Outlook stores them when a user picks a zone in Outlook on the web.
const MAILBOX_TIME_ZONES = ['Pacific Standard Time', 'Eastern Standard Time', 'GMT Standard Time', 'W. Europe Standard Time', 'India Standard Time', 'Tokyo Standard Time'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

export function mailboxTimeZoneOf(user: FakeUser): string {
  return user.timeZone ?? new SeededRandom(`${user.id}:timeZone`).pick(MAILBOX_TIME_ZONES);
}

/** Graph's workingHours: times with seven fractional digits, the zone as {name}. */
export function workingHoursOf(user: FakeUser): { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: { name: string } } {
  const random = new SeededRandom(`${user.id}:workingHours`);
  const generatedStart = random.pick(['08:00', '08:30', '09:00']);
  const hours = user.workingHours;
  return {
    daysOfWeek: [...(hours?.daysOfWeek ?? WEEKDAYS)],
    startTime: outlookTimeOfDay(hours?.startTime ?? generatedStart),
    endTime: outlookTimeOfDay(hours?.endTime ?? `${Number(generatedStart.slice(0, 2)) + 9}${generatedStart.slice(2)}`),
    timeZone: { name: hours?.timeZone ?? mailboxTimeZoneOf(user) },
  };
}

function outlookTimeOfDay(time: string): string {
  const [hour = '00', minute = '00', second = '00'] = time.split(':');
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}:${second.slice(0, 2).padStart(2, '0')}.0000000`;
}
