/** A measurement repeated over rounds: the median is the figure, min to max is the noise around it. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread {
  if (values.length === 0) throw new RangeError('no values to summarise');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Ratios of two things measured in the same rounds, round by round: runs that alternate share the
 * machine's slow spells, so each pair's ratio is steadier than the ratio of two medians.
 */
export function pairedRatios(numerators: number[], denominators: number[]): Spread {
  if (numerators.length !== denominators.length) throw new RangeError('paired samples must come from the same rounds');
  return spreadOf(numerators.map((value, index) => value / denominators[index]!));
}

/** A difference is noise when the rounds' own ratios fall on both sides of 1. */
export function isWithinNoise(ratio: Spread): boolean {
  return ratio.min <= 1 && ratio.max >= 1;
}

/** The value below which `p` percent of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
