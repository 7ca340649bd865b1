import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics served at GET /metrics. Names follow Prometheus conventions. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'xkit_' });

export const graphRequests = new Counter({
  name: 'xkit_graph_requests_total',
  help: 'HTTP requests sent to Microsoft Graph, by route template and HTTP status (batch items are counted in xkit_graph_batch_items_total)',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});

export const graphBatchItems = new Counter({
  name: 'xkit_graph_batch_items_total',
  help: 'Requests carried inside Graph $batch calls, by route template and item status',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});

export const graphRetries = new Counter({
  name: 'xkit_graph_retries_total',
  help: 'Graph requests or batch items sent again, by reason (throttled, unavailable, timeout, token_expired)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const graphThrottled = new Counter({
  name: 'xkit_graph_throttled_total',
  help: 'Graph answers with HTTP 429 (top-level or inside a batch)',
  registers: [metricsRegistry],
});

export const tokenCacheHits = new Counter({
  name: 'xkit_token_cache_hits_total',
  help: 'App-token requests served from cache (process memory or the shared Redis cache)',
  labelNames: ['layer'] as const,
  registers: [metricsRegistry],
});

export const tokenAcquisitions = new Counter({
  name: 'xkit_token_acquisitions_total',
  help: 'App tokens requested from the Microsoft identity platform, by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const graphqlDuration = new Histogram({
  name: 'xkit_graphql_request_duration_seconds',
  help: 'GraphQL request latency, by operation type',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const clientTokenRefusals = new Counter({
  name: 'xkit_client_token_refusals_total',
  help: 'Requests with a client token refused before execution, by reason (invalid, expired, tenant_removed, revoked, rate_limited)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const backgroundJobFailures = new Counter({
  name: 'xkit_background_job_failures_total',
  help: 'Rounds of background work that failed (database unavailable, a bug), by job; each is retried after a pause',
  labelNames: ['job'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'xkit_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome: delivered, retrying (a non-2xx answer or no answer, another attempt scheduled), failed (the last attempt failed), disabled (410 Gone disabled the endpoint)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const graphNotifications = new Counter({
  name: 'xkit_graph_notifications_total',
  help: 'Change and lifecycle notifications received from Microsoft Graph, by kind and outcome: accepted, duplicate (the same notification again), unknown_subscription, wrong_client_state',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const calendarChangesCollapsed = new Counter({
  name: 'xkit_calendar_changes_collapsed_total',
  help: 'Calendar changes not emitted because the event version was already emitted (Graph reports one edit several times: created and updated, resends, a sweep finding what a notification already told)',
  registers: [metricsRegistry],
});

export const graphSubscriptionOperations = new Counter({
  name: 'xkit_graph_subscription_operations_total',
  help: 'Graph subscription writes, by operation (create, renew, reauthorize, delete) and outcome (ok, or the failure)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});
