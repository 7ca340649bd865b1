import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GraphTestClient } from '../fake-microsoft/graph-test-client';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** Events with every field of the contract, read with only the Graph properties the query selects. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let setup: Awaited<ReturnType<typeof consentedTenant>>;
let graphToken: string;
let rawGraph: GraphTestClient;

const WEEK = { start: '2026-01-05T00:00:00Z', end: '2026-01-12T00:00:00Z' };
const ALL_EVENT_FIELDS = `id subject start end isAllDay showAs freeBusyStatus organizer { name address }
  attendees { emailAddress { name address } type response } location isOnlineMeeting onlineMeetingUrl bodyPreview
  sensitivity isCancelled type seriesMasterId iCalUId webLink categories createdAt lastModifiedAt`;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  setup = await consentedTenant(gateway, fake, { users: 6 });
  rawGraph = new GraphTestClient(fake, setup.app);
  graphToken = await rawGraph.token(setup.organisation.tenantId);
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.batchItemLog.length = 0;
});

/** What Graph itself answers for that view, every page, in UTC. */
async function graphView(path: string, window = WEEK): Promise<any[]> {
  const answer = await rawGraph.call(graphToken, 'GET', `${path}?startDateTime=${window.start}&endDateTime=${window.end}&$top=1000`, undefined, { Prefer: 'outlook.timezone="UTC"' });
  expect(answer.status).toBe(200);
  return answer.json.value;
}

const enumOf = (graphValue: string) => graphValue.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
const instant = (graphDateTime: string) => new Date(`${graphDateTime.replace(/Z$/, '')}Z`).toISOString();
const selectOf = (url: string) => new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('$select')!.split(',').sort();

/** An event as the contract maps Graph's, written out field by field. */
function expectedEvent(raw: any) {
  return {
    id: raw.id,
    subject: raw.subject,
    start: instant(raw.start.dateTime),
    end: instant(raw.end.dateTime),
    isAllDay: raw.isAllDay,
    showAs: raw.showAs,
    freeBusyStatus: enumOf(raw.showAs),
    organizer: raw.organizer.emailAddress,
    attendees: raw.attendees.map((attendee: any) => ({ emailAddress: attendee.emailAddress, type: enumOf(attendee.type), response: enumOf(attendee.status.response) })),
    location: raw.location.displayName || null,
    isOnlineMeeting: raw.isOnlineMeeting,
    onlineMeetingUrl: raw.onlineMeeting?.joinUrl ?? null,
    bodyPreview: raw.bodyPreview,
    sensitivity: enumOf(raw.sensitivity),
    isCancelled: raw.isCancelled,
    type: enumOf(raw.type),
    seriesMasterId: raw.seriesMasterId,
    iCalUId: raw.iCalUId,
    webLink: raw.webLink,
    categories: raw.categories,
    createdAt: instant(raw.createdDateTime),
    lastModifiedAt: instant(raw.lastModifiedDateTime),
  };
}

describe('rich events', () => {
  it('maps every field as Graph has it for a week of recurring meetings with attendees, rooms and online meetings', async () => {
    const [user] = setup.organisation.users;
    const result = await gateway.gql(
      `query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { events(start: "${WEEK.start}", end: "${WEEK.end}") { ${ALL_EVENT_FIELDS} } } } }`,
      { tenant: setup.tenant.id, user: user!.id },
    );
    expect(result.errors).toBeUndefined();
    const events = result.data.tenant.user.events;
    const raw = await graphView(`/users/${user!.id}/calendarView`);
    expect(events).toEqual(raw.map(expectedEvent));

    // The week holds what the issue names: a daily series' occurrences with attendees and a Teams link, the weekly review with a room.
    const standups = events.filter((event: any) => event.subject === 'Daily standup');
    expect(standups).toHaveLength(7);
    expect(new Set(standups.map((event: any) => event.seriesMasterId)).size).toBe(1);
    expect(standups[0]).toMatchObject({ type: 'OCCURRENCE', isOnlineMeeting: true, onlineMeetingUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\//), categories: ['Team'] });
    expect(standups[0].attendees.map((attendee: any) => attendee.response)).toEqual(['ACCEPTED', 'TENTATIVELY_ACCEPTED', 'NONE']);
    const review = events.find((event: any) => /Weekly design review/.test(event.subject));
    expect(review.attendees.some((attendee: any) => attendee.type === 'RESOURCE')).toBe(true);
    expect(events.find((event: any) => event.isAllDay)).toMatchObject({ freeBusyStatus: 'WORKING_ELSEWHERE', showAs: 'workingElsewhere', sensitivity: 'PERSONAL' });

    // Every property the fields need, and isOnlineMeeting with onlineMeeting (Graph leaves joinUrl out otherwise).
    const [item] = fake.batchItemLog.filter((entry) => entry.url.includes('/calendarView'));
    expect(selectOf(item!.url)).toEqual(
      ['attendees', 'bodyPreview', 'categories', 'createdDateTime', 'end', 'iCalUId', 'id', 'isAllDay', 'isCancelled', 'isOnlineMeeting', 'lastModifiedDateTime', 'location', 'onlineMeeting', 'organizer', 'sensitivity', 'seriesMasterId', 'showAs', 'start', 'subject', 'type', 'webLink'],
    );
    expect(item!.headers).toEqual({ Prefer: 'outlook.timezone="UTC", IdType="ImmutableId"' });
  });

  it('asks Graph only for what the query selects', async () => {
    const [user] = setup.organisation.users;
    const query = (fields: string) =>
      gateway.gql(`query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { events(start: "${WEEK.start}", end: "${WEEK.end}") { ${fields} } } } }`, {
        tenant: setup.tenant.id,
        user: user!.id,
      });
    const cases: Array<[string, string[]]> = [
      ['subject', ['id', 'subject']],
      ['... on Event { subject } ...times', ['end', 'id', 'start', 'subject']],
      ['onlineMeetingUrl', ['id', 'isOnlineMeeting', 'onlineMeeting']],
      ['freeBusyStatus showAs createdAt', ['createdDateTime', 'id', 'showAs']],
      ['__typename', ['id']],
    ];
    for (const [fields, select] of cases) {
      fake.batchItemLog.length = 0;
      const result = fields.includes('...times')
        ? await gateway.gql(
            `query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { events(start: "${WEEK.start}", end: "${WEEK.end}") { ${fields} } } } } fragment times on Event { start end }`,
            { tenant: setup.tenant.id, user: user!.id },
          )
        : await query(fields);
      expect(result.errors).toBeUndefined();
      const [item] = fake.batchItemLog.filter((entry) => entry.url.includes('/calendarView'));
      expect([fields, selectOf(item!.url)]).toEqual([fields, select]);
    }
    const subjectsOnly = await query('subject');
    expect(subjectsOnly.data.tenant.user.events[0]).toEqual({ subject: 'Daily standup' });
  });

  it('merges the selections of sibling fields into the same $batch call', async () => {
    const [first, second] = setup.organisation.users;
    const window = `start: "${WEEK.start}", end: "${WEEK.end}"`;
    const result = await gateway.gql(
      `query($tenant: ID!, $a: ID!, $b: ID!) { tenant(id: $tenant) {
        a: user(id: $a) { events(${window}) { subject } }
        b: user(id: $b) { events(${window}) { attendees { type } } }
        c: user(id: $a) { events(${window}) { start } } } }`,
      { tenant: setup.tenant.id, a: first!.id, b: second!.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.a.events.map((event: any) => event.subject)).toContain('Daily standup');
    expect(result.data.tenant.c.events).toHaveLength(result.data.tenant.a.events.length);
    const views = fake.batchItemLog.filter((entry) => entry.url.includes('/calendarView'));
    expect(views.map((entry) => [entry.url.split('?')[0], selectOf(entry.url)])).toEqual(
      expect.arrayContaining([
        [`/users/${first!.id}/calendarView`, ['id', 'start', 'subject']],
        [`/users/${second!.id}/calendarView`, ['attendees', 'id']],
      ]),
    );
    expect(views).toHaveLength(2);
    expect(fake.counters.batchRequests).toBe(2); // the two users, then both calendar views
  });

  it("reads a calendar's own view, batched with every other calendar's, and downloads only ids for calendar ids", async () => {
    const [user] = setup.organisation.users;
    // Four weeks: the second calendar (holidays) has an event every other week.
    const month = { start: '2026-01-05T00:00:00Z', end: '2026-02-02T00:00:00Z' };
    const result = await gateway.gql(
      `query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) {
        calendars { id name isDefaultCalendar events(start: "${month.start}", end: "${month.end}") { subject start end isAllDay } } } } }`,
      { tenant: setup.tenant.id, user: user!.id },
    );
    expect(result.errors).toBeUndefined();
    const calendars = result.data.tenant.user.calendars;
    expect(calendars.map((calendar: any) => calendar.isDefaultCalendar)).toEqual([true, false]);
    for (const calendar of calendars) {
      const raw = await graphView(`/users/${user!.id}/calendars/${calendar.id}/calendarView`, month);
      expect(calendar.events).toEqual(raw.map((event) => ({ subject: event.subject, start: instant(event.start.dateTime), end: instant(event.end.dateTime), isAllDay: event.isAllDay })));
    }
    expect(calendars[1].events.length).toBeGreaterThan(0);
    expect(calendars[1].events.map((event: any) => event.subject)).not.toContain('Daily standup');
    const views = fake.batchItemLog.filter((entry) => entry.url.includes('/calendarView'));
    expect(views.map((entry) => entry.url.split('?')[0])).toEqual(expect.arrayContaining(calendars.map((calendar: any) => `/users/${user!.id}/calendars/${encodeURIComponent(calendar.id)}/calendarView`)));
    expect(fake.counters.batchRequests).toBe(3); // the user, its calendars, both calendars' views in one $batch

    fake.batchItemLog.length = 0;
    const ids = await gateway.gql('query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { calendars { id } } } }', { tenant: setup.tenant.id, user: user!.id });
    expect(ids.errors).toBeUndefined();
    const [item] = fake.batchItemLog.filter((entry) => entry.url.endsWith('/calendars') || entry.url.includes('/calendars?'));
    expect(selectOf(item!.url)).toEqual(['id']);
  });

  it("refuses a bad calendar window before any call to Microsoft", async () => {
    const result = await gateway.gql(
      `query($tenant: ID!) { tenant(id: $tenant) { users(first: 5) { nodes { calendars { events(start: "2026-01-08T00:00:00Z", end: "2026-01-01T00:00:00Z") { id } } } } } }`,
      { tenant: setup.tenant.id },
    );
    expect(result.status).toBe(400);
    expect(result.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(/end must be after start/);
    expect(fake.counters.graphRequests).toBe(0);
  });
});
