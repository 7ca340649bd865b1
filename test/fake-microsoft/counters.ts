/** What the fake has been asked, so tests can assert on traffic (token reuse, batching) rather than on internals. */
export interface FakeCounters {
  discoveryRequests: number;
  instanceDiscoveryRequests: number;
  /** POST /token for app tokens (client credentials and anything but a code redemption). */
  tokenRequests: number;
  /** POST /token with grant_type=authorization_code: a sign-in's code redeemed. */
  codeRedemptions: number;
  consentPageVisits: number;
  /** GET /{tenant}/oauth2/v2.0/authorize: OpenID Connect sign-ins. */
  signInPageVisits: number;
  /** Every Graph HTTP request, $batch included; each counts 1. */
  graphRequests: number;
  /** POST /v1.0/$batch calls. */
  batchRequests: number;
  /** Items carried in those batches (retried items counted again). */
  batchItems: number;
  /** Events created by POST …/events (a repeated transactionId not counted). */
  createdEvents: number;
  /** 'GET /users/{id}/calendars', 'POST /token', …; batch items as 'batch GET /users/{id}/calendars'. */
  byRoute: Record<string, number>;
  /** Change-notification subscriptions (see subscription-service.ts): successful creates, renewals (PATCH), reauthorizations, deletes. */
  subscriptionsCreated: number;
  subscriptionsRenewed: number;
  subscriptionsReauthorized: number;
  subscriptionsDeleted: number;
  /** Validation handshakes POSTed to a notificationUrl or lifecycleNotificationUrl, answered correctly or not. */
  subscriptionValidations: number;
  /** Every POST of change or lifecycle notifications to a receiver, retries included. */
  notificationPosts: number;
  /** Deliveries (one POST body) the receiver answered 2xx in time. */
  notificationDeliveriesAcknowledged: number;
  /** Deliveries given up after the last retry, as Graph discards them. */
  notificationDeliveriesAbandoned: number;
  /** Notifications never sent: the dropNotifications fault, or a subscription paused until reauthorized. */
  notificationsDropped: number;
  /** The most Graph requests the fake was answering at once ($batch counts 1), since the last reset. */
  maxConcurrentGraphRequests: number;
  /** Connections closed under a request by the resetReusedConnections fault. */
  connectionsReset: number;
  /** Requests whose client closed the connection before the answer was sent (it gave up waiting). */
  abandonedRequests: number;
  /** TLS handshakes completed: a client that keeps its connections alive adds none once warm. */
  tlsConnections: number;
}

export function emptyCounters(): FakeCounters {
  return {
    discoveryRequests: 0,
    instanceDiscoveryRequests: 0,
    tokenRequests: 0,
    codeRedemptions: 0,
    consentPageVisits: 0,
    signInPageVisits: 0,
    graphRequests: 0,
    batchRequests: 0,
    batchItems: 0,
    createdEvents: 0,
    byRoute: {},
    subscriptionsCreated: 0,
    subscriptionsRenewed: 0,
    subscriptionsReauthorized: 0,
    subscriptionsDeleted: 0,
    subscriptionValidations: 0,
    notificationPosts: 0,
    notificationDeliveriesAcknowledged: 0,
    notificationDeliveriesAbandoned: 0,
    notificationsDropped: 0,
    maxConcurrentGraphRequests: 0,
    connectionsReset: 0,
    abandonedRequests: 0,
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
