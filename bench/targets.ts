import { markdownTable } from './table';

/** One of the targets, checked against this run. */
export interface TargetCheck {
  target: string;
  met: boolean;
  /** What was measured, in a few words, e.g. "1.32x, 1.12x at 1,000 / 10,000 users". */
  result: string;
}

export function targetsTable(checks: TargetCheck[]): string {
  return markdownTable(
    ['target', 'met', 'result'],
    checks.map((check) => [check.target, check.met ? '✓' : '✗', check.result]),
  );
}

/** "1,000 / 10,000 users": the sizes a per-size result lists, in the same order. */
export function atSizes(sizes: number[]): string {
  return `at ${sizes.map((users) => users.toLocaleString('en-US')).join(' / ')} users`;
}
