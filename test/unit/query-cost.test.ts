import { parse } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { buildGatewaySchema } from '../../src/schema/build-schema';

const schema = buildGatewaySchema();
const DEFAULT_LIMIT = 20_000;

function cost(query: string): number {
  return getComplexity({ schema, query: parse(query), variables: {}, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
}

const pageOf = (first: number, selection: string) =>
  `{ tenant(id: "t") { users(first: ${first}) { nodes { id displayName ${selection} } pageInfo { hasNextPage endCursor } } } }`;

describe('query cost', () => {
  it('allows the largest page of users with their calendars, and a page of 100 with a week of events', () => {
    expect(cost(pageOf(999, 'calendars { id name }'))).toBeLessThan(DEFAULT_LIMIT);
    expect(cost(pageOf(100, 'calendars { name } events(start: "2026-12-01T00:00:00Z", end: "2026-12-08T00:00:00Z") { subject start end showAs }'))).toBeLessThan(DEFAULT_LIMIT);
  });

  it('grows with the page size and with the events window', () => {
    const week = 'events(start: "2026-01-01T00:00:00Z", end: "2026-01-08T00:00:00Z") { id subject start end }';
    const year = 'events(start: "2026-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z") { id subject start end }';
    expect(cost(pageOf(200, week))).toBeGreaterThan(1.9 * cost(pageOf(100, week)));
    expect(cost(pageOf(100, year))).toBeGreaterThan(10 * cost(pageOf(100, week)));
    expect(cost(pageOf(999, year))).toBeGreaterThan(DEFAULT_LIMIT);
  });
});
