// @ts-check
/** Dates in the viewer's own time zone and locale; the API speaks UTC. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayName = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const shortDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });

/** @param {string | Date | null | undefined} value */
export const formatDateTime = (value) => (value ? dateTime.format(new Date(value)) : '–');
/** @param {string | Date} value */
export const formatTime = (value) => time.format(new Date(value));
/** @param {Date} value */
export const formatDay = (value) => dayName.format(value);
/** @param {Date} value */
export const formatShortDay = (value) => shortDay.format(value);

/**
 * The local Monday 00:00 of the week `offset` weeks from this one, and the seven day starts.
 * Days are built with setDate so that a daylight-saving change gives a 23- or 25-hour day.
 * @param {number} offset
 */
export function weekOf(offset) {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7) + offset * 7);
  const days = Array.from({ length: 8 }, (_, index) => {
    const day = new Date(start);
    day.setDate(start.getDate() + index);
    return day;
  });
  return { start, end: days[7], days: days.slice(0, 7) };
}

/** @param {Date} day */
const localDate = (day) => `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;

/**
 * Whether an event belongs under a local day. A timed event goes where it starts; an all-day
 * event covers calendar dates (midnight to midnight where it was made), so its dates are compared
 * as dates, or it would slide to the day before west of UTC.
 * @param {{ start: string, end: string, isAllDay: boolean }} event
 * @param {Date} day local midnight
 */
export function isOnDay(event, day) {
  if (event.isAllDay) return event.start.slice(0, 10) <= localDate(day) && localDate(day) < event.end.slice(0, 10);
  return localDate(new Date(event.start)) === localDate(day);
}

/**
 * A permission in plain words: its description when the connector knows it.
 * @param {string} name
 * @param {{ name: string, description: string }[]} available
 */
export function describeScope(name, available) {
  return available.find((scope) => scope.name === name)?.description ?? 'A Microsoft Graph application permission.';
}
