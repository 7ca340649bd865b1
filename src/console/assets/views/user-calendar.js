// @ts-check
import { ApiError, errorAt, graphql } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { formatDay, formatTime, isOnDay, weekOf } from '../format.js';
import { freeBusySection } from './free-busy.js';
import { breadcrumbs, loadPage } from './page.js';

const USER = `query ConsoleUserCalendar($tenantId: ID!, $userId: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {
  tenant(id: $tenantId) {
    id displayName microsoftTenantId connector { id name }
    user(id: $userId) {
      id displayName mail userPrincipalName jobTitle
      calendars { id name hexColor isDefaultCalendar canEdit owner { name address } }
      events(start: $start, end: $end) { id subject start end isAllDay showAs }
    }
  }
}`;

/**
 * One user: calendars, a week of the default calendar's events, and free/busy for that week.
 * Calendars and events can fail on their own (no mailbox, an access policy): each section then
 * says what Microsoft answered while the rest of the page still shows.
 * @param {HTMLElement} container
 * @param {{ tenantId: string, userId: string }} params
 * @param {URLSearchParams} query
 */
export async function renderUserCalendar(container, { tenantId, userId }, query) {
  const offset = Number.parseInt(query.get('week') ?? '0', 10) || 0;
  const week = weekOf(offset);
  const crumbs = breadcrumbs();
  const answer = await loadPage(container, { title: 'User', crumbs }, async () => {
    const result = await graphql(USER, { tenantId, userId, start: week.start.toISOString(), end: week.end.toISOString() });
    // Calendars and events may fail alone (shown in their sections); without the user there is no page.
    if (!result.data?.tenant?.user) {
      throw result.errors.length ? new ApiError(result.errors) : new Error('No user with this id in the organisation (it may have been deleted).');
    }
    return result;
  });
  if (!answer) return;
  const { tenant } = answer.data;
  const { user } = tenant;
  const orgName = tenant.displayName ?? `Directory ${tenant.microsoftTenantId}`;
  crumbs.append(
    ' / ',
    h('a', { href: `#/connectors/${tenant.connector.id}` }, tenant.connector.name),
    ' / ',
    h('a', { href: `#/tenants/${tenant.id}` }, `Users of ${orgName}`),
  );
  const base = `#/tenants/${tenant.id}/users/${encodeURIComponent(user.id)}`;

  replaceChildren(
    container,
    crumbs,
    h('h1', {}, user.displayName ?? user.userPrincipalName),
    h('p', { class: 'meta' }, [user.mail ?? user.userPrincipalName, user.jobTitle].filter(Boolean).join(' · ')),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Weeks' },
      h('a', { class: 'button secondary', href: `${base}?week=${offset - 1}` }, 'Previous week'),
      h('span', { class: 'page-number' }, `Week of ${formatDay(week.start)}`),
      offset !== 0 ? h('a', { class: 'button secondary', href: base }, 'This week') : null,
      h('a', { class: 'button secondary', href: `${base}?week=${offset + 1}` }, 'Next week'),
    ),
    section('calendars', 'Calendars', calendarList(user.calendars, errorAt(answer, ['tenant', 'user', 'calendars']))),
    section('events', offset === 0 ? 'This week\'s events' : 'Events of the week', eventsByDay(user.events, week.days, errorAt(answer, ['tenant', 'user', 'events']))),
    freeBusySection({ tenantId: tenant.id, userId: user.id, week }),
  );
}

/**
 * @param {string} name
 * @param {string} title
 * @param {HTMLElement} content
 */
function section(name, title, content) {
  return h('section', { class: 'card', 'aria-labelledby': `${name}-heading` }, h('h2', { id: `${name}-heading` }, title), content);
}

/** @param {{ message: string } | undefined} error */
const refused = (error) => h('p', { class: 'alert', role: 'alert' }, `Microsoft refused this for this user: ${error?.message ?? 'no answer'}`);

/**
 * @param {any[] | null} calendars
 * @param {{ message: string } | undefined} error
 */
function calendarList(calendars, error) {
  if (!calendars) return refused(error);
  if (!calendars.length) return h('p', { class: 'empty' }, 'No calendars.');
  return h(
    'ul',
    { class: 'calendar-list', role: 'list' },
    calendars.map((calendar) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      // CSSOM, not a style attribute: the console's CSP allows no inline styles.
      if (calendar.hexColor) swatch.style.backgroundColor = calendar.hexColor;
      const details = [calendar.isDefaultCalendar ? 'default' : null, calendar.canEdit ? 'can edit' : 'read-only', calendar.owner?.address].filter(Boolean);
      return h('li', {}, swatch, h('span', {}, calendar.name), h('span', { class: 'meta' }, ` (${details.join(', ')})`));
    }),
  );
}

/**
 * @param {any[] | null} events
 * @param {Date[]} days
 * @param {{ message: string } | undefined} error
 */
function eventsByDay(events, days, error) {
  if (!events) return refused(error);
  return h(
    'div',
    { class: 'week' },
    days.map((day) => {
      const todays = events.filter((event) => isOnDay(event, day));
      return h(
        'div',
        { class: 'day' },
        h('h3', {}, formatDay(day)),
        todays.length
          ? h(
              'ul',
              { role: 'list' },
              todays.map((event) =>
                h(
                  'li',
                  { class: `event show-${(event.showAs ?? 'busy').toLowerCase()}` },
                  h('span', { class: 'event-time' }, event.isAllDay ? 'All day' : `${formatTime(event.start)}–${formatTime(event.end)}`),
                  ' ',
                  h('span', {}, event.subject ?? '(no subject)'),
                  event.showAs ? h('span', { class: 'meta' }, ` · ${event.showAs}`) : null,
                ),
              ),
            )
          : h('p', { class: 'empty' }, 'Nothing.'),
      );
    }),
  );
}
