import { parse } from 'graphql';
import { estimateCost } from '../../../src/schema/query-cost';
import { buildGatewaySchema } from '../../../src/schema/build-schema';

const schema = buildGatewaySchema();
const DEFAULT_LIMIT = 20_000;
const cost = (query: string, variables: Record<string, unknown> = {}) => estimateCost({ schema, document: parse(query), operationName: null, variables });
const emails = (count: number) => Array.from({ length: count }, (_, index) => `person${index}@contoso.example`);

const SCHEDULE_FIELDS = 'email availabilityView items { start end status subject location isPrivate } workingHours { daysOfWeek startTime endTime timeZone } error';
const schedules = (start: string, end: string) =>
  `query($emails: [String!]!) { tenant(id: "t") { schedules(emails: $emails, start: "${start}", end: "${end}") { ${SCHEDULE_FIELDS} } } }`;
const meetingTimes = (end: string, first: number) =>
  `query($emails: [String!]!) { tenant(id: "t") { meetingTimes(emails: $emails, start: "2026-01-05T00:00:00Z", end: "${end}", durationMinutes: 30, first: ${first}) { start end } } }`;

describe('the cost of scheduling fields: per mailbox and per week', () => {
  it('allows the largest requests Graph itself takes', () => {
    expect(cost(schedules('2026-01-05T00:00:00Z', '2026-03-06T00:00:00Z'), { emails: emails(100) })).toBeLessThan(DEFAULT_LIMIT);
    expect(cost(meetingTimes('2026-03-06T00:00:00Z', 100), { emails: emails(100) })).toBeLessThan(DEFAULT_LIMIT);
    expect(cost('{ tenant(id: "t") { users(first: 980) { nodes { schedule(start: "2026-01-05T00:00:00Z", end: "2026-01-12T00:00:00Z") { availabilityView } } } } }')).toBeLessThan(DEFAULT_LIMIT);
    expect(cost('{ tenant(id: "t") { rooms(first: 999) { nodes { id displayName emailAddress capacity } } roomLists { displayName rooms { displayName } } } }')).toBeLessThan(DEFAULT_LIMIT);
  });

  it('grows with the mailboxes and with the window', () => {
    const week = schedules('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z');
    const eightWeeks = schedules('2026-01-05T00:00:00Z', '2026-03-02T00:00:00Z');
    expect(cost(week, { emails: emails(100) })).toBeGreaterThan(9 * cost(week, { emails: emails(10) }));
    expect(cost(eightWeeks, { emails: emails(10) })).toBeGreaterThan(7 * cost(week, { emails: emails(10) }));
    expect(cost(meetingTimes('2026-03-02T00:00:00Z', 10), { emails: emails(50) })).toBeGreaterThan(7 * cost(meetingTimes('2026-01-12T00:00:00Z', 10), { emails: emails(50) }));
  });

  it('refuses a page of users each with two months of detailed free/busy', () => {
    const query = `{ tenant(id: "t") { users(first: 999) { nodes { schedule(start: "2026-01-05T00:00:00Z", end: "2026-03-06T00:00:00Z") { ${SCHEDULE_FIELDS} } } } } }`;
    expect(cost(query)).toBeGreaterThan(DEFAULT_LIMIT);
  });
});
