import { setMaxListeners } from 'node:events';
import type { Logger } from '../observability/logger';
import { backgroundJobFailures } from '../observability/metrics';

/** Where background work reads the time, so tests and schedules share one notion of "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One round of a job: the time it started and the signal that ends it when the gateway stops. */
export interface JobRound {
  now: Date;
  signal: AbortSignal;
}

/**
 * A kind of background work (webhook deliveries, mailbox subscriptions, tenant sweeps). Every
 * replica runs every job; a job claims its rows in the database (see LeasedClaims), so none is
 * done twice.
 */
export interface BackgroundJob {
  readonly name: string;
  /** Does what is due; true when more is due at once (the worker runs it again without waiting). */
  runDue(round: JobRound): Promise<boolean>;
  /** Called once the loop has ended at stop: give back claims not finished, wait for work started without awaiting. */
  stop?(): Promise<void>;
}

/** A failing round (the database away, a bug) is retried after a pause that grows to this. */
const MAX_FAILURE_PAUSE_MS = 60_000;

/**
 * Runs each job in its own loop: a round, then a pause of `intervalMs` (cut short by `wake`,
 * which a replica calls when it has just written work for that job), until stop.
 */
export class BackgroundWorkers {
  private readonly loops = new Map<string, JobLoop>();
  private readonly stopping = new AbortController();
  private running: Promise<void>[] = [];

  constructor(private readonly options: { intervalMs: number; clock?: Clock; logger: Logger }) {
    // Every Graph call and delivery of every job listens to this one signal at once.
    setMaxListeners(0, this.stopping.signal);
  }

  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  add(job: BackgroundJob): void {
    if (this.loops.has(job.name)) throw new Error(`background job ${job.name} is added twice`);
    this.loops.set(job.name, new JobLoop(job, this.options.intervalMs, this.stopping.signal));
  }

  start(): void {
    this.running = [...this.loops.values()].map((loop) => loop.run(this.clock, this.options.logger));
  }

  /** Runs the job's next round now (or right after the current one) instead of after its pause. */
  wake(name: string): void {
    this.loops.get(name)?.wake();
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('the gateway is shutting down'));
    await Promise.all(this.running);
    await Promise.all([...this.loops.values()].map((loop) => loop.job.stop?.()));
  }
}

class JobLoop {
  private woken = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    readonly job: BackgroundJob,
    private readonly intervalMs: number,
    private readonly signal: AbortSignal,
  ) {}

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async run(clock: Clock, logger: Logger): Promise<void> {
    let failures = 0;
    while (!this.signal.aborted) {
      this.woken = false;
      let more = false;
      try {
        more = await this.job.runDue({ now: clock.now(), signal: this.signal });
        failures = 0;
      } catch (error) {
        if (this.signal.aborted) break;
        failures++;
        backgroundJobFailures.inc({ job: this.job.name });
        logger.error({ err: error, job: this.job.name, failures }, 'background job round failed; trying again after a pause');
      }
      if (this.signal.aborted) break;
      if (more && failures === 0) continue;
      await this.pause(failures === 0 ? this.intervalMs : Math.min(MAX_FAILURE_PAUSE_MS, this.intervalMs * 2 ** failures));
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
