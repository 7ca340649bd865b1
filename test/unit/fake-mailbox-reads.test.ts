import type { FakeUser } from '../fake-microsoft';
import { allPages, startHarness, type Harness } from './fake-mailbox-harness';

/**
 * The fake's mailboxes read like real ones: several calendars with events, recurring series
 * expanded by calendarView, single events by id, strict $select, Prefer time zones, working hours.
 */

let harness: Harness;
let owner: FakeUser;
let parisian: FakeUser;
const JANUARY = 'startDateTime=2025-01-06T00:00:00Z&endDateTime=2025-02-03T00:00:00Z';

beforeAll(async () => {
  harness = await startHarness({
    users: [{ calendarCount: 3 }, { timeZone: 'Romance Standard Time', workingHours: { daysOfWeek: ['monday', 'tuesday'], startTime: '10:00', endTime: '16:30' } }, ...new Array(28).fill({})],
  });
  [owner, parisian] = harness.users;
});

afterAll(() => harness.fake.stop());

beforeEach(() => harness.fake.resetFaults());

const month = (user: FakeUser, extra = '') => allPages(harness, `/v1.0/users/${user.id}/calendarView?${JANUARY}&$top=100${extra}`);

describe('calendars and events', () => {
  it('fills calendars other than the default: a holiday calendar of all-day events and a project calendar', async () => {
    const calendars = (await harness.graph('GET', `/v1.0/users/${owner.id}/calendars`)).json.value;
    expect(calendars.map((calendar: { name: string }) => calendar.name)).toEqual(['Calendar', 'United States holidays', 'Project Phoenix']);
    const holidays = await allPages(harness, `/v1.0/users/${owner.id}/calendars/${calendars[1].id}/calendarView?${JANUARY}`);
    expect(holidays.length).toBeGreaterThan(0);
    expect(holidays[0]).toMatchObject({ subject: 'Company holiday', isAllDay: true, showAs: 'free', start: { dateTime: expect.stringMatching(/T00:00:00\.0000000$/), timeZone: 'UTC' } });
    const project = await allPages(harness, `/v1.0/users/${owner.id}/calendars/${calendars[2].id}/calendarView?${JANUARY}`);
    expect(project).toHaveLength(14);
    expect(project[0].subject).toBe('Project Phoenix check-in');
  });

  it('expands the weekly series into occurrences, one moved (an exception) and one cancelled, and reads its master by id', async () => {
    const reviews = (await month(owner)).filter((event) => event.seriesMasterId && event.subject.includes('Weekly design review'));
    expect(reviews.map((event) => [event.type, event.start.dateTime.slice(0, 16), event.isCancelled])).toEqual([
      ['exception', '2025-01-07T15:00', false],
      ['occurrence', '2025-01-14T14:00', false],
      ['occurrence', '2025-01-21T14:00', true],
      ['occurrence', '2025-01-28T14:00', false],
    ]);
    expect(reviews[2].subject).toBe('Canceled: Weekly design review');
    expect(reviews[0]).toMatchObject({ originalStart: '2025-01-07T14:00:00Z', isOrganizer: false, isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' });
    expect(reviews[0].onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(reviews[0].attendees.map((attendee: { type: string }) => attendee.type)).toEqual(['required', 'optional', 'resource']);
    expect(new Set(reviews.map((event) => event.iCalUId)).size).toBe(1);

    const master = await harness.graph('GET', `/v1.0/users/${owner.id}/events/${reviews[0].seriesMasterId}`);
    expect(master.status).toBe(200);
    expect(master.json).toMatchObject({ type: 'seriesMaster', iCalUId: reviews[0].iCalUId, recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'noEnd', startDate: '2020-01-07' } } });
  });

  it('varies what people see: a daily series they organise, all-day working elsewhere, oof, private events, categories, responses', async () => {
    const events = (await Promise.all(harness.users.slice(0, 6).map((user) => month(user)))).flat();
    const standup = events.find((event) => event.subject === 'Daily standup')!;
    expect(standup).toMatchObject({ type: 'occurrence', isOrganizer: true, responseStatus: { response: 'organizer' }, categories: ['Team'] });
    expect(standup.attendees.map((attendee: any) => attendee.status.response)).toEqual(['accepted', 'tentativelyAccepted', 'none']);
    expect(events.find((event) => event.subject === 'Working from home')).toMatchObject({ isAllDay: true, showAs: 'workingElsewhere', start: { dateTime: '2025-01-10T00:00:00.0000000' } });
    const values = (name: string) => new Set(events.map((event) => JSON.stringify(event[name])));
    expect(values('showAs')).toEqual(new Set(['"busy"', '"tentative"', '"free"', '"oof"', '"workingElsewhere"']));
    expect(values('sensitivity')).toEqual(new Set(['"normal"', '"private"', '"personal"']));
    expect(values('type')).toEqual(new Set(['"occurrence"', '"exception"', '"singleInstance"']));
    expect(events.some((event) => event.attendees.some((attendee: any) => attendee.type === 'resource'))).toBe(true);
    expect(events.some((event) => event.categories.includes('Customer'))).toBe(true);
  });

  it('reads one event through each path, and 404s it through a calendar that does not hold it', async () => {
    const [first] = await month(owner);
    const calendars = (await harness.graph('GET', `/v1.0/users/${owner.id}/calendars`)).json.value;
    for (const path of [`events/${first.id}`, `calendar/events/${first.id}`, `calendars/${calendars[0].id}/events/${first.id}`]) {
      const read = await harness.graph('GET', `/v1.0/users/${owner.userPrincipalName}/${path}`);
      expect(read.json).toMatchObject({ id: first.id, subject: first.subject, start: first.start });
    }
    const elsewhere = await harness.graph('GET', `/v1.0/users/${owner.id}/calendars/${calendars[1].id}/events/${first.id}`);
    expect(elsewhere).toMatchObject({ status: 404, json: { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } } });
    expect((await harness.graph('GET', `/v1.0/users/${owner.id}/events/AAMkAGnotAnId=`)).json.error.code).toBe('ErrorItemNotFound');
    expect((await harness.graph('GET', `/v1.0/users/${parisian.id}/events/${first.id}`)).status).toBe(404);
  });

  it('honours $select strictly on events and calendars and refuses an unknown property', async () => {
    const [event] = await month(owner, '&$select=subject,start');
    expect(Object.keys(event).sort()).toEqual(['@odata.etag', 'id', 'start', 'subject']);
    const calendar = (await harness.graph('GET', `/v1.0/users/${owner.id}/calendar?$select=name`)).json;
    expect(Object.keys(calendar).sort()).toEqual(['@odata.context', '@odata.id', 'id', 'name']);
    const unknown = await harness.graph('GET', `/v1.0/users/${owner.id}/events/${event.id}?$select=subject,colour`);
    expect(unknown).toMatchObject({ status: 400, json: { error: { code: 'RequestBroker--ParseUri', message: "Could not find a property named 'colour' on type 'microsoft.graph.event'." } } });
  });
});

describe('time zones and working hours', () => {
  const firstEvent = async (prefer?: string) => {
    const page = await harness.graph('GET', `/v1.0/users/${owner.id}/calendarView?startDateTime=2025-07-07T00:00:00Z&endDateTime=2025-07-08T00:00:00Z&$top=1`, { headers: prefer ? { Prefer: prefer } : {} });
    return page;
  };

  it('returns start and end in the Prefer zone, IANA or Windows, named as asked, and UTC by default', async () => {
    expect((await firstEvent()).json.value[0].start).toEqual({ dateTime: '2025-07-07T09:00:00.0000000', timeZone: 'UTC' });
    const paris = await firstEvent('outlook.timezone="Europe/Paris"');
    expect(paris.json.value[0].start).toEqual({ dateTime: '2025-07-07T11:00:00.0000000', timeZone: 'Europe/Paris' });
    expect(paris.headers['preference-applied']).toBe('outlook.timezone="Europe/Paris"');
    const pacific = await firstEvent('outlook.timezone="Pacific Standard Time", IdType="ImmutableId"');
    expect(pacific.json.value[0].start).toEqual({ dateTime: '2025-07-07T02:00:00.0000000', timeZone: 'Pacific Standard Time' });
    const winter = await harness.graph('GET', `/v1.0/users/${owner.id}/calendarView?startDateTime=2025-01-06T00:00:00Z&endDateTime=2025-01-07T00:00:00Z&$top=1`, { headers: { Prefer: 'outlook.timezone="Romance Standard Time"' } });
    expect(winter.json.value[0].start.dateTime).toBe('2025-01-06T10:00:00.0000000');
  });

  it('refuses an unknown zone with TimeZoneNotSupportedException', async () => {
    expect(await firstEvent('outlook.timezone="Mars/Olympus"')).toMatchObject({
      status: 400,
      json: { error: { code: 'TimeZoneNotSupportedException', message: "A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Mars/Olympus'." } },
    });
  });

  it('keeps all-day events on their dates in any zone', async () => {
    const fridays = await month(owner, '');
    const [inTokyo] = (await allPages(harness, `/v1.0/users/${owner.id}/calendarView?${JANUARY}&$top=100`, { Prefer: 'outlook.timezone="Asia/Tokyo"' })).filter((event) => event.isAllDay);
    expect(inTokyo.start).toEqual({ dateTime: fridays.find((event) => event.isAllDay).start.dateTime, timeZone: 'Asia/Tokyo' });
  });

  it('serves mailboxSettings: deterministic working hours and zone, or those given to addTenant', async () => {
    const settings = await harness.graph('GET', `/v1.0/users/${parisian.id}/mailboxSettings`);
    expect(settings.json).toMatchObject({
      timeZone: 'Romance Standard Time',
      workingHours: { daysOfWeek: ['monday', 'tuesday'], startTime: '10:00:00.0000000', endTime: '16:30:00.0000000', timeZone: { name: 'Romance Standard Time' } },
      userPurpose: 'user',
    });
    const zones = new Set<string>();
    for (const user of harness.users.slice(2)) zones.add((await harness.graph('GET', `/v1.0/users/${user.id}/mailboxSettings?$select=timeZone`)).json.timeZone);
    expect(zones.size).toBeGreaterThanOrEqual(3);
    const calendarsOnly = await harness.tokenWithRoles(['Calendars.Read'], { users: 1 });
    const denied = await harness.graph('GET', `/v1.0/users/${calendarsOnly.users[0].id}/mailboxSettings`, { token: calendarsOnly.token });
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'ErrorAccessDenied' } } });
  });
});

describe('large tenants', () => {
  it('adds 50,000 users and serves the last one a month of events, to that tenant only', async () => {
    const large = await harness.tokenWithRoles(['Calendars.Read', 'User.Read.All'], { users: 50_000 });
    const last = large.users[49_999];
    expect((await harness.graph('GET', `/v1.0/users/${last.id}/calendarView?${JANUARY}`)).json.error.code).toBe('ErrorInvalidUser');
    const view = await harness.graph('GET', `/v1.0/users/${last.id}/calendarView?${JANUARY}&$top=100`, { token: large.token });
    expect(view.json.value).toHaveLength(56);
  });
});
