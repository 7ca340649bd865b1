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
