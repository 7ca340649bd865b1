/**
 * At most `max` tasks at a time; the rest wait in arrival order. Used per tenant so one busy
 * tenant cannot exhaust Outlook's per-mailbox concurrency or starve the others. A waiter whose
 * signal aborts leaves the queue without running.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.active < this.max) this.active++;
    else await this.wait(signal);
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never over-counts.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(start);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
