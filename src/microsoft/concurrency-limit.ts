/**
 * At most `max` tasks at a time; the rest wait in arrival order. Used per tenant so one busy
 * tenant cannot exhaust Outlook's per-mailbox concurrency or starve the others.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never over-counts.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
