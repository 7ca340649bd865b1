import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser } from '../fake-microsoft';
import { GraphTestClient } from '../fake-microsoft/graph-test-client';
import { CANCEL_EVENT, CREATE_EVENT, DELETE_EVENT, RESPOND_TO_EVENT, UPDATE_EVENT, eventWritesSent, eventsOf, writableTenant } from './event-steps';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';

/** Booking, moving, cancelling, deleting and answering meetings, as Microsoft receives and stores them. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let org: Awaited<ReturnType<typeof writableTenant>>;
let organizer: FakeUser;
let colleague: FakeUser;
let another: FakeUser;
let room: { emailAddress: string; displayName: string };

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake), { LOG_LEVEL: 'info' });
  org = await writableTenant(gateway, fake);
  [organizer, colleague, another] = org.organisation.users as [FakeUser, FakeUser, FakeUser];
  const rooms = await gateway.gql('query($tenant: ID!) { tenant(id: $tenant) { rooms(first: 1) { nodes { emailAddress displayName } } } }', { tenant: org.tenant.id });
  room = rooms.data.tenant.rooms.nodes[0];
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.requestLog.length = 0;
});

const DAY = { start: '2026-03-10T00:00:00Z', end: '2026-03-11T00:00:00Z' };
const meeting = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  subject: 'Quarterly planning',
  start: '2026-03-10T09:00:00Z',
  end: '2026-03-10T10:30:00Z',
  attendees: [{ email: colleague.mail }],
  ...overrides,
});

async function book(input: Record<string, unknown>, user: FakeUser = organizer, extra: Record<string, unknown> = {}) {
  const answer = await gateway.gql(CREATE_EVENT, { tenant: org.tenant.id, user: user.id, input, ...extra });
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data.createEvent;
}

const write = (mutation: string, variables: Record<string, unknown>) => gateway.gql(mutation, { tenant: org.tenant.id, ...variables });
const stored = (user: FakeUser, eventId: string) => fake.mailbox.getEvent(org.organisation.tenantId, user.id, eventId);
const copyOf = async (user: FakeUser, iCalUId: string, window = DAY) => (await eventsOf(gateway, org.tenant.id, user.id, window)).find((event) => event.iCalUId === iCalUId);

describe('booking', () => {
  it('books a meeting with a colleague, a guest and a room, and reads it back with every field', async () => {
    const input = meeting({
      timeZone: 'Europe/Paris',
      body: 'Agenda:\n1. Numbers\n2. Plans',
      location: room.displayName,
      attendees: [
        { email: colleague.mail, name: colleague.displayName },
        { email: 'guest@fabrikam.example', type: 'OPTIONAL' },
        { email: room.emailAddress, name: room.displayName, type: 'RESOURCE' },
      ],
      isOnlineMeeting: true,
      freeBusyStatus: 'TENTATIVE',
      sensitivity: 'PRIVATE',
      allowNewTimeProposals: false,
    });
    const event = await book(input);
    expect(event).toEqual({
      id: expect.stringMatching(/^AAMkAG/),
      subject: 'Quarterly planning',
      start: '2026-03-10T09:00:00.000Z',
      end: '2026-03-10T10:30:00.000Z',
      isAllDay: false,
      showAs: 'tentative',
      freeBusyStatus: 'TENTATIVE',
      organizer: { name: organizer.displayName, address: organizer.mail },
      attendees: [
        { emailAddress: { name: colleague.displayName, address: colleague.mail }, type: 'REQUIRED', response: 'NONE' },
        { emailAddress: { name: 'guest@fabrikam.example', address: 'guest@fabrikam.example' }, type: 'OPTIONAL', response: 'NONE' },
        { emailAddress: { name: room.displayName, address: room.emailAddress }, type: 'RESOURCE', response: 'ACCEPTED' },
      ],
      location: room.displayName,
      isOnlineMeeting: true,
      onlineMeetingUrl: expect.stringMatching(/^https:\/\/teams\./),
      bodyPreview: expect.stringContaining('Agenda:'),
      sensitivity: 'PRIVATE',
      isCancelled: false,
      type: 'SINGLE_INSTANCE',
      seriesMasterId: null,
      iCalUId: expect.any(String),
      webLink: expect.stringMatching(/^https:\/\//),
      categories: [],
      createdAt: expect.any(String),
      lastModifiedAt: expect.any(String),
      warnings: [],
    });
    const readBack = (await eventsOf(gateway, org.tenant.id, organizer.id, DAY)).filter((each) => each.id === event.id);
    expect(readBack).toEqual([{ ...event, warnings: null }]);

    // What Exchange stored: the zone it was booked in, the body as plain text, a transactionId of the gateway's.
    expect(stored(organizer, event.id)).toMatchObject({
      originalStartTimeZone: 'Europe/Paris',
      originalEndTimeZone: 'Europe/Paris',
      body: { contentType: 'text', content: input.body },
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: false,
      transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await copyOf(colleague, event.iCalUId)).toMatchObject({ subject: 'Quarterly planning', organizer: event.organizer, start: event.start });
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events']);
  });

  it('books in a calendar other than the default one', async () => {
    const calendars = await gateway.gql('query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { calendars { id isDefaultCalendar } } } }', { tenant: org.tenant.id, user: organizer.id });
    const other = calendars.data.tenant.user.calendars.find((calendar: { isDefaultCalendar: boolean }) => !calendar.isDefaultCalendar);
    const event = await book(meeting({ subject: 'Side project', attendees: [] }), organizer, { calendar: other.id });
    const view = await gateway.gql(
      `query($tenant: ID!, $user: ID!) { tenant(id: $tenant) { user(id: $user) { calendars { id events(start: "${DAY.start}", end: "${DAY.end}") { id } } } } }`,
      { tenant: org.tenant.id, user: organizer.id },
    );
    const byCalendar = Object.fromEntries(view.data.tenant.user.calendars.map((calendar: { id: string; events: Array<{ id: string }> }) => [calendar.id, calendar.events.map((each) => each.id)]));
    expect(byCalendar[other.id]).toContain(event.id);
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/calendars/{id}/events']);
  });

  it('keeps the instant of a booking in Europe/Paris, summer and winter, named the IANA or the Windows way', async () => {
    const summer = await book(meeting({ subject: 'Summer sync', start: '2026-07-01T14:00:00+02:00', end: '2026-07-01T15:00:00+02:00', timeZone: 'Europe/Paris', attendees: [] }));
    const winter = await book(meeting({ subject: 'Winter sync', start: '2026-01-15T09:00:00Z', end: '2026-01-15T09:30:00Z', timeZone: 'Romance Standard Time', attendees: [] }));
    expect([summer.start, summer.end, winter.start, winter.end]).toEqual(['2026-07-01T12:00:00.000Z', '2026-07-01T13:00:00.000Z', '2026-01-15T09:00:00.000Z', '2026-01-15T09:30:00.000Z']);
    expect([stored(organizer, summer.id)?.originalStartTimeZone, stored(organizer, winter.id)?.originalStartTimeZone]).toEqual(['Europe/Paris', 'Romance Standard Time']);

    // As an Outlook user in Paris sees them: 14:00 in summer time, 10:00 in winter time.
    const graph = new GraphTestClient(fake, org.app);
    const token = await graph.token(org.organisation.tenantId);
    const inParis = async (id: string) => (await graph.call(token, 'GET', `/users/${organizer.id}/events/${id}?$select=start`, undefined, { Prefer: 'outlook.timezone="Europe/Paris"' })).json.start.dateTime;
    expect([await inParis(summer.id), await inParis(winter.id)]).toEqual(['2026-07-01T14:00:00.0000000', '2026-01-15T10:00:00.0000000']);
  });

  it('books an all-day event from midnight to midnight in its zone', async () => {
    const holiday = await book(meeting({ subject: 'Offsite', start: '2026-03-09T23:00:00Z', end: '2026-03-10T23:00:00Z', timeZone: 'Europe/Paris', isAllDay: true, attendees: [] }));
    // Graph keeps all-day events as floating dates, read as UTC midnights.
    expect(holiday).toMatchObject({ isAllDay: true, start: '2026-03-10T00:00:00.000Z', end: '2026-03-11T00:00:00.000Z' });
  });

  it('says so when a Teams meeting was asked for and the mailbox allows none', async () => {
    fake.faults.onlineMeetingsDisabledUsers = new Set([organizer.id]);
    const event = await book(meeting({ subject: 'Call', isOnlineMeeting: true, attendees: [] }));
    expect(event).toMatchObject({ isOnlineMeeting: false, onlineMeetingUrl: null });
    expect(event.warnings).toEqual([{ code: 'ONLINE_MEETING_NOT_CREATED', message: expect.stringMatching(/without a Teams meeting.*meeting link/) }]);
  });
});

describe('changing', () => {
  it('changes only the fields given, and the attendees see the move', async () => {
    const event = await book(meeting({ subject: 'Design review', body: 'Bring sketches', location: 'Room A', timeZone: 'Europe/Paris' }));
    const before = stored(organizer, event.id)!;
    const relocated = await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { location: 'Room B', freeBusyStatus: 'FREE' } });
    expect(relocated.data.updateEvent).toMatchObject({ id: event.id, subject: 'Design review', start: event.start, end: event.end, location: 'Room B', freeBusyStatus: 'FREE', attendees: event.attendees, warnings: [] });
    const after = stored(organizer, event.id)!;
    // lastModifiedDateTime has whole seconds, so it may not have moved yet.
    const changed = Object.keys(after).filter((name) => name !== 'lastModifiedDateTime' && JSON.stringify(after[name]) !== JSON.stringify(before[name]));
    expect(changed.sort()).toEqual(['@odata.etag', 'changeKey', 'location', 'locations', 'showAs']);

    const moved = await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { start: '2026-03-10T15:00:00Z', end: '2026-03-10T16:00:00Z', timeZone: 'America/New_York' } });
    expect(moved.data.updateEvent).toMatchObject({ subject: 'Design review', start: '2026-03-10T15:00:00.000Z', end: '2026-03-10T16:00:00.000Z', location: 'Room B' });
    expect(stored(organizer, event.id)).toMatchObject({ originalStartTimeZone: 'America/New_York', body: { content: 'Bring sketches' } });
    expect(await copyOf(colleague, event.iCalUId)).toMatchObject({ start: '2026-03-10T15:00:00.000Z', location: 'Room B' });

    const cleared = await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { body: null, location: null } });
    expect(cleared.data.updateEvent).toMatchObject({ bodyPreview: '', location: null, subject: 'Design review' });
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'PATCH /users/{id}/events/{id}', 'PATCH /users/{id}/events/{id}', 'PATCH /users/{id}/events/{id}']);
  });

  it('sends a change once: a 503 or a 429 is reported, not repeated', async () => {
    const event = await book(meeting({ subject: 'Retro', attendees: [] }));
    fake.faults.failEventWrites = { count: 1, status: 503 };
    const unavailable = await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { subject: 'Retro (moved)' } });
    expect(unavailable.errors?.[0]?.extensions.code).toBe('UPSTREAM_ERROR');
    expect(unavailable.errors?.[0]?.message).toMatch(/did not confirm the update of the event .*may or may not have been made. Read the event/);
    fake.faults.throttleGraphRequests = { count: 1, retryAfterSeconds: 2 };
    const throttled = await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { subject: 'Retro (moved)' } });
    expect(throttled.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPH_THROTTLED', retryAfterSeconds: 2 }, message: expect.stringMatching(/was not made. Try again in 2 seconds/) });
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'PATCH /users/{id}/events/{id}', 'PATCH /users/{id}/events/{id}']);
    expect(stored(organizer, event.id)?.subject).toBe('Retro');
  });
});

describe('cancelling and deleting', () => {
  it('cancels a meeting as its organizer: it leaves the calendar and the attendees\' copies are cancelled', async () => {
    const event = await book(meeting({ subject: 'Offsite prep', attendees: [{ email: colleague.mail }, { email: room.emailAddress, type: 'RESOURCE' }] }));
    const cancelled = await write(CANCEL_EVENT, { user: organizer.id, event: event.id, comment: 'Moving to next week' });
    expect(cancelled).toMatchObject({ data: { cancelEvent: true } });
    expect(stored(organizer, event.id)).toBeUndefined();
    expect(await copyOf(colleague, event.iCalUId)).toMatchObject({ isCancelled: true, subject: 'Canceled: Offsite prep' });
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'POST /users/{id}/events/{id}/cancel']);
  });

  it('refuses to cancel for an attendee, says to decline instead, and sends nothing', async () => {
    const event = await book(meeting({ subject: 'Budget', attendees: [{ email: colleague.mail }] }));
    const copy = await copyOf(colleague, event.iCalUId);
    fake.requestLog.length = 0;
    const refused = await write(CANCEL_EVENT, { user: colleague.id, event: copy.id });
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/attendee of this meeting, not its organizer.*Decline it instead with respondToEvent\(response: DECLINE\)/) });
    expect(eventWritesSent(fake)).toEqual([]);
    expect(await copyOf(colleague, event.iCalUId)).toMatchObject({ isCancelled: false });
  });

  it('deletes an event once; a second delete says there is no such event', async () => {
    const event = await book(meeting({ subject: 'Dentist', attendees: [] }));
    expect((await write(DELETE_EVENT, { user: organizer.id, event: event.id })).data).toEqual({ deleteEvent: true });
    expect(stored(organizer, event.id)).toBeUndefined();
    const again = await write(DELETE_EVENT, { user: organizer.id, event: event.id });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/No such event in the calendar of user/) });
  });

  it('counts a resent delete that finds nothing as done, when the first one\'s answer was lost', async () => {
    const event = await book(meeting({ subject: 'Gym', attendees: [] }));
    fake.faults.dropNextDeleteAnswer = true;
    expect((await write(DELETE_EVENT, { user: organizer.id, event: event.id })).data).toEqual({ deleteEvent: true });
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'DELETE /users/{id}/events/{id}', 'DELETE /users/{id}/events/{id}']);
    expect(stored(organizer, event.id)).toBeUndefined();
  });
});

describe('answering invitations', () => {
  it('accepts telling the organizer, accepts tentatively without telling, and declines', async () => {
    const event = await book(meeting({ subject: 'Kick-off', attendees: [{ email: colleague.mail }, { email: another.mail }] }));
    const [colleagueCopy, anotherCopy] = [await copyOf(colleague, event.iCalUId), await copyOf(another, event.iCalUId)];
    const responses = () => (stored(organizer, event.id)!.attendees as Array<{ status: { response: string } }>).map((attendee) => attendee.status.response);

    expect((await write(RESPOND_TO_EVENT, { user: colleague.id, event: colleagueCopy.id, response: 'ACCEPT', comment: 'See you there' })).data).toEqual({ respondToEvent: true });
    expect(responses()).toEqual(['accepted', 'none']);
    expect((await write(RESPOND_TO_EVENT, { user: another.id, event: anotherCopy.id, response: 'TENTATIVE', sendResponse: false })).data).toEqual({ respondToEvent: true });
    expect(responses()).toEqual(['accepted', 'none']);
    expect(await copyOf(another, event.iCalUId)).toMatchObject({ freeBusyStatus: 'TENTATIVE' });
    expect((await write(RESPOND_TO_EVENT, { user: another.id, event: anotherCopy.id, response: 'DECLINE' })).data).toEqual({ respondToEvent: true });
    expect(responses()).toEqual(['accepted', 'declined']);
    expect(await copyOf(another, event.iCalUId)).toBeUndefined();
    expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'POST /users/{id}/events/{id}/accept', 'POST /users/{id}/events/{id}/tentativelyAccept', 'POST /users/{id}/events/{id}/decline']);
  });

  it("passes on Graph's refusal when the organizer answers their own meeting", async () => {
    const event = await book(meeting({ subject: 'Standup' }));
    const refused = await write(RESPOND_TO_EVENT, { user: organizer.id, event: event.id, response: 'ACCEPT' });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/you're the meeting organizer/) });
  });
});

it('logs one audit line per write, with tenant, user, event and request, never the subject or body', async () => {
  const event = await book(meeting({ subject: 'Secret merger talks', body: 'Confidential numbers', attendees: [] }));
  await write(UPDATE_EVENT, { user: organizer.id, event: event.id, input: { subject: 'Secret merger talks, part 2' } });
  await write(DELETE_EVENT, { user: organizer.id, event: event.id });
  const lines = await auditLines(event.id, 3);
  expect(lines.map((line) => line.operation)).toEqual(['create', 'update', 'delete']);
  for (const line of lines) expect(line).toMatchObject({ level: 'info', tenantId: org.tenant.id, userId: organizer.id, eventId: event.id, requestId: expect.any(String) });
  expect(gateway.output()).not.toMatch(/Secret merger|Confidential numbers/);
});

/** The audit lines about an event, once `count` of them have come through the gateway's stdout (it may lag behind the answers). */
async function auditLines(eventId: string, count: number): Promise<any[]> {
  for (;;) {
    const complete = gateway.output().split('\n').slice(0, -1);
    const lines = complete.filter((line) => line.includes('"audit":"event_write"') && line.includes(eventId)).map((line) => JSON.parse(line));
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
