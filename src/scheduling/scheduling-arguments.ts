import type { PageCursorCodec } from '../directory/page-cursor';
import { badInput } from '../errors';
import {
  MAX_PLACES_PAGE,
  MAX_SCHEDULE_INTERVAL_MINUTES,
  MAX_SCHEDULE_MAILBOXES,
  MIN_SCHEDULE_INTERVAL_MINUTES,
  SCHEDULE_WINDOW_DAYS_BELOW,
} from '../microsoft/graph-limits';
import { isEmailAddress, shorten } from '../validation/input-rules';

/** The rules for scheduling arguments (Graph's limits for getSchedule and places), checked before any call. */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
export const MAX_MEETING_TIMES = 100;

export interface ScheduleWindowArgs {
  start: Date;
  end: Date;
  intervalMinutes: number;
}

export interface MeetingTimesArgs extends ScheduleWindowArgs {
  emails: string[];
  durationMinutes: number;
  workingHoursOnly: boolean;
  first: number;
}

export function validScheduleWindow(args: ScheduleWindowArgs): void {
  const { start, end, intervalMinutes } = args;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw badInput('start and end must be ISO 8601 date-times');
  if (end <= start) throw badInput('end must be after start (the window is inverted or empty)', { field: 'end' });
  if (end.getTime() - start.getTime() >= SCHEDULE_WINDOW_DAYS_BELOW * DAY_MS) {
    throw badInput(`A schedule window must be shorter than ${SCHEDULE_WINDOW_DAYS_BELOW} days (Graph's limit for free/busy); ask for a shorter window, or several`, { field: 'end' });
  }
  validMinutes('intervalMinutes', intervalMinutes, 'the length of each digit of availabilityView and the step between meeting times');
}

/** 1..100 addresses (what one getSchedule call can take), each an email address. */
export function validEmails(emails: readonly string[]): void {
  if (emails.length === 0) throw badInput('emails cannot be empty: list the addresses of the people or rooms to look at', { field: 'emails' });
  if (emails.length > MAX_SCHEDULE_MAILBOXES) {
    throw badInput(`emails lists ${emails.length} addresses; at most ${MAX_SCHEDULE_MAILBOXES} fit one request: split them over several`, { field: 'emails' });
  }
  emails.forEach((email, index) => {
    if (email.length > 254 || !isEmailAddress(email.trim())) {
      throw badInput(`emails[${index}] ("${shorten(email)}") is not an email address: give addresses such as adele@contoso.com`, { field: 'emails' });
    }
  });
}

export function validMeetingTimes(args: MeetingTimesArgs): void {
  validEmails(args.emails);
  validScheduleWindow(args);
  validMinutes('durationMinutes', args.durationMinutes, 'the length of the meeting');
  if (args.durationMinutes * MINUTE_MS > args.end.getTime() - args.start.getTime()) {
    throw badInput('durationMinutes is longer than the window from start to end: widen the window or shorten the meeting', { field: 'durationMinutes' });
  }
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_MEETING_TIMES) {
    throw badInput(`first must be between 1 and ${MAX_MEETING_TIMES}; got ${args.first}. Start a later search for more`, { field: 'first' });
  }
}

export function validRoomsPage(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PLACES_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PLACES_PAGE}; got ${first}. Page with pageInfo.endCursor for more`, { field: 'first' });
  }
}

function validMinutes(field: string, value: number, meaning: string): void {
  if (!Number.isInteger(value) || value < MIN_SCHEDULE_INTERVAL_MINUTES || value > MAX_SCHEDULE_INTERVAL_MINUTES) {
    throw badInput(
      `${field} (${meaning}) must be a whole number of minutes from ${MIN_SCHEDULE_INTERVAL_MINUTES} to ${MAX_SCHEDULE_INTERVAL_MINUTES} (Graph's limits); got ${value}`,
      { field },
    );
  }
}

/** Checks run before execution (see argument-preflight): bad input never reaches Microsoft. */
export function schedulingArgumentChecks(cursors: PageCursorCodec) {
  return {
    'User.schedule': (args: ScheduleWindowArgs) => validScheduleWindow(args),
    'Tenant.schedules': (args: ScheduleWindowArgs & { emails: string[] }) => {
      validEmails(args.emails);
      validScheduleWindow(args);
    },
    'Tenant.meetingTimes': (args: MeetingTimesArgs) => validMeetingTimes(args),
    'Tenant.rooms': (args: { first: number; after?: string | null }) => {
      validRoomsPage(args.first);
      if (args.after) cursors.decode(null, { list: 'rooms' }, args.after);
    },
  };
}
