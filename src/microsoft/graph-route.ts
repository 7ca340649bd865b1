/** Path segments that are part of Graph's API shape; every other segment is an id or a name. */
const FIXED_SEGMENTS = new Set([
  '$batch',
  'users',
  'organization',
  'calendars',
  'calendar',
  'calendarView',
  'events',
  'instances',
  'groups',
  'members',
  'me',
  'mailboxSettings',
  'getSchedule',
  'places',
  'microsoft.graph.room',
  'microsoft.graph.roomList',
  'rooms',
  'delta',
  'subscriptions',
  'reauthorize',
  'cancel',
  'accept',
  'tentativelyAccept',
  'decline',
]);

/**
 * The route template of a Graph URL, for metric labels and error messages:
 * `/users/6ea9…/calendars?$top=999` → `/users/{id}/calendars`. Real ids and query values
 * never reach a label (they would explode the metric's cardinality and leak user names).
 */
export function graphRouteTemplate(relativeUrl: string): string {
  const path = relativeUrl.split(/[?#]/, 1)[0] ?? '';
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (FIXED_SEGMENTS.has(segment) ? segment : '{id}'));
  return `/${segments.join('/')}`;
}
