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
 * A signal that aborts with one of the reasons above. `ended` is aborted by the caller when the
 * HTTP exchange closes; the deadline timer is cleared then too, so an idle gateway keeps no timers.
 */
export function requestSignal(options: { deadlineMs: number; stopping: AbortSignal }): { signal: AbortSignal; end: () => void } {
  const controller = new AbortController();
  const abort = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
    clearTimeout(timer);
    options.stopping.removeEventListener('abort', onStopping);
  };
  const onStopping = () => abort(new GatewayStopping());
  const timer = setTimeout(() => abort(new RequestDeadlineExceeded(options.deadlineMs)), options.deadlineMs);
  timer.unref();
  if (options.stopping.aborted) onStopping();
  else options.stopping.addEventListener('abort', onStopping, { once: true });
  return { signal: controller.signal, end: () => abort(new RequestEnded()) };
}

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
