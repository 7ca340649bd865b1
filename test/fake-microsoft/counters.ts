/** What the fake has been asked, so tests can assert on traffic (token reuse, batching) rather than on internals. */
export interface FakeCounters {
  discoveryRequests: number;
  instanceDiscoveryRequests: number;
  tokenRequests: number;
  consentPageVisits: number;
  /** Every Graph HTTP request, $batch included; each counts 1. */
  graphRequests: number;
  /** POST /v1.0/$batch calls. */
  batchRequests: number;
  /** Items carried in those batches (retried items counted again). */
  batchItems: number;
  /** 'GET /users/{id}/calendars', 'POST /token', …; batch items as 'batch GET /users/{id}/calendars'. */
  byRoute: Record<string, number>;
  /** TLS handshakes completed: a client that keeps its connections alive adds none once warm. */
  tlsConnections: number;
}

export function emptyCounters(): FakeCounters {
  return {
    discoveryRequests: 0,
    instanceDiscoveryRequests: 0,
    tokenRequests: 0,
    consentPageVisits: 0,
    graphRequests: 0,
    batchRequests: 0,
    batchItems: 0,
    byRoute: {},
    tlsConnections: 0,
  };
}

/** Zeroes the counters in place, so a reference a test took earlier stays live. */
export function resetCountersInPlace(counters: FakeCounters): void {
  Object.assign(counters, emptyCounters());
}

export function countRoute(counters: FakeCounters, routeKey: string): void {
  counters.byRoute[routeKey] = (counters.byRoute[routeKey] ?? 0) + 1;
}
