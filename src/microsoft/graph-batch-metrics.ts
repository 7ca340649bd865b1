import { graphBatchItems, graphRetries, graphThrottled } from '../observability/metrics';
import type { GraphBatchRequest } from './graph-batch-items';
import { graphRouteTemplate } from './graph-route';

/** Batch items counted per chunk: one route template per distinct URL shape, metrics added in bulk. */
export class ItemCounts {
  private readonly byRouteAndStatus = new Map<string, number>();
  private throttled = 0;
  private unavailable = 0;

  add(request: GraphBatchRequest, status: number): void {
    const route = request.route ?? `${request.method ?? 'GET'} ${graphRouteTemplate(request.url)}`;
    const key = `${route}\u0000${status}`;
    this.byRouteAndStatus.set(key, (this.byRouteAndStatus.get(key) ?? 0) + 1);
    if (status === 429) this.throttled++;
    else if (status === 503 || status === 504) this.unavailable++;
  }

  record(retried: number): void {
    for (const [key, count] of this.byRouteAndStatus) {
      const [route, status] = key.split('\u0000') as [string, string];
      graphBatchItems.inc({ route, status }, count);
    }
    if (this.throttled > 0) graphThrottled.inc(this.throttled);
    if (retried > 0) {
      const throttledRetries = Math.min(retried, this.throttled);
      if (throttledRetries > 0) graphRetries.inc({ reason: 'throttled' }, throttledRetries);
      if (retried > throttledRetries) graphRetries.inc({ reason: 'unavailable' }, retried - throttledRetries);
    }
  }
}
