/** Microsoft Graph's own limits, in one place; the gateway refuses input beyond them before any call. */

/** `/users?$top=` accepts 1..999 ($top=1000 is a 400). */
export const MAX_USERS_PAGE = 999;

/** The longest calendarView window Graph accepts. */
export const MAX_CALENDAR_VIEW_DAYS = 1825;

/** Graph rejects a `$batch` of more than 20 requests. */
export const MAX_BATCH_REQUESTS = 20;

/**
 * Outlook's page size, asked for explicitly because its default is 10. 999 is within both the
 * directory's documented 1..999 and Outlook's 1000, so one constant is safe for both.
 */
export const OUTLOOK_PAGE_SIZE = 999;

/**
 * Mailboxes per getSchedule call. Graph takes up to 100 (101 is ErrorMailboxDataArrayTooBig),
 * but documents 20; 20 per call, carried 20 calls to a `$batch`, keeps each call small and
 * lets Outlook serve a page of people in parallel.
 */
export const MAX_SCHEDULES_PER_CALL = 20;

/** Mailboxes one `schedules` or `meetingTimes` field may ask for: what one getSchedule call could take. */
export const MAX_SCHEDULE_MAILBOXES = 100;

/** getSchedule windows must be shorter than this ("less than 62 days"). */
export const SCHEDULE_WINDOW_DAYS_BELOW = 62;

/** getSchedule's availabilityViewInterval, in minutes (default 30). */
export const MIN_SCHEDULE_INTERVAL_MINUTES = 5;
export const MAX_SCHEDULE_INTERVAL_MINUTES = 1440;

/**
 * `$top` of the places API. Graph's default page is 100 and it has served $top=300; its maximum
 * is not documented, so the gateway stays at the 999 it uses for other lists.
 */
export const MAX_PLACES_PAGE = 999;

/**
 * Attendees of one event the gateway sends. Graph documents no limit; Outlook's own ceiling for
 * a meeting's recipients is set per organisation (500 by default in Exchange Online).
 */
export const MAX_EVENT_ATTENDEES = 500;

/** Outlook cuts subjects at 255 characters. */
export const MAX_EVENT_SUBJECT_LENGTH = 255;

/**
 * An event body, in UTF-8 bytes. Graph takes requests of up to 4 MB; half a megabyte keeps a
 * write well inside that and inside the gateway's own 1 MB limit for a GraphQL request.
 */
export const MAX_EVENT_BODY_BYTES = 512 * 1024;

/** The longest an Outlook event subscription (without resource data) lives (subscription resource, maximum length). */
export const MAX_EVENT_SUBSCRIPTION_MINUTES = 10_080;
