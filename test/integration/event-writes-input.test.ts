import { randomUUID } from 'node:crypto';
import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser } from '../fake-microsoft';
import { mintClientToken, postGraphql } from './client-access';
import { CANCEL_EVENT, CREATE_EVENT, DELETE_EVENT, RESPOND_TO_EVENT, UPDATE_EVENT, writableTenant } from './event-steps';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';

/**
 * Event writes refused before anything reaches Microsoft: bad input (HTTP 400), a tenant that did
 * not grant Calendars.ReadWrite, and credentials that may not write this calendar.
 */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let org: Awaited<ReturnType<typeof writableTenant>>;
let readOnlyOrg: Awaited<ReturnType<typeof writableTenant>>;
let user: FakeUser;
let otherUser: FakeUser;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  org = await writableTenant(gateway, fake);
  readOnlyOrg = await writableTenant(gateway, fake, ['Directory.Read.All', 'Calendars.Read']);
  [user, otherUser] = org.organisation.users as [FakeUser, FakeUser];
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

const EVENT_ID = 'AAMkAGI2TGuLAAA=AAMkAGI2TGuLAAA=';
const valid = { subject: 'Planning', start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:00:00Z' };
const people = (count: number) => Array.from({ length: count }, (_, index) => ({ email: `person${index}@contoso.example` }));

// The tables are built before the tenant exists: each test adds its user unless the row names one.
const create = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => [CREATE_EVENT, { input, ...extra }] as const;
const update = (input: Record<string, unknown>, event = EVENT_ID) => [UPDATE_EVENT, { event, input }] as const;

it.each<[string, readonly [string, Record<string, unknown>], RegExp]>([
  ['an end equal to the start', create({ ...valid, end: valid.start }), /input.end must be after input.start/],
  ['an end before the start', create({ ...valid, end: '2026-05-04T08:00:00Z' }), /input.end must be after input.start/],
  ['an unknown time zone', create({ ...valid, timeZone: 'Mars/Olympus_Mons' }), /"Mars\/Olympus_Mons" is not a time zone Microsoft knows: give an IANA name/],
  ['an attendee email that is no address', create({ ...valid, attendees: [{ email: 'adele@contoso.example' }, { email: 'Adele Vance' }] }), /attendees\[1\].email \("Adele Vance"\) is not an email address/],
  ['more than 500 attendees', create({ ...valid, attendees: people(501) }), /lists 501 people and rooms; Outlook takes at most 500/],
  ['an empty subject', create({ ...valid, subject: '' }), /input.subject cannot be empty/],
  ['a blank subject', create({ ...valid, subject: '   ' }), /input.subject cannot be empty/],
  ['a subject longer than Outlook keeps', create({ ...valid, subject: 'x'.repeat(256) }), /input.subject is 256 characters long; the limit is 255/],
  ['a body over 512 KiB', create({ ...valid, body: 'é'.repeat(300 * 1024) }), /input.body is 600 KiB; at most 512 KiB/],
  ['a fraction of a second', create({ ...valid, start: '2026-05-04T09:00:00.250Z' }), /input.start must be a whole second/],
  ['an all-day event off midnight in its zone', create({ ...valid, isAllDay: true, start: '2026-05-04T00:00:00Z', end: '2026-05-05T00:00:00Z', timeZone: 'Europe/Paris' }), /all-day event must be midnight in Europe\/Paris.*02:00 there/],
  ['a calendar id not of Outlook\'s shape', create(valid, { calendar: 'calendar #1' }), /calendarId "calendar #1" is not an Outlook id/],
  ['a user id that is neither a GUID nor a UPN', create(valid, { user: 'not a user' }), /userId must be a Graph user id/],
  ['an empty idempotency key', create(valid, { key: '' }), /idempotencyKey cannot be empty/],
  ['an idempotency key over 255 characters', create(valid, { key: 'k'.repeat(256) }), /idempotencyKey is 256 characters long/],
  ['an event id not of Outlook\'s shape (update)', update({ subject: 'New' }, '12345'), /eventId "12345" is not an Outlook id/],
  ['an event id not of Outlook\'s shape (delete)', [DELETE_EVENT, { event: '../../me/events' }], /eventId ".*" is not an Outlook id/],
  ['an event id not of Outlook\'s shape (cancel)', [CANCEL_EVENT, { event: 'event 1' }], /eventId "event 1" is not an Outlook id/],
  ['an event id not of Outlook\'s shape (respond)', [RESPOND_TO_EVENT, { event: 'x', response: 'ACCEPT' }], /eventId "x" is not an Outlook id/],
  ['a comment over 512 KiB', [CANCEL_EVENT, { event: EVENT_ID, comment: 'c'.repeat(513 * 1024) }], /comment is 513 KiB; at most 512 KiB/],
  ['an update that changes nothing', update({}), /input changes nothing/],
  ['an update clearing the subject', update({ subject: null }), /input.subject cannot be null: leave it out/],
  ['an update with a time zone but no times', update({ timeZone: 'Europe/Paris' }), /give it with start or end/],
  ['an update making an event all-day without its times', update({ isAllDay: true }), /all-day needs its new start and end/],
  ['an update with an inverted window', update({ start: '2026-05-04T10:00:00Z', end: '2026-05-04T09:00:00Z' }), /input.end must be after input.start/],
])('refuses %s with HTTP 400 before any call to Microsoft', async (_name, [mutation, variables], message) => {
  const answer = await gateway.gql(mutation, { tenant: org.tenant.id, user: user.id, ...variables });
  expect(answer.status).toBe(400);
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
  expect(fake.requestLog).toEqual([]);
});

it('accepts the limits themselves: 500 attendees, 255 characters, 512 KiB of body, a Windows zone', async () => {
  const answer = await gateway.gql(CREATE_EVENT, {
    tenant: org.tenant.id,
    user: user.id,
    input: { ...valid, subject: 's'.repeat(255), body: 'b'.repeat(512 * 1024), attendees: people(500), timeZone: 'W. Europe Standard Time' },
    key: 'k'.repeat(255),
  });
  expect(answer.errors).toBeUndefined();
  expect(answer.data.createEvent.attendees).toHaveLength(500);
});

it('answers a request body over 1 MB as a GraphQL error, without a stack trace', async () => {
  const answer = await postGraphql(gateway, CREATE_EVENT, { bearer: gateway.adminKey, variables: { tenant: org.tenant.id, user: user.id, input: { ...valid, body: 'x'.repeat(1_100_000) } } });
  expect(answer.status).toBe(413);
  expect(answer.errors).toEqual([{ message: expect.stringMatching(/larger than 1MB.*an event body is limited to 512 KiB/), extensions: { code: 'BAD_USER_INPUT' } }]);
  expect(fake.requestLog).toEqual([]);
});

describe('without Calendars.ReadWrite granted', () => {
  it.each([
    ['createEvent', CREATE_EVENT, { input: valid, key: randomUUID() }],
    ['updateEvent', UPDATE_EVENT, { event: EVENT_ID, input: { subject: 'New' } }],
    ['cancelEvent', CANCEL_EVENT, { event: EVENT_ID }],
    ['deleteEvent', DELETE_EVENT, { event: EVENT_ID }],
    ['respondToEvent', RESPOND_TO_EVENT, { event: EVENT_ID, response: 'DECLINE' }],
  ])('refuses %s with GRAPH_FORBIDDEN naming it, with the fix, and sends nothing', async (_name, mutation, variables) => {
    const answer = await gateway.gql(mutation, { tenant: readOnlyOrg.tenant.id, user: readOnlyOrg.organisation.users[0]!.id, ...variables });
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPH_FORBIDDEN', missingScope: 'Calendars.ReadWrite' },
      message: expect.stringMatching(/has not granted a permission to create, change or answer events \(one of Calendars.ReadWrite\). Add Calendars.ReadWrite to the app registration's API permissions.*consent again/),
    });
    expect(fake.requestLog).toEqual([]);
  });

  it('explains a 403 Graph answers anyway (an Exchange access policy) with the permission and the policy', async () => {
    fake.faults.forbiddenUsers = new Set([user.id]);
    const answer = await gateway.gql(CREATE_EVENT, { tenant: org.tenant.id, user: user.id, input: valid });
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPH_FORBIDDEN', graphCode: 'ErrorAccessDenied' },
      message: expect.stringMatching(/refused the event for user .*\(Calendars.ReadWrite\) \(or an Exchange application access policy excludes this mailbox\)/),
    });
  });
});

describe('client tokens and read-only keys', () => {
  const attempt = (credential: string, target: FakeUser) => postGraphql(gateway, CREATE_EVENT, { bearer: credential, variables: { tenant: org.tenant.id, user: target.id, input: valid } });

  it('needs WRITE_EVENTS', async () => {
    const reader = await mintClientToken(gateway, { tenantId: org.tenant.id, capabilities: ['READ_CALENDARS', 'READ_SCHEDULES'] });
    fake.requestLog.length = 0;
    const answer = await attempt(reader, user);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/lacks the WRITE_EVENTS capability/) });
    expect(fake.requestLog).toEqual([]);
  });

  it("lets a user-bound token write its own user's calendar only", async () => {
    const token = await mintClientToken(gateway, { tenantId: org.tenant.id, userId: user.id, capabilities: ['WRITE_EVENTS'] });
    fake.requestLog.length = 0;
    const refused = await attempt(token, otherUser);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/bound to user .*createEvent is allowed for that user only/) });
    const others = [[DELETE_EVENT, {}], [RESPOND_TO_EVENT, { response: 'ACCEPT' }]] as const;
    for (const [mutation, extra] of others) {
      const answer = await postGraphql(gateway, mutation, { bearer: token, variables: { tenant: org.tenant.id, user: otherUser.id, event: EVENT_ID, ...extra } });
      expect(answer.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    }
    expect(fake.requestLog).toEqual([]);
    const own = await attempt(token, user);
    expect(own.errors).toBeUndefined();
    expect(own.data.createEvent.organizer.address).toBe(user.mail);
  });

  it("refuses another tenant's calendar as if it did not exist", async () => {
    const token = await mintClientToken(gateway, { tenantId: readOnlyOrg.tenant.id, capabilities: ['WRITE_EVENTS'] });
    fake.requestLog.length = 0;
    const answer = await attempt(token, user);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/No tenant with id/) });
    expect(fake.requestLog).toEqual([]);
  });

  it('refuses every event write to a READ_ONLY API key', async () => {
    const key = (await gateway.gql('mutation { createApiKey(name: "reports", role: READ_ONLY) { key } }')).data.createApiKey.key;
    const answer = await attempt(key, user);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/READ_ONLY API key runs queries only/) });
    expect(fake.requestLog).toEqual([]);
  });
});
