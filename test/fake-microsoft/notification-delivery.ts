import type { ClientRequest } from 'node:http';
import type { FakeCounters } from './counters';
import { postToReceiver, type ReceiverAnswer } from './receiver-http';

/**
 * Graph's outbox for change and lifecycle notifications. A receiver must answer 2xx within
 * 3 seconds, else Graph resends "multiple times, for up to 4 hours" and then discards the
 * notification (concepts/change-notifications-delivery-webhooks.md). The fake keeps that shape
 * with a short, configurable schedule, and logs every delivery so tests see what was sent.
 */

export interface DeliveryTiming {
  /** How long a receiver has to answer the validation handshake; Graph: 10 s. */
  validationTimeoutMs: number;
  /** How long a receiver has to answer a notification POST; Graph: 3 s. */
  deliveryTimeoutMs: number;
  /** The pause before each resend after a non-2xx answer or a time-out; its length is the number of resends. */
  retryDelaysMs: number[];
}

/** Graph's deadlines; the resends are Graph's kind (growing pauses, then give up) shrunk from hours to seconds. */
export const GRAPH_DELIVERY_TIMING: DeliveryTiming = { validationTimeoutMs: 10_000, deliveryTimeoutMs: 3_000, retryDelaysMs: [100, 400, 1_600] };

export type NotificationKind = 'change' | 'lifecycle';

/** One POST body as Graph built it, and what became of it. */
export interface NotificationDelivery {
  kind: NotificationKind;
  url: string;
  payload: { value: Record<string, unknown>[] };
  attempts: Array<{ at: number; status?: number; error?: string }>;
  outcome: 'pending' | 'acknowledged' | 'abandoned';
}

export class NotificationDeliverer {
  readonly deliveries: NotificationDelivery[] = [];
  /** Open sockets of handshakes and deliveries, destroyed by stop(). */
  readonly sockets = new Set<ClientRequest>();
  private readonly batches = new Map<string, Record<string, unknown>[]>();
  private readonly work = new Set<Promise<void>>();
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;
  private aloneSequence = 0;

  constructor(
    private readonly counters: FakeCounters,
    readonly timing: DeliveryTiming,
  ) {}

  /**
   * Queues one notification. Those queued for one URL in the same turn of the event loop travel
   * in one POST, as Graph puts several notifications, of several subscriptions, in one request.
   * `alone` gives it a POST of its own (how Graph's repeated notifications arrive).
   */
  enqueue(kind: NotificationKind, url: string, notification: Record<string, unknown>, options: { alone?: boolean } = {}): void {
    const key = options.alone ? `alone ${this.aloneSequence++}` : `${kind} ${url}`;
    const pending = this.batches.get(key);
    if (pending) {
      pending.push(notification);
      return;
    }
    const batch = [notification];
    this.batches.set(key, batch);
    this.track(
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.batches.delete(key);
        return this.deliver(kind, url, batch);
      }),
    );
  }

  post(url: URL, request: { contentType: string; body: string }, timeoutMs: number): Promise<ReceiverAnswer> {
    return postToReceiver(url, request, timeoutMs, this.sockets);
  }

  /** Resolves once nothing is queued, in flight or waiting to be resent: what tests await instead of sleeping. */
  async settled(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    for (const socket of this.sockets) socket.destroy();
  }

  private async deliver(kind: NotificationKind, url: string, notifications: Record<string, unknown>[]): Promise<void> {
    const delivery: NotificationDelivery = { kind, url, payload: { value: notifications }, attempts: [], outcome: 'pending' };
    this.deliveries.push(delivery);
    const body = JSON.stringify(delivery.payload);
    for (let attempt = 0; attempt <= this.timing.retryDelaysMs.length; attempt++) {
      if (attempt > 0) await this.sleep(this.timing.retryDelaysMs[attempt - 1]);
      if (this.stopped) return;
      this.counters.notificationPosts++;
      const answer = await this.post(new URL(url), { contentType: 'application/json; charset=utf-8', body }, this.timing.deliveryTimeoutMs);
      delivery.attempts.push({ at: Date.now(), status: answer.status, error: answer.error });
      if (answer.status !== undefined && answer.status >= 200 && answer.status < 300) {
        delivery.outcome = 'acknowledged';
        this.counters.notificationDeliveriesAcknowledged++;
        return;
      }
    }
    delivery.outcome = 'abandoned';
    this.counters.notificationDeliveriesAbandoned++;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  private track(work: Promise<void>): void {
    this.work.add(work);
    const done = () => void this.work.delete(work);
    work.then(done, (error: unknown) => {
      done();
      // A bug in the fake must be loud, not a silently missing notification.
      process.emitWarning(`fake-microsoft notification delivery failed: ${error instanceof Error ? error.stack : String(error)}`);
    });
  }
}
