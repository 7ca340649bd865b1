import type { Spread } from './stats';

/** Prints rows as a markdown table, so the output can be pasted into bench/README.md as it is. */
export function markdownTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

export const ratio = (value: number, reference: number) => times(value / reference);
export const times = (value: number) => `${value.toFixed(2)}x`;
export const ms = (value: number) => `${Math.round(value)} ms`;
export const msPerUser = (value: number) => `${value.toFixed(3)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** "291 ms (280–310)": the median, then min to max over the rounds. */
export function withSpread(spread: Spread, format: (value: number) => string): string {
  return `${format(spread.median)} (${format(spread.min).replace(/[^\d.,-]+$/, '')}–${format(spread.max)})`;
}
