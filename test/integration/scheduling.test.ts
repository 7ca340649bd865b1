import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** Free/busy through getSchedule carried in $batch, and meeting times computed from it. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let org: Awaited<ReturnType<typeof consentedTenant>>;

const SCOPES = ['Directory.Read.All', 'Calendars.Read', 'Place.Read.All'];
const DAY = { start: '2026-01-05T08:00:00Z', end: '2026-01-05T18:00:00Z' };
const SCHEDULE_ROUTE = 'batch POST /users/{id}/calendar/getSchedule';

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  org = await consentedTenant(gateway, fake, { users: 120, scopes: SCOPES });
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

const scheduleCalls = () => fake.batchItemLog.filter((entry) => entry.url.endsWith('/calendar/getSchedule'));
const mailboxesOf = (entry: { body?: unknown }) => (entry.body as { schedules: string[] }).schedules;

describe('schedules', () => {
  it('reads the schedules of 100 users with 5 getSchedule requests of 20 in one $batch call', async () => {
    const result = await gateway.gql(
      `query($tenant: ID!) { tenant(id: $tenant) { users(first: 100) { nodes { mail
        schedule(start: "${DAY.start}", end: "${DAY.end}") { email availabilityView items { start end status subject } workingHours { daysOfWeek startTime endTime timeZone ianaTimeZone } error } } } } }`,
      { tenant: org.tenant.id },
    );
    expect(result.errors).toBeUndefined();
    const users = result.data.tenant.users.nodes;
    expect(users).toHaveLength(100);
    for (const user of users) {
      expect(user.schedule).toMatchObject({ email: user.mail, availabilityView: expect.stringMatching(/^[0-4]{20}$/), error: null });
      expect(user.schedule.workingHours).toMatchObject({ startTime: expect.stringMatching(/^\d\d:\d\d:00$/), ianaTimeZone: expect.stringMatching(/\//) });
    }
    // The first 08:00–18:00 UTC of the series: each user's standup, as a busy item.
    expect(users[0].schedule.items).toContainEqual({ start: '2026-01-05T09:00:00.000Z', end: expect.any(String), status: 'BUSY', subject: 'Daily standup' });

    expect(fake.counters.byRoute['GET /users']).toBe(1);
    expect(fake.counters.batchRequests).toBe(1);
    expect(fake.counters.byRoute[SCHEDULE_ROUTE]).toBe(5);
    expect(fake.counters.graphRequests).toBe(2);
    const calls = scheduleCalls();
    expect(calls.map((call) => mailboxesOf(call).length)).toEqual([20, 20, 20, 20, 20]);
    expect(calls.flatMap(mailboxesOf).sort()).toEqual(users.map((user: any) => user.mail).sort());
    expect(calls[0]!.headers).toEqual({ 'Content-Type': 'application/json', Prefer: 'outlook.timezone="UTC"' });
    expect(calls[0]!.body).toMatchObject({ startTime: { dateTime: '2026-01-05T08:00:00.000', timeZone: 'UTC' }, availabilityViewInterval: 30 });
  });

  it('answers an unknown or external address with its error, even when it comes first', async () => {
    const known = org.organisation.users[3]!.mail!;
    const emails = ['someone@fabrikam.example', known, `nobody@${known.split('@')[1]}`];
    const result = await gateway.gql(
      `query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) { schedules(emails: $emails, start: "${DAY.start}", end: "${DAY.end}", intervalMinutes: 60) { email availabilityView error } } }`,
      { tenant: org.tenant.id, emails },
    );
    expect(result.errors).toBeUndefined();
    const [external, person, unknown] = result.data.tenant.schedules;
    expect(external).toEqual({ email: emails[0], availabilityView: null, error: expect.stringMatching(/Unable to resolve|No mailbox/) });
    expect(person).toEqual({ email: known, availabilityView: expect.stringMatching(/^[0-4]{10}$/), error: null });
    expect(unknown).toEqual({ email: emails[2], availabilityView: null, error: expect.stringContaining('Unable to resolve') });
    // The external address cannot ask for the others (404): the next address in the call does, in the next round.
    expect(scheduleCalls().map((call) => call.url)).toEqual([`/users/${encodeURIComponent(emails[0]!)}/calendar/getSchedule`, `/users/${encodeURIComponent(known)}/calendar/getSchedule`]);
    expect(fake.counters.batchRequests).toBe(2);
  });

  it('answers a list of only external addresses as data', async () => {
    const emails = ['ann@fabrikam.example', 'bob@fabrikam.example'];
    const result = await gateway.gql(
      `query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) { schedules(emails: $emails, start: "${DAY.start}", end: "${DAY.end}") { email error } } }`,
      { tenant: org.tenant.id, emails },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.tenant.schedules).toEqual(emails.map((email) => ({ email, error: expect.stringMatching(/^No mailbox of this organisation has this address/) })));
  });

  it("shows a room's availability through its email", async () => {
    const rooms = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { rooms(first: 3) { nodes { displayName emailAddress } } } }', { tenant: org.tenant.id });
    expect(rooms.errors).toBeUndefined();
    const emails = rooms.data.tenant.rooms.nodes.map((room: any) => room.emailAddress);
    const result = await gateway.gql(
      `query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) { schedules(emails: $emails, start: "2026-01-05T00:00:00Z", end: "2026-01-10T00:00:00Z", intervalMinutes: 60) { email availabilityView items { start end status } error } } }`,
      { tenant: org.tenant.id, emails },
    );
    expect(result.errors).toBeUndefined();
    const schedules = result.data.tenant.schedules;
    expect(schedules.map((schedule: any) => schedule.email)).toEqual(emails);
    for (const schedule of schedules) expect(schedule).toMatchObject({ availabilityView: expect.stringMatching(/^[0-4]{120}$/), error: null });
    expect(schedules.flatMap((schedule: any) => schedule.items).length).toBeGreaterThan(0);
    expect(scheduleCalls()).toHaveLength(1);
  });

  it('fails only the schedule Graph would not serve, not the user or the page', async () => {
    // Each window is its own getSchedule call. The first batch item (Monday's) is throttled for longer than the gateway waits.
    fake.faults.throttleBatchItems = { count: 1, retryAfterSeconds: 3600 };
    const result = await gateway.gql(
      `query($tenant: ID!) { tenant(id: $tenant) { users(first: 2) { nodes { mail
        monday: schedule(start: "2026-01-05T08:00:00Z", end: "2026-01-05T12:00:00Z") { availabilityView }
        tuesday: schedule(start: "2026-01-06T08:00:00Z", end: "2026-01-06T12:00:00Z") { availabilityView } } } } }`,
      { tenant: org.tenant.id },
    );
    expect(result.errors).toHaveLength(2);
    for (const [index, error] of result.errors!.entries()) {
      expect(error).toMatchObject({ path: ['tenant', 'users', 'nodes', index, 'monday'], extensions: { code: 'GRAPH_THROTTLED' } });
    }
    for (const user of result.data.tenant.users.nodes) {
      expect(user).toEqual({ mail: expect.any(String), monday: null, tuesday: { availabilityView: expect.stringMatching(/^[0-4]{8}$/) } });
    }
    expect(fake.counters.byRoute[SCHEDULE_ROUTE]).toBe(2);
  });
});

describe('meeting times', () => {
  const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  // Alice works 09:00–17:00 in Los Angeles (17:00–01:00 UTC in January), Bob 09:00–18:00 in London (UTC): they overlap 17:00–18:00 UTC.
  const people = [
    { displayName: 'Alice Pacific', timeZone: 'Pacific Standard Time', workingHours: { daysOfWeek: WEEKDAYS, startTime: '09:00', endTime: '17:00' }, eventsPerDay: 0, calendarCount: 1 },
    { displayName: 'Bob London', timeZone: 'GMT Standard Time', workingHours: { daysOfWeek: WEEKDAYS, startTime: '09:00', endTime: '18:00' }, eventsPerDay: 0, calendarCount: 1 },
  ];
  let team: Awaited<ReturnType<typeof consentedTenant>>;
  let emails: string[];

  const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });
  const search = (args: string, variables: Record<string, unknown> = {}) =>
    gateway.gql(`query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) { meetingTimes(emails: $emails, ${args}) { start end } } }`, { tenant: team.tenant.id, emails, ...variables });
  const slots = (result: { data: any }) => result.data.tenant.meetingTimes.map((slot: any) => `${slot.start.slice(0, 16)}/${slot.end.slice(11, 16)}`);

  beforeAll(async () => {
    team = await consentedTenant(gateway, fake, { users: people, rooms: 0, scopes: SCOPES });
    const [alice, bob] = team.organisation.users;
    emails = [alice!.mail!, bob!.mail!];
    const tenantId = team.organisation.tenantId;
    // Tuesday: Alice is busy 17:00–17:30; Bob's free and tentative items do not matter or lie outside the overlap.
    fake.mailbox.createEvent(tenantId, alice!.id, { subject: 'Focus', start: utc('2026-01-06T17:00:00'), end: utc('2026-01-06T17:30:00'), showAs: 'busy' });
    fake.mailbox.createEvent(tenantId, bob!.id, { subject: 'Lunch walk', start: utc('2026-01-06T17:30:00'), end: utc('2026-01-06T18:00:00'), showAs: 'free' });
    fake.mailbox.createEvent(tenantId, bob!.id, { subject: 'Maybe', start: utc('2026-01-06T16:00:00'), end: utc('2026-01-06T16:30:00'), showAs: 'tentative' });
    // Wednesday: a quarter-hour meeting of the two (Bob's copy comes through the invitation); Bob then works elsewhere, which counts as free.
    fake.mailbox.createEvent(tenantId, alice!.id, {
      subject: 'Sync',
      start: utc('2026-01-07T17:00:00'),
      end: utc('2026-01-07T17:15:00'),
      attendees: [{ emailAddress: { address: bob!.mail }, type: 'required' }],
    });
    fake.mailbox.createEvent(tenantId, bob!.id, { subject: 'At the client', start: utc('2026-01-07T17:30:00'), end: utc('2026-01-07T18:00:00'), showAs: 'workingElsewhere' });
  });

  it("finds the slots inside both people's working hours, in their own zones, around their meetings", async () => {
    const result = await search('start: "2026-01-06T00:00:00Z", end: "2026-01-08T00:00:00Z", durationMinutes: 30, intervalMinutes: 15');
    expect(result.errors).toBeUndefined();
    expect(slots(result)).toEqual(['2026-01-06T17:30/18:00', '2026-01-07T17:15/17:45', '2026-01-07T17:30/18:00']);
    expect(scheduleCalls()).toHaveLength(1);
    expect(mailboxesOf(scheduleCalls()[0]!)).toEqual(emails);
  });

  it('fits a longer meeting only where the whole of it is free, and counts the night without working hours', async () => {
    const window = 'start: "2026-01-06T00:00:00Z", end: "2026-01-08T00:00:00Z"';
    const hour = await search(`${window}, durationMinutes: 60`);
    expect(hour.errors).toBeUndefined();
    expect(slots(hour)).toEqual([]); // their one shared hour holds a meeting on both days
    const threeQuarters = await search(`${window}, durationMinutes: 45, intervalMinutes: 15`);
    expect(slots(threeQuarters)).toEqual(['2026-01-07T17:15/18:00']);

    const anyTime = await search('start: "2026-01-06T16:00:00Z", end: "2026-01-06T19:00:00Z", durationMinutes: 30, workingHoursOnly: false, first: 3');
    expect(anyTime.errors).toBeUndefined();
    // 16:00 is Bob's tentative item, 17:00 Alice's focus time; Bob's free item at 17:30 does not count.
    expect(slots(anyTime)).toEqual(['2026-01-06T16:30/17:00', '2026-01-06T17:30/18:00', '2026-01-06T18:00/18:30']);
  });

  it('refuses to search around someone Microsoft has no free/busy for, naming them', async () => {
    const result = await gateway.gql(
      'query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) { meetingTimes(emails: $emails, start: "2026-01-06T00:00:00Z", end: "2026-01-07T00:00:00Z", durationMinutes: 30) { start } } }',
      { tenant: team.tenant.id, emails: [...emails, 'guest@fabrikam.example'] },
    );
    expect(result.data.tenant.meetingTimes).toBeNull();
    expect(result.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', emails: ['guest@fabrikam.example'] }, message: expect.stringContaining('leave it out of emails') });
  });
});
