import type { BackgroundJob, JobRound } from './background-workers';

/**
 * Work that only needs doing now and then (pruning old rows), at most once per `everyMs` in each
 * process. It must be harmless to run on several replicas at once: no claim is taken.
 */
export class PeriodicJob implements BackgroundJob {
  private lastRun: number | null = null;

  constructor(
    readonly name: string,
    private readonly everyMs: number,
    private readonly work: (round: JobRound) => Promise<void>,
  ) {}

  async runDue(round: JobRound): Promise<boolean> {
    const now = round.now.getTime();
    if (this.lastRun !== null && now - this.lastRun < this.everyMs) return false;
    this.lastRun = now;
    await this.work(round);
    return false;
  }
}
