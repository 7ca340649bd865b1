/**
 * Why work on behalf of a request stops: the caller is gone or answered, the request's deadline
 * passed, or the gateway is shutting down. One AbortSignal per request carries it down to every
 * Graph call, retry wait and queue slot, so nothing outlives the request that asked for it.
 */
export class RequestDeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the request's deadline of ${deadlineMs / 1000} s passed (XKIT_REQUEST_DEADLINE_SECONDS)`);
    this.name = 'RequestDeadlineExceeded';
  }
}

export class GatewayStopping extends Error {
  constructor() {
    super('the gateway is shutting down');
    this.name = 'GatewayStopping';
  }
}

export class RequestEnded extends Error {
  constructor() {
    super('the request ended (answered, failed or the client went away)');
    this.name = 'RequestEnded';
  }
}

/**
 * The lifetimes of the requests in flight: each request's signal aborts with one of the reasons
 * above. Built for a request on every GraphQL call, so it costs little: the reasons are made once
 * (an Error captures a stack trace, which is most of what a reason costs), and stopping aborts the
 * live requests from one set rather than through a listener per request.
 */
export class RequestLifetimes {
  private readonly live = new Set<AbortController>();
  private readonly deadlineExceeded: RequestDeadlineExceeded;
  private stopping: GatewayStopping | null = null;

  constructor(private readonly deadlineMs: number) {
    this.deadlineExceeded = new RequestDeadlineExceeded(deadlineMs);
  }

  /** `end` is called when the HTTP exchange closes; it clears the deadline timer, so an idle gateway keeps no timers. */
  start(): { signal: AbortSignal; end: () => void } {
    const controller = new AbortController();
    if (this.stopping) {
      controller.abort(this.stopping);
      return { signal: controller.signal, end: () => undefined };
    }
    this.live.add(controller);
    const timer = setTimeout(() => this.abort(controller, this.deadlineExceeded), this.deadlineMs);
    timer.unref();
    return {
      signal: controller.signal,
      end: () => {
        clearTimeout(timer);
        this.abort(controller, REQUEST_ENDED);
      },
    };
  }

  /** After the grace period: every request still in flight, and any that arrives, ends with GatewayStopping. */
  stopAll(): void {
    this.stopping ??= new GatewayStopping();
    for (const controller of this.live) this.abort(controller, this.stopping);
  }

  private abort(controller: AbortController, reason: Error): void {
    this.live.delete(controller);
    if (!controller.signal.aborted) controller.abort(reason);
  }
}

const REQUEST_ENDED = new RequestEnded();

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, or rejects with the signal's reason first (the promise itself goes on, e.g. a shared token request). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
