import { startFakeMicrosoft, type FakeMicrosoft } from '../fake-microsoft';
import { GatewayProcess, gatewaySettings, startGateway } from './harness';
import { consentedTenant } from './scenario';

/** Every bad scheduling input is refused with HTTP 400 and a message that says what to send, before any call to Microsoft. */

let fake: FakeMicrosoft;
let gateway: GatewayProcess;
let org: Awaited<ReturnType<typeof consentedTenant>>;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  gateway = await startGateway(await gatewaySettings(fake));
  org = await consentedTenant(gateway, fake, { users: 3, scopes: ['Directory.Read.All', 'Calendars.Read', 'Place.Read.All'] });
});
afterAll(async () => {
  await gateway?.stop();
  await fake?.stop();
});

const MONDAY = '2026-01-05T00:00:00Z';
const emails = (count: number) => Array.from({ length: count }, (_, index) => `person${index}@contoso.example`);
const schedules = (args: string) => `schedules(emails: $emails, ${args}) { email }`;
const meetingTimes = (args: string) => `meetingTimes(emails: $emails, ${args}) { start }`;

it.each<[string, string, Record<string, unknown>, RegExp]>([
  ['a window of 62 days', schedules(`start: "${MONDAY}", end: "2026-03-08T00:00:00Z"`), { emails: emails(1) }, /shorter than 62 days/],
  ['an inverted window', schedules(`start: "${MONDAY}", end: "2026-01-04T00:00:00Z"`), { emails: emails(1) }, /end must be after start/],
  ['an interval under 5 minutes', schedules(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", intervalMinutes: 4`), { emails: emails(1) }, /intervalMinutes .* from 5 to 1440/],
  ['an interval over 1440 minutes', schedules(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", intervalMinutes: 1441`), { emails: emails(1) }, /from 5 to 1440 .*got 1441/],
  ['more than 100 emails', schedules(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z"`), { emails: emails(101) }, /101 addresses; at most 100/],
  ['no emails', schedules(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z"`), { emails: [] }, /emails cannot be empty/],
  ['an email that is not an address', schedules(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z"`), { emails: ['adele@contoso.example', 'Adele Vance'] }, /emails\[1\] \("Adele Vance"\) is not an email address/],
  ['a meeting under 5 minutes', meetingTimes(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", durationMinutes: 4`), { emails: emails(2) }, /durationMinutes .* from 5 to 1440/],
  ['a meeting over 1440 minutes', meetingTimes(`start: "${MONDAY}", end: "2026-01-09T00:00:00Z", durationMinutes: 1441`), { emails: emails(2) }, /durationMinutes .*got 1441/],
  ['a meeting longer than its window', meetingTimes(`start: "${MONDAY}", end: "2026-01-05T01:00:00Z", durationMinutes: 90`), { emails: emails(2) }, /longer than the window/],
  ['a meeting-time window of 62 days', meetingTimes(`start: "${MONDAY}", end: "2026-03-08T00:00:00Z", durationMinutes: 30`), { emails: emails(2) }, /shorter than 62 days/],
  ['no meeting times asked for', meetingTimes(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", durationMinutes: 30, first: 0`), { emails: emails(2) }, /first must be between 1 and 100/],
  ['a meeting-time step under 5 minutes', meetingTimes(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", durationMinutes: 30, intervalMinutes: 1`), { emails: emails(2) }, /intervalMinutes/],
  ['more than 100 people to meet', meetingTimes(`start: "${MONDAY}", end: "2026-01-06T00:00:00Z", durationMinutes: 30`), { emails: emails(101) }, /at most 100/],
  ['an empty search', 'users(search: "") { nodes { id } }', {}, /search cannot be empty/],
  ['a blank search', 'users(search: "   ") { nodes { id } }', {}, /search cannot be empty/],
  ['a search with a double quote', 'users(search: "a\\" OR \\"mail:b") { nodes { id } }', {}, /double quotes/],
  ['a forged cursor', 'users(after: "not-a-cursor") { nodes { id } }', {}, /not a cursor this gateway issued/],
  ['no rooms asked for', 'rooms(first: 0) { nodes { id } }', {}, /first must be between 1 and 999/],
  ['a forged rooms cursor', 'rooms(after: "not-a-cursor") { nodes { id } }', {}, /not a cursor this gateway issued/],
  ['a user schedule of 62 days under a page of users', `users(first: 5) { nodes { schedule(start: "${MONDAY}", end: "2026-03-08T00:00:00Z") { email } } }`, {}, /shorter than 62 days/],
  ['a user schedule interval of 0', `users(first: 5) { nodes { schedule(start: "${MONDAY}", end: "2026-01-06T00:00:00Z", intervalMinutes: 0) { email } } }`, {}, /intervalMinutes/],
])('refuses %s', async (_name, field, variables, message) => {
  fake.resetCounters();
  const declared = 'emails' in variables ? ', $emails: [String!]!' : '';
  const result = await gateway.gql(`query($tenant: ID!${declared}) { tenant(id: $tenant) { ${field} } }`, { tenant: org.tenant.id, ...variables });
  expect(result.status).toBe(400);
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  expect(result.errors![0]!.message).toMatch(message);
  expect(fake.counters.graphRequests).toBe(0);
  expect(fake.counters.tokenRequests).toBe(0);
});

it('accepts a window just under 62 days and Graph\'s interval limits', async () => {
  fake.resetCounters();
  const [user] = org.organisation.users;
  const result = await gateway.gql(
    `query($tenant: ID!, $emails: [String!]!) { tenant(id: $tenant) {
      wide: schedules(emails: $emails, start: "${MONDAY}", end: "2026-03-07T23:59:00Z", intervalMinutes: 1440) { availabilityView }
      fine: schedules(emails: $emails, start: "${MONDAY}", end: "2026-01-05T01:00:00Z", intervalMinutes: 5) { availabilityView } } }`,
    { tenant: org.tenant.id, emails: [user!.mail] },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data.tenant.wide[0].availabilityView).toHaveLength(62);
  expect(result.data.tenant.fine[0].availabilityView).toHaveLength(12);
});

it('refuses a query whose schedules would cost more than the limit, and says how to page instead', async () => {
  fake.resetCounters();
  const result = await gateway.gql(
    `query($tenant: ID!) { tenant(id: $tenant) { users(first: 999) { nodes {
      schedule(start: "${MONDAY}", end: "2026-03-06T00:00:00Z") { items { start end status subject location isPrivate } workingHours { startTime endTime } } } } } }`,
    { tenant: org.tenant.id },
  );
  expect(result.status).toBe(400);
  expect(result.errors![0]!.message).toMatch(/estimated cost is \d+, above the limit/);
  expect(fake.counters.graphRequests).toBe(0);
});
