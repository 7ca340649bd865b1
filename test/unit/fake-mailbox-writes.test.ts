import type { FakeUser, MailboxChange } from '../fake-microsoft';
import { startHarness, type Harness } from './fake-mailbox-harness';

/** Event writes: what Graph accepts and refuses, what attendees and rooms see, and the faults the gateway must survive. */

let harness: Harness;
let organizer: FakeUser;
let attendee: FakeUser;
let roomEmail: string;
let changes: MailboxChange[];
let stopListening: () => void;

beforeAll(async () => {
  harness = await startHarness({ users: 20 });
  [organizer, attendee] = harness.users;
  roomEmail = (await harness.graph('GET', '/v1.0/places/microsoft.graph.room?$top=1')).json.value[0].emailAddress;
});

afterAll(() => harness.fake.stop());

beforeEach(() => {
  harness.fake.resetFaults();
  harness.fake.resetCounters();
  changes = [];
  stopListening = harness.fake.mailboxChanges.onChange((change) => changes.push(change));
});

afterEach(() => stopListening());

const meeting = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Launch plan',
  body: { contentType: 'html', content: '<p>Let us plan the <b>launch</b>.</p>' },
  start: { dateTime: '2025-03-03T10:00:00', timeZone: 'Romance Standard Time' },
  end: { dateTime: '2025-03-03T11:00:00', timeZone: 'Europe/Paris' },
  location: { displayName: 'Harry’s Bar' },
  attendees: [
    { emailAddress: { address: attendee.mail, name: attendee.displayName }, type: 'required' },
    { emailAddress: { address: 'guest@fabrikam.com' }, type: 'optional' },
    { emailAddress: { address: roomEmail }, type: 'resource' },
  ],
  isOnlineMeeting: true,
  onlineMeetingProvider: 'teamsForBusiness',
  showAs: 'busy',
  sensitivity: 'normal',
  allowNewTimeProposals: false,
  ...overrides,
});
const create = (body: unknown, user: FakeUser = organizer, headers: Record<string, string> = {}, path = 'events') => harness.graph('POST', `/v1.0/users/${user.id}/${path}`, { json: body, headers });
const viewOf = async (user: FakeUser | string, day = '2025-03-03') =>
  (await harness.graph('GET', `/v1.0/users/${typeof user === 'string' ? user : user.id}/calendarView?startDateTime=${day}T00:00:00Z&endDateTime=${day}T23:59:59Z&$top=100`)).json.value as any[];

describe('creating events', () => {
  it('answers 201 with the full event, returned in the zones it was booked in whatever Prefer asks, with a Teams join URL', async () => {
    const created = await create(meeting(), organizer, { Prefer: 'outlook.timezone="Pacific Standard Time"' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      '@odata.context': `${harness.fake.url}/v1.0/$metadata#users('${organizer.id}')/events/$entity`,
      id: expect.stringMatching(/^AAMkAG.+=$/),
      iCalUId: expect.stringMatching(/^040000008200E00074C5B7101A82E008/),
      webLink: expect.stringContaining('outlook.office365.com/owa/?itemid='),
      changeKey: expect.any(String),
      createdDateTime: expect.stringMatching(/Z$/),
      subject: 'Launch plan',
      bodyPreview: 'Let us plan the launch.',
      originalStartTimeZone: 'Romance Standard Time',
      originalEndTimeZone: 'Europe/Paris',
      start: { dateTime: '2025-03-03T10:00:00.0000000', timeZone: 'Romance Standard Time' },
      end: { dateTime: '2025-03-03T11:00:00.0000000', timeZone: 'Europe/Paris' },
      isOrganizer: true,
      responseStatus: { response: 'organizer' },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: false,
      location: { displayName: 'Harry’s Bar', uniqueIdType: 'private' },
      type: 'singleInstance',
    });
    expect(created.json.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(created.json.attendees.map((each: any) => [each.type, each.status.response])).toEqual([['required', 'none'], ['optional', 'none'], ['resource', 'accepted']]);
    expect(harness.fake.counters).toMatchObject({ createdEvents: 1, byRoute: { 'POST /users/{id}/events': 1 } });
    expect((await viewOf(organizer)).some((event) => event.id === created.json.id && event.start.dateTime === '2025-03-03T09:00:00.0000000')).toBe(true);
  });

  it('invites attendees of the tenant: a copy with the same iCalUId, not yet answered; the room accepts and blocks its schedule', async () => {
    const created = (await create(meeting({ subject: 'Invitation check', start: { dateTime: '2025-03-04T14:00:00', timeZone: 'UTC' }, end: { dateTime: '2025-03-04T15:00:00', timeZone: 'UTC' } }))).json;
    const copy = (await viewOf(attendee, '2025-03-04')).find((event) => event.iCalUId === created.iCalUId);
    expect(copy).toMatchObject({ subject: 'Invitation check', isOrganizer: false, responseStatus: { response: 'notResponded' }, organizer: { emailAddress: { address: organizer.mail } } });
    expect(copy.id).not.toBe(created.id);
    const booking = (await viewOf(roomEmail, '2025-03-04')).find((event) => event.iCalUId === created.iCalUId);
    expect(booking).toMatchObject({ subject: organizer.displayName, responseStatus: { response: 'accepted' } });
    expect(changes.map((change) => [change.userId, change.changeType])).toEqual([[organizer.id, 'created'], [attendee.id, 'created'], [expect.any(String), 'created']]);
    expect(changes[0]).toMatchObject({ tenantId: harness.tenantId, eventId: created.id, calendarId: expect.stringMatching(/^AAMkAG/) });
  });

  it('creates in the named calendar and through /calendar/events', async () => {
    const calendars = (await harness.graph('GET', `/v1.0/users/${organizer.id}/calendars`)).json.value;
    const inSecond = await create(meeting({ attendees: [] }), organizer, {}, `calendars/${calendars[1].id}/events`);
    expect((await harness.graph('GET', `/v1.0/users/${organizer.id}/calendars/${calendars[1].id}/events/${inSecond.json.id}`)).status).toBe(200);
    expect((await harness.graph('GET', `/v1.0/users/${organizer.id}/calendar/events/${inSecond.json.id}`)).status).toBe(404);
    expect((await create(meeting({ attendees: [] }), organizer, {}, 'calendar/events')).status).toBe(201);
  });

  it('returns the event created first for a repeated transactionId, and creates nothing more', async () => {
    const first = await create(meeting({ transactionId: 'tx-42', attendees: [] }));
    const again = await create(meeting({ transactionId: 'tx-42', attendees: [], subject: 'Changed' }));
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ id: first.json.id, subject: 'Launch plan', transactionId: 'tx-42' });
    expect(harness.fake.counters.createdEvents).toBe(1);
  });

  it('refuses what Graph refuses: end before start, an unknown zone, unknown properties and values, an all-day event off midnight', async () => {
    const refused = [
      await create(meeting({ end: { dateTime: '2025-03-03T09:00:00', timeZone: 'Romance Standard Time' } })),
      await create(meeting({ start: { dateTime: '2025-03-03T10:00:00', timeZone: 'Atlantis Time' } })),
      await create(meeting({ colour: 'red' })),
      await create(meeting({ showAs: 'sleeping' })),
      await create(meeting({ isAllDay: true })),
    ];
    expect(refused.map((answer) => [answer.status, answer.json.error.code])).toEqual([
      [400, 'ErrorPropertyValidationFailure'],
      [400, 'TimeZoneNotSupportedException'],
      [400, 'RequestBodyRead'],
      [400, 'RequestBodyRead'],
      [400, 'ErrorPropertyValidationFailure'],
    ]);
    const allDay = await create(meeting({ isAllDay: true, start: { dateTime: '2025-03-05T00:00:00', timeZone: 'Tokyo Standard Time' }, end: { dateTime: '2025-03-06T00:00:00', timeZone: 'Tokyo Standard Time' } }));
    expect(allDay.json).toMatchObject({ isAllDay: true, start: { dateTime: '2025-03-05T00:00:00.0000000', timeZone: 'Tokyo Standard Time' } });
    expect(harness.fake.counters.createdEvents).toBe(1);
  });

  it('needs Calendars.ReadWrite', async () => {
    const reader = await harness.tokenWithRoles(['Calendars.Read'], { users: 1 });
    const denied = await harness.graph('POST', `/v1.0/users/${reader.users[0].id}/events`, { token: reader.token, json: meeting({ attendees: [] }) });
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } } });
    expect(harness.fake.counters.createdEvents).toBe(0);
  });
});

describe('changing, answering, cancelling, deleting', () => {
  it('updates only the given fields, and the organizer\'s change reaches the attendee\'s copy', async () => {
    const created = (await create(meeting())).json;
    const patched = await harness.graph('PATCH', `/v1.0/users/${organizer.id}/events/${created.id}`, { json: { subject: 'Launch plan v2' } });
    expect(patched.status).toBe(200);
    // An update answers in UTC, whatever the event was booked in.
    expect(patched.json).toMatchObject({ subject: 'Launch plan v2', start: { dateTime: '2025-03-03T09:00:00.0000000', timeZone: 'UTC' }, location: created.location, attendees: created.attendees });
    expect(patched.json.changeKey).not.toBe(created.changeKey);
    expect((await viewOf(attendee)).find((event) => event.iCalUId === created.iCalUId).subject).toBe('Launch plan v2');
  });

  it('turns a patched occurrence into an exception', async () => {
    const [standup] = (await viewOf(organizer)).filter((event) => event.subject === 'Daily standup');
    const patched = await harness.graph('PATCH', `/v1.0/users/${organizer.id}/events/${standup.id}`, { json: { start: { dateTime: '2025-03-03T08:00:00', timeZone: 'UTC' } } });
    expect(patched.json).toMatchObject({ type: 'exception', seriesMasterId: standup.seriesMasterId, start: { dateTime: '2025-03-03T08:00:00.0000000' } });
  });

  it('records an attendee\'s answer in their copy and, with sendResponse, at the organizer; the organizer cannot answer', async () => {
    const created = (await create(meeting({ subject: 'Answer me' }))).json;
    const copy = (await viewOf(attendee)).find((event) => event.iCalUId === created.iCalUId);
    expect((await harness.graph('POST', `/v1.0/users/${attendee.id}/events/${copy.id}/tentativelyAccept`, { json: { comment: 'maybe', sendResponse: true } })).status).toBe(202);
    expect((await harness.graph('GET', `/v1.0/users/${attendee.id}/events/${copy.id}`)).json).toMatchObject({ responseStatus: { response: 'tentativelyAccepted' }, showAs: 'tentative' });
    const seen = (await harness.graph('GET', `/v1.0/users/${organizer.id}/events/${created.id}`)).json.attendees[0];
    expect(seen.status.response).toBe('tentativelyAccepted');
    expect(await harness.graph('POST', `/v1.0/users/${organizer.id}/events/${created.id}/accept`, { json: {} })).toMatchObject({
      status: 400,
      json: { error: { code: 'ErrorInvalidRequest', message: "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer." } },
    });
    expect((await harness.graph('POST', `/v1.0/users/${attendee.id}/events/${copy.id}/decline`, { json: { sendResponse: false } })).status).toBe(202);
    expect((await harness.graph('GET', `/v1.0/users/${attendee.id}/events/${copy.id}`)).status).toBe(404);
    expect((await harness.graph('GET', `/v1.0/users/${organizer.id}/events/${created.id}`)).json.attendees[0].status.response).toBe('tentativelyAccepted');
  });

  it('lets only the organizer cancel: the organizer\'s event goes, the attendee\'s copy is cancelled, the room drops its booking', async () => {
    const created = (await create(meeting({ subject: 'To cancel' }))).json;
    const copy = (await viewOf(attendee)).find((event) => event.iCalUId === created.iCalUId);
    expect(await harness.graph('POST', `/v1.0/users/${attendee.id}/events/${copy.id}/cancel`, { json: { comment: 'no' } })).toMatchObject({
      status: 400,
      json: { error: { code: 'ErrorInvalidRequest', message: "Your request can't be completed. You need to be an organizer to cancel a meeting." } },
    });
    changes = [];
    const cancelled = await harness.graph('POST', `/v1.0/users/${organizer.id}/events/${created.id}/cancel`, { json: { comment: 'Postponed' } });
    expect([cancelled.status, cancelled.text]).toEqual([202, '']);
    expect((await harness.graph('GET', `/v1.0/users/${organizer.id}/events/${created.id}`)).status).toBe(404);
    expect((await harness.graph('GET', `/v1.0/users/${attendee.id}/events/${copy.id}`)).json).toMatchObject({ isCancelled: true, subject: 'Canceled: To cancel' });
    expect((await viewOf(roomEmail)).some((event) => event.iCalUId === created.iCalUId)).toBe(false);
    expect(changes.map((change) => change.changeType)).toEqual(['deleted', 'updated', 'deleted']);
  });

  it('deletes with 204, then answers 404 ErrorItemNotFound', async () => {
    const created = (await create(meeting({ attendees: [] }))).json;
    const deleted = await harness.graph('DELETE', `/v1.0/users/${organizer.id}/events/${created.id}`);
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect((await harness.graph('DELETE', `/v1.0/users/${organizer.id}/events/${created.id}`)).json.error.code).toBe('ErrorItemNotFound');
  });
});

describe('faults and controls', () => {
  it('loses the answer of a create that was stored, and the retry with the same transactionId finds it', async () => {
    harness.fake.faults.dropNextCreateAnswer = true;
    await expect(create(meeting({ transactionId: 'lost-1', attendees: [] }))).rejects.toThrow();
    expect(harness.fake.counters.createdEvents).toBe(1);
    const retry = await create(meeting({ transactionId: 'lost-1', attendees: [] }));
    expect(retry.status).toBe(201);
    expect(changes.filter((change) => change.changeType === 'created').map((change) => change.eventId)).toEqual([retry.json.id]);
    expect(harness.fake.counters.createdEvents).toBe(1);
  });

  it('creates the event without a meeting, silently, where online meetings are not allowed', async () => {
    harness.fake.faults.onlineMeetingsDisabledUsers = new Set([organizer.id]);
    const created = await create(meeting({ attendees: [] }));
    expect(created.json).toMatchObject({ isOnlineMeeting: false, onlineMeetingProvider: 'unknown', onlineMeeting: null });
    expect((await harness.graph('GET', `/v1.0/users/${organizer.id}/calendar`)).json.allowedOnlineMeetingProviders).toEqual([]);
  });

  it('fails the next writes with 503 and stores nothing', async () => {
    harness.fake.faults.failEventWrites = { count: 1, status: 503 };
    expect((await create(meeting({ attendees: [] }))).status).toBe(503);
    expect(changes).toEqual([]);
    expect((await create(meeting({ attendees: [] }))).status).toBe(201);
  });

  it('changes a mailbox as its user would, twice for duplicates, each change announced', async () => {
    const [first, second] = harness.fake.mailbox.createEvent(harness.tenantId, attendee.userPrincipalName, meeting({ attendees: [], subject: 'Dentist' }), { copies: 2 });
    expect(first.id).not.toBe(second.id);
    expect(harness.fake.mailbox.updateEvent(harness.tenantId, attendee.id, first.id as string, { subject: 'Dentist (moved)' })).toMatchObject({ subject: 'Dentist (moved)' });
    harness.fake.mailbox.deleteEvent(harness.tenantId, attendee.id, second.id as string);
    expect(harness.fake.mailbox.getEvent(harness.tenantId, attendee.id, second.id as string)).toBeUndefined();
    expect(changes.map((change) => [change.eventId, change.changeType])).toEqual([[first.id, 'created'], [second.id, 'created'], [first.id, 'updated'], [second.id, 'deleted']]);
  });

  it('creates through $batch, with the body and Content-Type each item must carry', async () => {
    const batch = await harness.graph('POST', '/v1.0/$batch', {
      json: { requests: [{ id: '1', method: 'POST', url: `/users/${organizer.id}/events`, headers: { 'Content-Type': 'application/json' }, body: meeting({ attendees: [] }) }] },
    });
    expect(batch.json.responses[0]).toMatchObject({ id: '1', status: 201, body: { subject: 'Launch plan' } });
    expect(harness.fake.counters.byRoute['batch POST /users/{id}/events']).toBe(1);
  });
});
