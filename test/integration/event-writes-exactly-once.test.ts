import { randomUUID } from 'node:crypto';
import { startFakeMicrosoft, type FakeMicrosoft, type FakeUser } from '../fake-microsoft';
import { CREATE_EVENT, eventWritesSent, eventsOf, writableTenant } from './event-steps';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';

/** One booking per idempotency key, whatever is lost on the way back and whichever replica is asked again. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let replica: GatewayProcess;
let org: Awaited<ReturnType<typeof writableTenant>>;
let organizer: FakeUser;
let colleague: FakeUser;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  const settings = await gatewaySettings(fake);
  gateway = await startGateway(settings);
  // A second replica on the same database: what a load balancer may send the retry to.
  replica = await startGateway(settings);
  org = await writableTenant(gateway, fake);
  [organizer, colleague] = org.organisation.users as [FakeUser, FakeUser];
});
afterAll(async () => {
  await Promise.all([gateway?.stop(), replica?.stop()]);
  await fake?.stop();
});
beforeEach(() => {
  fake.resetFaults();
  fake.resetCounters();
  fake.requestLog.length = 0;
});

const WINDOW = { start: '2026-04-01T00:00:00Z', end: '2026-04-02T00:00:00Z' };
const booking = (subject: string) => ({ subject, start: '2026-04-01T13:00:00Z', end: '2026-04-01T14:00:00Z', attendees: [{ email: colleague.mail }] });
const create = (variables: { input: Record<string, unknown>; key?: string; calendar?: string; user?: FakeUser }, via = gateway) =>
  via.gql(CREATE_EVENT, { tenant: org.tenant.id, user: (variables.user ?? organizer).id, input: variables.input, key: variables.key, calendar: variables.calendar });
const booked = async (subject: string, user = organizer) => (await eventsOf(gateway, org.tenant.id, user.id, WINDOW)).filter((event) => event.subject === subject);

it('answers the same key twice with the same event, booked once', async () => {
  const key = randomUUID();
  const first = await create({ input: booking('Intro call'), key });
  const second = await create({ input: booking('Intro call'), key });
  expect(first.errors).toBeUndefined();
  expect(second.data.createEvent).toEqual(first.data.createEvent);
  expect(fake.counters.createdEvents).toBe(1);
  expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events']);
  expect(await booked('Intro call')).toHaveLength(1);
});

it('asks again with the same transactionId when the answer was lost, and one event exists (no key)', async () => {
  fake.faults.dropNextCreateAnswer = true;
  const answer = await create({ input: booking('Lost answer') });
  expect(answer.errors).toBeUndefined();
  expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'POST /users/{id}/events']);
  expect(fake.counters.createdEvents).toBe(1);
  const events = await booked('Lost answer');
  expect(events.map((event) => event.id)).toEqual([answer.data.createEvent.id]);
  expect(await booked('Lost answer', colleague)).toHaveLength(1);
});

it('after a lost answer, the same key again returns that event without asking Graph to create anything', async () => {
  const key = randomUUID();
  fake.faults.dropNextCreateAnswer = true;
  const first = await create({ input: booking('Lost, then retried'), key });
  const again = await create({ input: booking('Lost, then retried'), key });
  expect(again.data.createEvent.id).toBe(first.data.createEvent.id);
  expect(eventWritesSent(fake)).toEqual(['POST /users/{id}/events', 'POST /users/{id}/events']);
  expect(fake.counters.createdEvents).toBe(1);
  expect(await booked('Lost, then retried')).toHaveLength(1);
});

it('when Graph booked but answered 500, says the outcome is unknown; the same key then finds the booking', async () => {
  const key = randomUUID();
  fake.faults.failNextCreateAfterStoring = { status: 500 };
  const failed = await create({ input: booking('Booked behind a 500'), key });
  expect(failed.errors?.[0]).toMatchObject({
    extensions: { code: 'UPSTREAM_ERROR' },
    message: expect.stringMatching(/did not confirm the booking of the event.*may or may not have been made. Send it again with the same idempotencyKey, which never books twice/),
  });
  expect(fake.counters.createdEvents).toBe(1);
  const retried = await create({ input: booking('Booked behind a 500'), key }, replica);
  expect(retried.errors).toBeUndefined();
  const events = await booked('Booked behind a 500');
  expect(events.map((event) => event.id)).toEqual([retried.data.createEvent.id]);
  expect(fake.counters.createdEvents).toBe(1);
});

it('refuses a key reused with other content with HTTP 400, and sends nothing to Microsoft', async () => {
  const key = randomUUID();
  await create({ input: booking('Original'), key });
  fake.resetCounters();
  fake.requestLog.length = 0;
  for (const input of [booking('Changed subject'), { ...booking('Original'), end: '2026-04-01T15:00:00Z' }, { ...booking('Original'), attendees: [] }]) {
    const refused = await create({ input, key });
    expect(refused.status).toBe(400);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' }, message: expect.stringMatching(/used before for a different event.*use a new key/) });
  }
  expect(fake.requestLog).toEqual([]);
  expect(await booked('Original')).toHaveLength(1);
});

it('frees a key when Microsoft refused the create, so it can be used again with corrected input', async () => {
  const key = randomUUID();
  const wrongCalendar = await create({ input: booking('Corrected'), key, calendar: 'AAMkAGNoSuchCalendarAtAll=' });
  expect(wrongCalendar.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/No such calendar .*leave calendarId out/) });
  const corrected = await create({ input: booking('Corrected'), key });
  expect(corrected.errors).toBeUndefined();
  expect(await booked('Corrected')).toHaveLength(1);
});

it('finds a key through another replica, also when both are asked at once', async () => {
  const key = randomUUID();
  const first = await create({ input: booking('Through replica A'), key });
  const viaReplica = await create({ input: booking('Through replica A'), key }, replica);
  expect(viaReplica.data.createEvent.id).toBe(first.data.createEvent.id);

  const together = randomUUID();
  const answers = await Promise.all([gateway, replica, gateway, replica].map((each) => create({ input: booking('Both at once'), key: together }, each)));
  for (const answer of answers) expect(answer.errors).toBeUndefined();
  expect(new Set(answers.map((answer) => answer.data.createEvent.id)).size).toBe(1);
  expect(await booked('Both at once')).toHaveLength(1);
  expect(fake.counters.createdEvents).toBe(2);
});

it('keeps keys per user: the same key books once for each user', async () => {
  const key = randomUUID();
  const mine = await create({ input: { ...booking('Per user'), attendees: [] }, key });
  const theirs = await create({ input: { ...booking('Per user'), attendees: [] }, key, user: colleague });
  expect(mine.data.createEvent.id).not.toBe(theirs.data.createEvent.id);
  expect([await booked('Per user'), await booked('Per user', colleague)].map((events) => events.length)).toEqual([1, 1]);
});
