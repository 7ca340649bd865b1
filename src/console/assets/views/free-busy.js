// @ts-check
import { ApiError, graphql } from '../api.js';
import { errorMessage, h, loading, replaceChildren } from '../dom.js';
import { formatShortDay, formatTime } from '../format.js';

const INTERVAL_MINUTES = 30;
// Its own request, so that the rest of the user's page shows on a gateway without User.schedule.
const SCHEDULE = `query ConsoleFreeBusy($tenantId: ID!, $userId: ID!, $start: DateTimeISO!, $end: DateTimeISO!, $interval: Int!) {
  tenant(id: $tenantId) {
    user(id: $userId) {
      schedule(start: $start, end: $end, intervalMinutes: $interval) {
        availabilityView
        items { start end status subject location isPrivate }
        workingHours { daysOfWeek startTime endTime timeZone }
        error
      }
    }
  }
}`;

/** availabilityView digits, as Graph's getSchedule defines them. */
const VIEW_DIGITS = ['FREE', 'TENTATIVE', 'BUSY', 'OOF', 'WORKING_ELSEWHERE'];
const LABELS = { FREE: 'Free', TENTATIVE: 'Tentative', BUSY: 'Busy', OOF: 'Away', WORKING_ELSEWHERE: 'Working elsewhere', UNKNOWN: 'Unknown' };

/**
 * Free/busy for the week: a grid to see it at a glance (hidden from screen readers), and the
 * same as a list of busy times, which is what a screen reader reads.
 * @param {{ tenantId: string, userId: string, week: { start: Date, end: Date, days: Date[] } }} options
 */
export function freeBusySection({ tenantId, userId, week }) {
  const body = h('div', {}, loading('Loading free/busy…'));
  const element = h('section', { class: 'card', 'aria-labelledby': 'free-busy-heading' }, h('h2', { id: 'free-busy-heading' }, 'Free/busy'), body);
  const variables = { tenantId, userId, start: week.start.toISOString(), end: week.end.toISOString(), interval: INTERVAL_MINUTES };
  graphql(SCHEDULE, variables)
    .then((answer) => {
      const schedule = answer.data?.tenant?.user?.schedule;
      if (answer.errors.length && !schedule) throw new ApiError(answer.errors);
      if (!schedule) throw new Error('Microsoft returned no schedule for this user.');
      replaceChildren(body, scheduleView(schedule, week));
    })
    .catch((error) => {
      const unsupported = error instanceof ApiError && error.isUnsupported;
      replaceChildren(
        body,
        unsupported
          ? h('p', { class: 'notice', role: 'status' }, 'This gateway has no free/busy yet (User.schedule is not in its schema).')
          : errorMessage(error),
      );
    });
  return element;
}

/**
 * @param {any} schedule
 * @param {{ start: Date, days: Date[] }} week
 */
function scheduleView(schedule, week) {
  if (schedule.error) return h('p', { class: 'alert', role: 'alert' }, `Microsoft could not read this schedule: ${schedule.error}`);
  const statusAt = (/** @type {Date} */ time) => {
    const index = Math.floor((time.getTime() - week.start.getTime()) / (INTERVAL_MINUTES * 60_000));
    const digit = schedule.availabilityView?.[index];
    if (digit !== undefined) return VIEW_DIGITS[Number(digit)] ?? 'UNKNOWN';
    const item = schedule.items.find((/** @type {any} */ each) => new Date(each.start) <= time && time < new Date(each.end));
    return item ? item.status : 'FREE';
  };
  const slotsPerDay = (24 * 60) / INTERVAL_MINUTES;
  const grid = h(
    'div',
    { class: 'free-busy-grid', 'aria-hidden': 'true' },
    h(
      'div',
      { class: 'free-busy-row' },
      h('span', {}),
      h('span', { class: 'free-busy-slots free-busy-hours' }, ['00:00', '06:00', '12:00', '18:00'].map((hour) => h('span', {}, hour))),
    ),
    week.days.map((day) =>
      h(
        'div',
        { class: 'free-busy-row' },
        h('span', { class: 'free-busy-day' }, formatShortDay(day)),
        h(
          'span',
          { class: 'free-busy-slots' },
          Array.from({ length: slotsPerDay }, (_, slot) => {
            const status = statusAt(new Date(day.getTime() + slot * INTERVAL_MINUTES * 60_000));
            return h('span', { class: `slot slot-${status.toLowerCase()}`, title: LABELS[/** @type {keyof typeof LABELS} */ (status)] });
          }),
        ),
      ),
    ),
  );
  const legend = h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    Object.entries(LABELS).map(([status, label]) => h('li', {}, h('span', { class: `slot slot-${status.toLowerCase()}` }), label)),
  );
  const hours = schedule.workingHours;
  const busy = schedule.items.filter((/** @type {any} */ item) => item.status !== 'FREE');
  return h(
    'div',
    {},
    hours ? h('p', {}, `Working hours: ${hours.daysOfWeek.join(', ')}, ${hours.startTime.slice(0, 5)}–${hours.endTime.slice(0, 5)}${hours.timeZone ? ` (${hours.timeZone})` : ''}.`) : null,
    grid,
    legend,
    h('h3', {}, 'Busy times'),
    busy.length
      ? h(
          'ul',
          { class: 'busy-list', role: 'list' },
          busy.map((/** @type {any} */ item) =>
            h(
              'li',
              {},
              h('strong', {}, LABELS[/** @type {keyof typeof LABELS} */ (item.status)] ?? item.status),
              ` ${formatShortDay(new Date(item.start))} ${formatTime(item.start)}–${formatTime(item.end)}`,
              item.subject && !item.isPrivate ? `: ${item.subject}` : '',
              item.location ? ` (${item.location})` : '',
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'Free all week.'),
  );
}
